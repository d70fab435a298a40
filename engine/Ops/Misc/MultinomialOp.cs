using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// Multinomial (opset 7): for each row of <c>input</c> [batch, classes] (unnormalized log-probabilities) draws
/// <c>sample_size</c> class indices; output [batch, sample_size] of <c>dtype</c> int32 (default) or int64.
/// </summary>
internal sealed class MultinomialOp : TensorOp
{
    private readonly DataType _type;
    private readonly int _samples;
    private readonly float? _seed;

    public MultinomialOp(OpBuildContext ctx)
    {
        _type = (DataType)ctx.Attributes.Int("dtype", (long)DataType.Int32);
        if (_type is not (DataType.Int32 or DataType.Int64)) throw new NotSupportedException($"Multinomial: dtype {_type} must be int32 or int64.");
        long s = ctx.Attributes.Int("sample_size", 1);
        if (s < 1 || s > Array.MaxLength) throw new NotSupportedException($"Multinomial: sample_size {s} is out of range.");
        _samples = (int)s;
        _seed = RandomSampling.Seed(ctx.Attributes);
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [TypeInfo.Tensor(_type, [Dim.Unknown, Dim.Known(_samples)])];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank != 2) throw new ShapeMismatchException($"Multinomial: input must be [batch, classes], got {ShapeUtil.Format(x.Shape)}.");
        int batch = x.Shape[0], classes = x.Shape[1];
        var logits = MiscTensors.ToDoubles(x);
        var y = Tensor.Create(_type, [batch, _samples]);
        var rng = RandomSampling.Source(ctx, _seed);
        var cdf = new double[classes];
        for (int b = 0; b < batch; b++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++) max = Math.Max(max, logits[b * classes + c]);
            double total = 0;
            for (int c = 0; c < classes; c++) cdf[c] = total += Math.Exp(logits[b * classes + c] - max);
            for (int s = 0; s < _samples; s++)
            {
                double u = rng.NextDouble() * total;
                int pick = 0;
                while (pick < classes - 1 && cdf[pick] <= u) pick++;
                y.SetDouble(b * _samples + s, pick);
            }
        }
        return [y];
    }
}
