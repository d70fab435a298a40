using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// OptionalGetElement: the value held by a non-empty optional (an empty one is an error). From opset 18 a plain tensor
/// or sequence input passes through unchanged.
/// </summary>
internal sealed class OptionalGetElementOp : Op
{
    public override Value?[] Execute(OpContext ctx, Value?[] inputs) =>
        (inputs.Length > 0 ? inputs[0] : null) switch
        {
            null => throw new ArgumentException("OptionalGetElement: the input is missing."),
            OptionalValue { Inner: { } inner } => [inner],
            OptionalValue => throw new InvalidOperationException("OptionalGetElement: the optional is empty."),
            var v => [v],
        };

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        inputs.Length > 0 && inputs[0] is { } t ? [t.Kind == ValueKind.Optional ? t.Element : t] : null;
}
