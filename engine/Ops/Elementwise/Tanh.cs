using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Tanh: Y = tanh(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Tanh(OpBuildContext ctx) : FloatUnaryOp<Tanh.Kernel>(ctx, default)
{
    protected override Tensor? TryFast(Tensor x) => x is Tensor<float> f ? FastElementwise.Unary(f, default(VectorMath.TanhOperator)) : null;

    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(x);
    }
}
