using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>RandomNormal (opset 1): a tensor of attribute <c>shape</c> and <c>dtype</c> (default float) drawn from N(mean, scale²).</summary>
internal sealed class RandomNormalOp(OpBuildContext ctx) : TensorOp
{
    private readonly DataType _type = RandomSampling.FloatType(ctx.Attributes, DataType.Float, "RandomNormal")!.Value;
    private readonly int[] _shape = RandomSampling.ShapeAttribute(ctx.Attributes, "RandomNormal");
    private readonly double _mean = ctx.Attributes.Float("mean", 0f), _scale = ctx.Attributes.Float("scale", 1f);
    private readonly float? _seed = RandomSampling.Seed(ctx.Attributes);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) =>
        [RandomSampling.Normal(_type, (int[])_shape.Clone(), _mean, _scale, RandomSampling.Source(ctx, _seed))];
}
