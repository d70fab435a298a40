using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>SequenceEmpty: an empty sequence whose element type is the <c>dtype</c> attribute (float by default).</summary>
internal sealed class SequenceEmptyOp : Op
{
    private readonly DataType _elementType;

    public SequenceEmptyOp(OpBuildContext ctx)
    {
        _elementType = (DataType)ctx.Attributes.Int("dtype", (long)DataType.Float);
        if (!DataTypes.IsSupported(_elementType))
            throw new NotSupportedException($"SequenceEmpty: element type {_elementType} is not supported.");
    }

    public override Value?[] Execute(OpContext ctx, Value?[] inputs) => [new SequenceValue(_elementType)];
}
