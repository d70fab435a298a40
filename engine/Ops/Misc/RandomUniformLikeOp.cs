using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// RandomUniformLike (opset 1, 22): a tensor shaped like the input, of <c>dtype</c> (default: the input's type, which must
/// then be floating point), uniform in [low, high).
/// </summary>
internal sealed class RandomUniformLikeOp(OpBuildContext ctx) : TensorOp
{
    private readonly DataType? _type = RandomSampling.FloatType(ctx.Attributes, null, "RandomUniformLike");
    private readonly double _low = ctx.Attributes.Float("low", 0f), _high = ctx.Attributes.Float("high", 1f);
    private readonly float? _seed = RandomSampling.Seed(ctx.Attributes);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var type = _type ?? x.DataType;
        if (!DataTypes.IsFloatingPoint(type))
            throw new NotSupportedException($"RandomUniformLike: output type {DataTypes.Name(type)} must be floating point; set dtype.");
        return [RandomSampling.Uniform(type, (int[])x.Shape.Clone(), _low, _high, RandomSampling.Source(ctx, _seed))];
    }
}
