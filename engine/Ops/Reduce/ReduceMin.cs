using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// ReduceMin: the smallest element over the reduced axes (NaN propagates; +inf, or the type's maximum, for an empty
/// set). bool inputs (opset 20) reduce as logical and. Axes are an input from opset 18.
/// </summary>
internal sealed class ReduceMin(OpBuildContext ctx) : ReduceOp<ReduceMin.Kernel>(ctx, axesInputSince: 18, allowBool: true, floatPath: FloatReduceKind.Min)
{
    internal struct Kernel : IReduction
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => new() { Value = NumericLimits.Highest<T>() };

        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T>
        {
            if (x < acc.Value || T.IsNaN(x)) acc.Value = x;
        }

        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> => acc.Value;
    }
}
