using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Sigmoid: Y = 1 / (1 + e^-X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Sigmoid(OpBuildContext ctx) : FloatUnaryOp<Sigmoid.Kernel>(ctx, default)
{
    /// <summary>In place over X (float path: <see cref="FastElementwise.Unary"/>, exact aliasing safe).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0];

    protected override Tensor? TryFast(Tensor x) => x is Tensor<float> f ? FastElementwise.Unary(f, default(VectorMath.SigmoidOperator)) : null;

    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => FloatMath.Sigmoid(x);
    }
}
