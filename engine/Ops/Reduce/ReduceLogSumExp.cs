using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// ReduceLogSumExp: log Σ exp(x) over the reduced axes, computed stably in one pass as max + log Σ exp(x − max)
/// (the running maximum rescales the partial sum when it grows); -inf for an empty set. Axes are an input from opset 18.
/// </summary>
internal sealed class ReduceLogSumExp(OpBuildContext ctx) : ReduceOp<ReduceLogSumExp.Kernel>(ctx, axesInputSince: 18, floatPath: FloatReduceKind.LogSumExp)
{
    internal struct Kernel : IReduction
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => new() { Value = NumericLimits.Lowest<T>() };

        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T>
        {
            if (T.IsNegativeInfinity(x)) return;   // exp(-inf) adds nothing
            if (acc.Count++ == 0 || x > acc.Value)
            {
                acc.Aux = acc.Count == 1 ? 1 : acc.Aux * Math.Exp(NumericLimits.ToDouble(acc.Value) - NumericLimits.ToDouble(x)) + 1;
                acc.Value = x;
            }
            else acc.Aux += x == acc.Value ? 1 : Math.Exp(NumericLimits.ToDouble(x) - NumericLimits.ToDouble(acc.Value));
        }

        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> =>
            acc.Count == 0 ? NumericLimits.Lowest<T>() : NumericLimits.FromDouble<T>(NumericLimits.ToDouble(acc.Value) + Math.Log(acc.Aux));
    }
}
