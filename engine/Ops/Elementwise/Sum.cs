using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Sum: elementwise sum of 1..N same-typed inputs with multidirectional broadcasting; every numeric type.
/// </summary>
internal sealed class Sum(OpBuildContext ctx) : VariadicOp<Sum.Kernel>(ctx, default)
{
    public readonly struct Kernel : INumericBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => a + b;
    }
}
