using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>Which element wins an arg-reduction: <see cref="Better"/> is true when x replaces the current best.</summary>
internal interface IArgOrder
{
    static abstract bool Better<T>(T x, T best) where T : INumber<T>;
}

/// <summary>Arg-reduction over a <see cref="ReducePlan"/>: the position of the winning element of every output.</summary>
internal static class ArgIndex
{
    /// <summary>The winning positions of every output element of <paramref name="plan"/>.</summary>
    internal static Tensor<long> Indices<T, TOrder>(ReadOnlySpan<T> x, ReducePlan plan)
        where T : unmanaged, INumber<T> where TOrder : IArgOrder
    {
        var acc = ReduceDriver.Accumulate<T, Kernel<TOrder>>(x, plan, default);
        var y = new Tensor<long>(plan.OutputShape);
        var ys = y.Span;
        for (int i = 0; i < acc.Length; i++) ys[i] = (long)acc[i].Aux;
        return y;
    }

    /// <summary>Tracks the best value (Value), its position (Aux) and the position reached (Count).</summary>
    private struct Kernel<TOrder> : IReduction where TOrder : IArgOrder
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => default;

        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T>
        {
            int i = acc.Count++;
            if (i == 0 || !T.IsNaN(acc.Value) && (T.IsNaN(x) || TOrder.Better(x, acc.Value)))
            {
                acc.Value = x;
                acc.Aux = i;
            }
        }

        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> => acc.Value;
    }
}
