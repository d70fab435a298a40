using System.Numerics;

namespace NativeInfer.Ops.Reduce;

/// <summary>ArgMax: int64 indices of the largest elements along an axis (see <see cref="ArgReduceOp{TFirst,TLast}"/>).</summary>
internal sealed class ArgMax(OpBuildContext ctx) : ArgReduceOp<ArgMax.First, ArgMax.Last>(ctx, max: true)
{
    internal struct First : IArgOrder
    {
        public static bool Better<T>(T x, T best) where T : INumber<T> => x > best;
    }

    internal struct Last : IArgOrder
    {
        public static bool Better<T>(T x, T best) where T : INumber<T> => x >= best;
    }
}
