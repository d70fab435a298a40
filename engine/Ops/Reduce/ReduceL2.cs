using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// ReduceL2: the square root of the sum of squares over the reduced axes (0 for an empty set; integers truncate).
/// Axes are an input from opset 18.
/// </summary>
internal sealed class ReduceL2(OpBuildContext ctx) : ReduceOp<ReduceL2.Kernel>(ctx, axesInputSince: 18, floatPath: FloatReduceKind.L2)
{
    internal struct Kernel : IReduction
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => default;
        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T> => acc.Value += x * x;
        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> =>
            NumericLimits.FromDouble<T>(Math.Sqrt(NumericLimits.ToDouble(acc.Value)));
    }
}
