using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Relu: Y = max(0, X), every numeric type; NaN stays NaN.</summary>
internal sealed class Relu(OpBuildContext ctx) : NumericUnaryOp<Relu.Kernel>(ctx, default)
{
    /// <summary>In place over X (float path: <see cref="FastElementwise.Unary"/>, exact aliasing safe).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0];

    protected override Tensor? TryFast(Tensor x) => x is Tensor<float> f ? FastElementwise.Unary(f, new ReluOperator()) : null;

    public readonly struct Kernel : INumericUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, INumber<T> => x < T.Zero ? T.Zero : x;
    }
}
