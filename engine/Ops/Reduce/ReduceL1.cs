using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>ReduceL1: the sum of absolute values over the reduced axes (0 for an empty set). Axes are an input from opset 18.</summary>
internal sealed class ReduceL1(OpBuildContext ctx) : ReduceOp<ReduceL1.Kernel>(ctx, axesInputSince: 18, floatPath: FloatReduceKind.L1)
{
    internal struct Kernel : IReduction
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => default;

        // Negation rather than T.Abs: the most negative integer wraps instead of throwing.
        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T> => acc.Value += x < T.Zero ? -x : x;

        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> => acc.Value;
    }
}
