using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Less: C = A &lt; B (bool) with multidirectional broadcasting, every numeric type; NaN compares false.
/// </summary>
internal sealed class Less(OpBuildContext ctx) : ComparisonOp<Less.Kernel>(ctx, default)
{
    public readonly struct Kernel : INumericPredicate
    {
        public bool Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => a < b;
    }
}
