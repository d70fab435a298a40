using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Min: elementwise minimum of 1..N same-typed inputs with multidirectional broadcasting; every numeric type. NaN
/// propagates.
/// </summary>
internal sealed class Min(OpBuildContext ctx) : VariadicOp<Min.Kernel>(ctx, default)
{
    public readonly struct Kernel : INumericBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => T.Min(a, b);
    }
}
