using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// ReduceMax: the largest element over the reduced axes (NaN propagates; -inf, or the type's minimum, for an empty
/// set). bool inputs (opset 20) reduce as logical or. Axes are an input from opset 18.
/// </summary>
internal sealed class ReduceMax(OpBuildContext ctx) : ReduceOp<ReduceMax.Kernel>(ctx, axesInputSince: 18, allowBool: true, floatPath: FloatReduceKind.Max)
{
    internal struct Kernel : IReduction
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => new() { Value = NumericLimits.Lowest<T>() };

        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T>
        {
            if (x > acc.Value || T.IsNaN(x)) acc.Value = x;
        }

        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> => acc.Value;
    }
}
