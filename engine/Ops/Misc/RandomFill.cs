using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// Shared body of RandomUniform, RandomNormal and their *Like forms: a tensor of the <c>shape</c> attribute (or shaped
/// like the input for the *Like ops), of <c>dtype</c> (default float, or the input's type for *Like), drawn uniformly
/// from [low, high) or from N(mean, scale²).
/// </summary>
internal abstract class RandomFill : TensorOp
{
    private readonly string _name;
    private readonly bool _normal;
    private readonly int[]? _shape;
    private readonly DataType? _type;
    private readonly double _a, _b;
    private readonly float? _seed;

    protected RandomFill(OpBuildContext ctx, string name, bool normal, bool like)
    {
        var attrs = ctx.Attributes;
        _name = name;
        _normal = normal;
        _type = RandomSampling.FloatType(attrs, like ? null : DataType.Float, name);
        if (!like) _shape = RandomSampling.ShapeAttribute(attrs, name);
        (_a, _b) = normal ? (attrs.Float("mean", 0f), attrs.Float("scale", 1f)) : (attrs.Float("low", 0f), attrs.Float("high", 1f));
        _seed = RandomSampling.Seed(attrs);
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [_shape is null ? MiscTypes.Like(inputs, 0, _type) : TypeInfo.Tensor(_type!.Value, _shape.Select(d => Dim.Known(d)).ToArray())];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        int[] shape;
        DataType type;
        if (_shape is null)
        {
            var x = inputs.Req(0);
            shape = (int[])x.Shape.Clone();
            type = _type ?? x.DataType;
            if (!DataTypes.IsFloatingPoint(type))
                throw new NotSupportedException($"{_name}: output type {DataTypes.Name(type)} must be floating point; set dtype.");
        }
        else
        {
            shape = (int[])_shape.Clone();
            type = _type!.Value;
        }
        var rng = RandomSampling.Source(ctx, _seed);
        return [_normal ? RandomSampling.Normal(type, shape, _a, _b, rng) : RandomSampling.Uniform(type, shape, _a, _b, rng)];
    }
}
