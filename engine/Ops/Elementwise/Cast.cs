using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Cast: converts the input to the element type of the 'to' attribute (see <see cref="ElementCast"/> for the rules).
/// 'saturate' only concerns float8 targets, which are not supported.
/// </summary>
internal sealed class Cast : TensorOp
{
    private readonly DataType _to;

    public Cast(OpBuildContext ctx)
    {
        _to = ParseTarget(ctx);
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

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) => [ElementCast.Convert(inputs.Req(0), _to)];
}
