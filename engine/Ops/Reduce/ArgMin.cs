using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>ArgMin: int64 indices of the smallest elements along an axis (see <see cref="ArgReduceOp{TFirst,TLast}"/>).</summary>
internal sealed class ArgMin(OpBuildContext ctx) : ArgReduceOp<ArgMin.First, ArgMin.Last>(ctx, max: false)
{
    internal struct First : IArgOrder
    {
        public static bool Better<T>(T x, T best) where T : INumber<T> => x < best;
    }

    internal struct Last : IArgOrder
    {
        public static bool Better<T>(T x, T best) where T : INumber<T> => x <= best;
    }
}
