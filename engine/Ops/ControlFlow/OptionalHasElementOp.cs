using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// OptionalHasElement: a bool scalar, true when the input optional holds a value. From opset 18 the input may be
/// omitted (false) or be a plain tensor or sequence (true).
/// </summary>
internal sealed class OptionalHasElementOp : Op
{
    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        bool has = (inputs.Length > 0 ? inputs[0] : null) switch
        {
            null => false,
            OptionalValue o => o.HasValue,
            _ => true,
        };
        return [Tensor<bool>.Scalar(has)];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => [TypeInfo.Tensor(DataType.Bool, [])];
}
