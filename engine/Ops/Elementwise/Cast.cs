using NativeInfer.Kernels.Numerics;
using NativeInfer.Tensors;
using NativeInfer.Tensors.LowPrecision;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Cast: converts the input to the element type of the 'to' attribute (see <see cref="ElementCast"/> for the rules).
/// 'saturate' and 'round_mode' only concern low-precision targets, which <see cref="LowPrecisionCast"/> handles.
/// </summary>
internal sealed class Cast : TensorOp
{
    private readonly DataType _to;
    private readonly bool _saturate;
    private readonly E8M0RoundMode _roundMode;

    public Cast(OpBuildContext ctx)
    {
        _to = ParseTarget(ctx);
        _saturate = ctx.Attributes.Int("saturate", 1) != 0;
        _roundMode = Float8E8M0.ParseRoundMode(ctx.Attributes.String("round_mode", "up"));
        if (!DataTypes.IsSupported(_to))
            throw new NotSupportedException($"Cast to {DataTypes.Name(_to)} is not supported by NativeInfer.");
    }

    /// <summary>'to' is a type code; opset 1 models give it as a type name ("FLOAT", "INT64").</summary>
    private static DataType ParseTarget(OpBuildContext ctx)
    {
        if (ctx.Attributes.All.TryGetValue("to", out var a) && a.Kind == IR.AttributeKind.String)
        {
            string name = ((string)a.Value).Replace("_", "");
            return Enum.TryParse<DataType>(name, ignoreCase: true, out var t) && !int.TryParse(name, out _)
                ? t
                : throw new NotSupportedException($"Cast: unknown target type '{a.Value}'.");
        }
        return (DataType)ctx.Attributes.Int("to");
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) =>
        LowPrecisionCast.Handles(inputs.Req(0).DataType, _to)
            ? [LowPrecisionCast.Cast(inputs.Req(0), _to, _saturate, _roundMode)]
            : [ElementCast.Convert(inputs.Req(0), _to)];
}
