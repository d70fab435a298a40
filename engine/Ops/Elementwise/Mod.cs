using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Mod: remainder of A / B with multidirectional broadcasting. fmod=1: the sign follows the dividend (C fmod);
/// fmod=0: the sign follows the divisor (Python %). An integer remainder by zero gives 0.
/// </summary>
internal sealed class Mod(OpBuildContext ctx)
    : NumericBinaryOp<Mod.Kernel>(ctx, new Kernel(ctx.Attributes.Int("fmod", 0) != 0))
{
    public readonly struct Kernel(bool fmod) : INumericBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, INumber<T>
        {
            if (!NumericTraits.IsFloat<T>())
            {
                if (T.IsZero(b)) return T.Zero;
                if (NumericTraits.IsSignedInteger<T>() && b == -T.One) return T.Zero;
            }
            T r = a % b;
            if (!fmod && !T.IsZero(r) && T.IsNegative(r) != T.IsNegative(b)) r += b;
            return r;
        }
    }
}
