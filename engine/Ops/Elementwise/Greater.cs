using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Greater: C = A &gt; B (bool) with multidirectional broadcasting, every numeric type; NaN compares false.
/// </summary>
internal sealed class Greater(OpBuildContext ctx) : ComparisonOp<Greater.Kernel>(ctx, default)
{
    public readonly struct Kernel : INumericPredicate
    {
        public bool Invoke<T>(T a, T b) where T : unmanaged, INumber<T> => a > b;
    }
}
