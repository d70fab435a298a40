using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>ReduceLogSum: log of the sum over the reduced axes (-inf for an empty set). Axes are an input from opset 18.</summary>
internal sealed class ReduceLogSum(OpBuildContext ctx) : ReduceOp<ReduceLogSum.Kernel>(ctx, axesInputSince: 18, floatPath: FloatReduceKind.LogSum)
{
    internal struct Kernel : IReduction
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => default;
        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T> => acc.Value += x;
        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> =>
            NumericLimits.FromDouble<T>(Math.Log(NumericLimits.ToDouble(acc.Value)));
    }
}
