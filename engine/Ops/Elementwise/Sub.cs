using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Sub: C = A - B with multidirectional broadcasting, every numeric type (integers wrap).</summary>
internal sealed class Sub(OpBuildContext ctx) : NumericBinaryOp<Sub.Kernel>(ctx, default)
{
    public readonly struct Kernel : INumericBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => a - b;
    }
}
