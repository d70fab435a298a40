using System.Numerics;
using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// The generic reduction engine: folds the input of a <see cref="ReducePlan"/> into one state per output element,
/// optionally centering every element on a per-output value first (x − center[o]), and maps per-output statistics back
/// onto the input shape. Every reduction and normalization op of the family is built from these two passes.
/// </summary>
internal static class ReduceDriver
{
    /// <summary>Reduces <paramref name="x"/> with <typeparamref name="TR"/>; returns a tensor of the plan's output shape.</summary>
    public static Tensor<T> Reduce<T, TR>(Tensor<T> x, ReducePlan plan) where T : unmanaged, INumber<T> where TR : IReduction
    {
        var y = new Tensor<T>(plan.OutputShape);
        Reduce<T, TR>(x.Span, plan, y.Span, default);
        return y;
    }

    /// <summary>Writes the reduction of x (each element minus center[output], when center is given) into output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Reduce<T, TR>(ReadOnlySpan<T> x, ReducePlan plan, Span<T> output, ReadOnlySpan<T> center)
        where T : unmanaged, INumber<T> where TR : IReduction
    {
        var acc = Accumulate<T, TR>(x, plan, center);
        int count = plan.ReducedCount;
        for (int o = 0; o < acc.Length; o++) output[o] = TR.Finish(in acc[o], count);
    }

    /// <summary>The final state of every output element (for reductions whose result is not of type T).</summary>
    public static Acc<T>[] Accumulate<T, TR>(ReadOnlySpan<T> x, ReducePlan plan, ReadOnlySpan<T> center)
        where T : unmanaged, INumber<T> where TR : IReduction
    {
        TensorLimits.CheckAllocation((long)plan.OutputCount * Unsafe.SizeOf<Acc<T>>(), DataType.UInt8);
        var acc = new Acc<T>[plan.OutputCount];
        acc.AsSpan().Fill(TR.Init<T>());
        var v = new Folder<T, TR> { X = x, Acc = acc, Center = center };
        plan.Walk(ref v);
        return acc;
    }

    /// <summary>y[i] = f(x[i], a[o], b[o]) for every input element i, o being the output element i folds into.</summary>
    public static void Map<T, TF>(ReadOnlySpan<T> x, Span<T> y, ReducePlan plan, ReadOnlySpan<T> a, ReadOnlySpan<T> b, TF f)
        where T : unmanaged, INumber<T> where TF : struct, IStatMap<T>
    {
        var v = new Mapper<T, TF> { X = x, Y = y, A = a, B = b, F = f };
        plan.Walk(ref v);
    }

    private ref struct Folder<T, TR> : IBlockVisitor where T : unmanaged, INumber<T> where TR : IReduction
    {
        public ReadOnlySpan<T> X;
        public Span<Acc<T>> Acc;
        public ReadOnlySpan<T> Center;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Block(int inStart, int outStart, int length, int outStride)
        {
            var x = X.Slice(inStart, length);
            bool centered = !Center.IsEmpty;
            if (outStride == 0)
            {
                var a = Acc[outStart];   // a local the JIT can keep in registers
                if (centered)
                {
                    T c = Center[outStart];
                    foreach (T v in x) TR.Step(ref a, v - c);
                }
                else
                {
                    foreach (T v in x) TR.Step(ref a, v);
                }
                Acc[outStart] = a;
            }
            else
            {
                var acc = Acc.Slice(outStart, length);
                if (centered)
                {
                    var c = Center.Slice(outStart, length);
                    for (int i = 0; i < x.Length; i++) TR.Step(ref acc[i], x[i] - c[i]);
                }
                else
                {
                    for (int i = 0; i < x.Length; i++) TR.Step(ref acc[i], x[i]);
                }
            }
        }
    }

    private ref struct Mapper<T, TF> : IBlockVisitor where T : unmanaged, INumber<T> where TF : struct, IStatMap<T>
    {
        public ReadOnlySpan<T> X;
        public Span<T> Y;
        public ReadOnlySpan<T> A;
        public ReadOnlySpan<T> B;
        public TF F;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Block(int inStart, int outStart, int length, int outStride)
        {
            var x = X.Slice(inStart, length);
            var y = Y.Slice(inStart, length);
            bool hasB = !B.IsEmpty;
            for (int i = 0, o = outStart; i < x.Length; i++, o += outStride)
                y[i] = F.Map(x[i], A[o], hasB ? B[o] : T.Zero);
        }
    }
}

/// <summary>An elementwise function of an input element and two statistics of the output element it belongs to.</summary>
internal interface IStatMap<T>
{
    T Map(T x, T a, T b);
}
