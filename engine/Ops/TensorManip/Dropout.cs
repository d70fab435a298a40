using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Dropout: at inference passes the input through with an all-true mask (bool from opset 10, the input's type before).
/// From opset 12 a true training_mode input (2) zeroes each element with probability ratio (input 1, default 0.5) and
/// scales the rest by 1/(1-ratio); with a seed attribute the mask is drawn from MT19937 like numpy's seeded legacy
/// generator (the ONNX reference), one uniform double per element in row-major order.
/// </summary>
internal sealed class Dropout(bool boolMask, bool trainingInputs, long? seed) : TensorOp
{
    public static Dropout Create(OpBuildContext ctx) => new(
        ctx.Opset >= 10,
        ctx.Opset >= 12,
        ctx.Attributes.Has("seed") ? ctx.Attributes.Int("seed") : null);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        bool training = trainingInputs && inputs.Opt(2) is { Length: > 0 } t && t.GetDouble(0) != 0;
        double ratio = trainingInputs && inputs.Opt(1) is { Length: > 0 } r ? r.GetDouble(0) : 0.5;
        if (!training || ratio == 0)
            return ctx.OutputCount > 1 && ctx.OutputRequested(1) ? [x, AllKept(x)] : [x];
        if (!(ratio >= 0 && ratio < 1)) throw new ArgumentOutOfRangeException("ratio", $"Dropout ratio {ratio} is outside [0, 1).");
        if (!DataTypes.IsFloatingPoint(x.DataType)) throw new NotSupportedException("Dropout training needs a floating-point input.");

        Func<double> draw = seed is { } s ? new MersenneTwister(unchecked((uint)s)).NextDouble : ctx.Random.NextDouble;
        var y = Tensor.Create(x.DataType, (int[])x.Shape.Clone());
        var mask = new Tensor<bool>((int[])x.Shape.Clone());
        double scale = 1 / (1 - ratio);
        for (int i = 0; i < x.Length; i++)
        {
            bool keep = draw() >= ratio;
            mask[i] = keep;
            if (keep) y.SetDouble(i, x.GetDouble(i) * scale);
        }
        return ctx.OutputCount > 1 ? [y, mask] : [y];
    }

    private Tensor AllKept(Tensor x)
    {
        var mask = Tensor.Create(boolMask ? DataType.Bool : x.DataType, (int[])x.Shape.Clone());
        var one = Tensor.Create(mask.DataType, [1]);
        one.SetDouble(0, 1);
        TensorCopy.Fill(mask, one, 0);
        return mask;
    }
}
