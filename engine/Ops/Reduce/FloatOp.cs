using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// Base of the single-output floating-point ops whose output has input 0's element type: float64 runs
/// <see cref="Run{T}"/> in double, float32/float16/bfloat16 in float, and the result is narrowed back.
/// </summary>
internal abstract class FloatOp(string op) : TensorOp
{
    protected string OpName => op;

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var y = FloatWork.IsDouble(x, op) ? Run<double>(x, inputs) : Run<float>(x, inputs);
        return [FloatWork.To(y, x.DataType)];
    }

    /// <summary>The output computed in T; <paramref name="x"/> is input 0 in its original element type.</summary>
    protected abstract Tensor Run<T>(Tensor x, Tensor?[] inputs) where T : unmanaged, IFloatingPointIeee754<T>;
}
