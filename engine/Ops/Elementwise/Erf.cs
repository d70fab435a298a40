using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Erf: Y = erf(X), evaluated in double to the precision of the element type. Float types; float16/bfloat16 computed
/// in float.
/// </summary>
internal sealed class Erf(OpBuildContext ctx) : FloatUnaryOp<Erf.Kernel>(ctx, default)
{
    /// <summary>In place over X (float path: <see cref="FastElementwise.Unary"/>, exact aliasing safe).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0];

    protected override Tensor? TryFast(Tensor x) => x is Tensor<float> f ? FastElementwise.Unary(f, default(VectorMath.ErfOperator)) : null;

    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            T.CreateTruncating(FloatMath.Erf(double.CreateTruncating(x), FloatMath.ErfTerms<T>()));
    }
}
