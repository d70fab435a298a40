using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// LessOrEqual: C = A &lt;= B (bool) with multidirectional broadcasting, every numeric type; NaN compares false.
/// </summary>
internal sealed class LessOrEqual(OpBuildContext ctx) : ComparisonOp<LessOrEqual.Kernel>(ctx, default)
{
    public readonly struct Kernel : INumericPredicate
    {
        public bool Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => a <= b;
    }
}
