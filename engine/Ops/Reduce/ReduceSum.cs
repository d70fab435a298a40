using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>ReduceSum: the sum over the reduced axes (0 for an empty set). Axes are an input from opset 13.</summary>
internal sealed class ReduceSum(OpBuildContext ctx) : ReduceOp<ReduceSum.Kernel>(ctx, axesInputSince: 13, floatPath: FloatReduceKind.Sum)
{
    internal struct Kernel : IReduction
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => default;
        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T> => acc.Value += x;
        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> => acc.Value;
    }
}
