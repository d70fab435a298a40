using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// ONNX CausalConvWithState (opset 27): a depthwise causal 1-D convolution with a carried state. The input
/// [batch, channels, length] is left-padded with past_state [batch, channels, k − 1] (zeros when absent), convolved per
/// channel with weight [channels, 1, k] plus bias, optionally passed through SiLU ("silu"/"swish"), and present_state
/// is the last k − 1 positions of the padded input.
/// </summary>
internal sealed class CausalConvWithState : TensorOp
{
    private const string Op = "CausalConvWithState";
    private readonly bool _silu;

    public CausalConvWithState(OpBuildContext ctx)
    {
        var activation = ctx.Attributes.String("activation", "none");
        _silu = activation switch
        {
            "none" => false,
            "silu" or "swish" => true,
            _ => throw new NotSupportedException($"{Op}: activation '{activation}' is not 'none', 'silu' or 'swish'."),
        };
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        Tensor x = inputs.Req(0), w = inputs.Req(1);
        Tensor? bias = inputs.Opt(2), past = inputs.Opt(3);
        FloatBuffers.RequireFloat(x, Op, "input");
        FloatBuffers.RequireRank(x, 3, Op, "input");
        FloatBuffers.RequireRank(w, 3, Op, "weight");
        int batch = x.Shape[0], channels = x.Shape[1], length = x.Shape[2], k = w.Shape[2];
        if (w.Shape[0] != channels || w.Shape[1] != 1 || k < 1)
            throw new ShapeMismatchException($"{Op}: weight {w} must be [{channels},1,k] with k ≥ 1.");
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != channels))
            throw new ShapeMismatchException($"{Op}: bias {bias} must be [{channels}].");
        int state = k - 1;
        if (past is not null && (past.Rank != 3 || past.Shape[0] != batch || past.Shape[1] != channels || past.Shape[2] != state))
            throw new ShapeMismatchException($"{Op}: past_state {past} must be [{batch},{channels},{state}].");

        int padded = checked(state + length);
        var window = FloatBuffers.Allocate((long)batch * channels * padded);
        var xs = FloatBuffers.Read(x);
        var ps = past is null ? null : FloatBuffers.Read(past);
        for (int bc = 0; bc < batch * channels; bc++)
        {
            if (ps is not null) Array.Copy(ps, bc * state, window, bc * padded, state);
            Array.Copy(xs, bc * length, window, bc * padded + state, length);
        }

        var weights = FloatBuffers.Read(w);
        var biases = bias is null ? null : FloatBuffers.Read(bias);
        var y = FloatBuffers.Allocate((long)batch * channels * length);
        var presentState = FloatBuffers.Allocate((long)batch * channels * state);
        var p = new Precision(x.DataType);
        var f32 = new Precision(DataType.Float);
        for (int b = 0; b < batch; b++)
        for (int c = 0; c < channels; c++)
        {
            var src = window.AsSpan((b * channels + c) * padded, padded);
            var kernel = weights.AsSpan(c * k, k);
            for (int t = 0; t < length; t++)
            {
                double v = p.Round(AttentionMath.Dot(src.Slice(t, k), kernel) + (biases?[c] ?? 0));
                if (_silu) v = f32.Round(v * f32.Round(AttentionMath.Sigmoid(v)));
                y[(b * channels + c) * length + t] = v;
            }
            src.Slice(length, state).CopyTo(presentState.AsSpan((b * channels + c) * state, state));
        }
        return
        [
            FloatBuffers.Write(y, [batch, channels, length], x.DataType),
            FloatBuffers.Write(presentState, [batch, channels, state], x.DataType),
        ];
    }
}
