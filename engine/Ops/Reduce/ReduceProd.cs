using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>ReduceProd: the product over the reduced axes (1 for an empty set). Axes are an input from opset 18.</summary>
internal sealed class ReduceProd(OpBuildContext ctx) : ReduceOp<ReduceProd.Kernel>(ctx, axesInputSince: 18, floatPath: FloatReduceKind.Prod)
{
    internal struct Kernel : IReduction
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => new() { Value = T.One };
        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T> => acc.Value *= x;
        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> => acc.Value;
    }
}
