using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Abs: Y = |X|, every numeric type (the most negative integer wraps to itself).</summary>
internal sealed class Abs(OpBuildContext ctx) : NumericUnaryOp<Abs.Kernel>(ctx, default)
{
    public readonly struct Kernel : INumericUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, INumber<T> => T.IsNegative(x) ? T.Zero - x : x;
    }
}
