using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Shrink: Y = X + bias for X &lt; -lambd, X - bias for X &gt; lambd, 0 otherwise (defaults bias 0, lambd 0.5); every
/// numeric type, compared and computed in double.
/// </summary>
internal sealed class Shrink(OpBuildContext ctx)
    : NumericUnaryOp<Shrink.Kernel>(ctx, new Kernel(ctx.Attributes.Float("bias", 0f), ctx.Attributes.Float("lambd", 0.5f)))
{
    public readonly struct Kernel(float bias, float lambd) : INumericUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, INumber<T>
        {
            double v = double.CreateTruncating(x);
            if (v < -lambd) return T.CreateTruncating(v + bias);
            if (v > lambd) return T.CreateTruncating(v - bias);
            return T.Zero;
        }
    }
}
