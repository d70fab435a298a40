using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// RandomNormalLike (opset 1, 22): a tensor shaped like the input, of <c>dtype</c> (default: the input's type, which must
/// then be floating point), drawn from N(mean, scale²).
/// </summary>
internal sealed class RandomNormalLikeOp(OpBuildContext ctx) : TensorOp
{
    private readonly DataType? _type = RandomSampling.FloatType(ctx.Attributes, null, "RandomNormalLike");
    private readonly double _mean = ctx.Attributes.Float("mean", 0f), _scale = ctx.Attributes.Float("scale", 1f);
    private readonly float? _seed = RandomSampling.Seed(ctx.Attributes);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var type = _type ?? x.DataType;
        if (!DataTypes.IsFloatingPoint(type))
            throw new NotSupportedException($"RandomNormalLike: output type {DataTypes.Name(type)} must be floating point; set dtype.");
        return [RandomSampling.Normal(type, (int[])x.Shape.Clone(), _mean, _scale, RandomSampling.Source(ctx, _seed))];
    }
}
