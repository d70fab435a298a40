using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>Identity: passes its input through unchanged (a tensor, sequence or optional; no copy is made).</summary>
internal sealed class Identity : Op
{
    public override Value?[] Execute(OpContext ctx, Value?[] inputs) =>
        [inputs.Length > 0 ? inputs[0] : throw new ArgumentException("Identity needs one input.")];

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => inputs.Length > 0 ? [inputs[0]] : null;
}
