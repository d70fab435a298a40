using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>RandomUniform (opset 1): a tensor of attribute <c>shape</c> and <c>dtype</c> (default float) uniform in [low, high).</summary>
internal sealed class RandomUniformOp(OpBuildContext ctx) : TensorOp
{
    private readonly DataType _type = RandomSampling.FloatType(ctx.Attributes, DataType.Float, "RandomUniform")!.Value;
    private readonly int[] _shape = RandomSampling.ShapeAttribute(ctx.Attributes, "RandomUniform");
    private readonly double _low = ctx.Attributes.Float("low", 0f), _high = ctx.Attributes.Float("high", 1f);
    private readonly float? _seed = RandomSampling.Seed(ctx.Attributes);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) =>
        [RandomSampling.Uniform(_type, (int[])_shape.Clone(), _low, _high, RandomSampling.Source(ctx, _seed))];
}
