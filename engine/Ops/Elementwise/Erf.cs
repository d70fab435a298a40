using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Erf: Y = erf(X), evaluated in double to the precision of the element type. Float types; float16/bfloat16 computed
/// in float.
/// </summary>
internal sealed class Erf(OpBuildContext ctx) : FloatUnaryOp<Erf.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            T.CreateTruncating(FloatMath.Erf(double.CreateTruncating(x), FloatMath.ErfTerms<T>()));
    }
}
