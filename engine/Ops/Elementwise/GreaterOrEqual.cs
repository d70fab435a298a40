using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// GreaterOrEqual: C = A &gt;= B (bool) with multidirectional broadcasting, every numeric type; NaN compares false.
/// </summary>
internal sealed class GreaterOrEqual(OpBuildContext ctx) : ComparisonOp<GreaterOrEqual.Kernel>(ctx, default)
{
    public readonly struct Kernel : INumericPredicate
    {
        public bool Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => a >= b;
    }
}
