using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// Optional: wraps its input (a tensor or sequence) in an optional, or, without an input, makes an empty optional of
/// the element type given by the <c>type</c> attribute.
/// </summary>
internal sealed class OptionalOp : Op
{
    private readonly TypeInfo? _type;

    public OptionalOp(OpBuildContext ctx)
    {
        _type = ctx.Attributes.Type("type");
        if (_type is null && !ctx.HasInput(0))
            throw new NotSupportedException("Optional: without an input the 'type' attribute is required.");
    }

    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        var input = inputs.Length > 0 ? inputs[0] : null;
        if (input is OptionalValue)
            throw new InvalidOperationException("Optional: the input must be a tensor or a sequence, not an optional.");
        var type = _type ?? (input is null ? throw new ArgumentException("Optional: no input and no 'type' attribute.") : FlowValues.TypeOf(input));
        return [new OptionalValue(type, input)];
    }
}
