using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// ReduceMean: the arithmetic mean over the reduced axes (integers divide truncating; NaN, or 0 for integers, over an
/// empty set). Axes are an input from opset 18.
/// </summary>
internal sealed class ReduceMean(OpBuildContext ctx) : ReduceOp<ReduceMean.Kernel>(ctx, axesInputSince: 18, floatPath: FloatReduceKind.Mean)
{
    internal struct Kernel : IReduction
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => default;
        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T> => acc.Value += x;
        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> =>
            count == 0 ? NumericLimits.FromDouble<T>(double.NaN) : acc.Value / T.CreateTruncating(count);
    }
}
