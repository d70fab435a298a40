using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// Bernoulli (opset 15, 22): each output element is 1 with the probability given by the matching input element
/// (in [0, 1]) and 0 otherwise; the output type is <c>dtype</c> (any numeric type or bool; default: the input's type).
/// </summary>
internal sealed class BernoulliOp : TensorOp
{
    private readonly DataType? _type;
    private readonly float? _seed;

    public BernoulliOp(OpBuildContext ctx)
    {
        _seed = RandomSampling.Seed(ctx.Attributes);
        if (!ctx.Attributes.Has("dtype")) return;
        _type = (DataType)ctx.Attributes.Int("dtype", 0);
        if (!DataTypes.IsSupported(_type.Value) || _type == DataType.String)
            throw new NotSupportedException($"Bernoulli: dtype {_type} is not supported.");
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.Like(inputs, 0, _type)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var p = inputs.Req(0);
        if (!DataTypes.IsFloatingPoint(p.DataType)) throw new NotSupportedException("Bernoulli: input must be floating point.");
        var y = Tensor.Create(_type ?? p.DataType, (int[])p.Shape.Clone());
        var rng = RandomSampling.Source(ctx, _seed);
        for (int i = 0; i < p.Length; i++)
        {
            double prob = p.GetDouble(i);
            if (!(prob >= 0 && prob <= 1))
                throw new ArgumentOutOfRangeException(nameof(inputs), $"Bernoulli: probability {prob} at {i} is outside [0, 1].");
            y.SetDouble(i, rng.NextDouble() < prob ? 1 : 0);
        }
        return [y];
    }
}
