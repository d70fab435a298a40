using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>The Reduce* ops with a vectorized float32 path (see <see cref="FloatReduce"/>).</summary>
internal enum FloatReduceKind { Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare }

/// <summary>
/// The float32 fast path of the Reduce* ops: the <see cref="ReducePlan"/> walk with the vector kernels of
/// <see cref="ReduceKernels"/> — a reduced block folds into one output with a row fold, a kept block folds element-wise
/// into a run of outputs — then the op's finishing map (mean, sqrt, log). float16/bfloat16 inputs widen to float and
/// narrow back, like the generic path. Same results as the generic path up to float summation order.
/// </summary>
internal static unsafe class FloatReduce
{
    /// <summary>True when this path handles inputs of <paramref name="type"/>.</summary>
    public static bool Handles(DataType type) => type is DataType.Float or DataType.Float16 or DataType.BFloat16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Run(Tensor x, ReducePlan plan, FloatReduceKind kind)
    {
        if (x.DataType != DataType.Float)
            return TensorConvert.Convert(Run(TensorConvert.ToFloat(x), plan, kind), x.DataType);
        var xs = x.As<float>().Span;
        var y = Tensor<float>.Uninitialized(plan.OutputShape);
        var ys = y.Span;
        switch (kind)
        {
            case FloatReduceKind.Sum or FloatReduceKind.Mean or FloatReduceKind.LogSum: Fold<SumFold>(xs, plan, ys); break;
            case FloatReduceKind.Max or FloatReduceKind.LogSumExp: Fold<MaxFold>(xs, plan, ys); break;
            case FloatReduceKind.Min: Fold<MinFold>(xs, plan, ys); break;
            case FloatReduceKind.Prod: Fold<ProductFold>(xs, plan, ys); break;
            case FloatReduceKind.L1: Fold<SumAbsFold>(xs, plan, ys); break;
            case FloatReduceKind.L2 or FloatReduceKind.SumSquare: Fold<SumSquaresFold>(xs, plan, ys); break;
        }
        int count = plan.ReducedCount;
        switch (kind)
        {
            case FloatReduceKind.Mean:
                for (int o = 0; o < ys.Length; o++) ys[o] = count == 0 ? float.NaN : ys[o] / count;
                break;
            case FloatReduceKind.L2:
                for (int o = 0; o < ys.Length; o++) ys[o] = (float)Math.Sqrt(ys[o]);
                break;
            case FloatReduceKind.LogSum:
                for (int o = 0; o < ys.Length; o++) ys[o] = (float)Math.Log(ys[o]);
                break;
            case FloatReduceKind.LogSumExp:
                LogSumExp(xs, plan, ys);
                break;
        }
        return y;
    }

    /// <summary>Every output starts at the fold's identity; the walk folds the input into it.</summary>
    private static void Fold<TF>(ReadOnlySpan<float> x, ReducePlan plan, Span<float> y) where TF : struct, IFloatFold
    {
        y.Fill(TF.Identity);
        fixed (float* px = x)
        fixed (float* py = y)
        {
            var v = new Folder<TF> { X = px, Y = py };
            plan.Walk(ref v);
        }
    }

    /// <summary>y holds the maxima; replaces them with max + log Σ e^(x − max) (NaN and ±inf maxima pass through).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LogSumExp(ReadOnlySpan<float> x, ReducePlan plan, Span<float> y)
    {
        var max = y.ToArray();
        y.Clear();
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pm = max)
        {
            var v = new ExpSummer { X = px, Y = py, Max = pm };
            plan.Walk(ref v);
        }
        for (int o = 0; o < y.Length; o++)
        {
            float m = max[o];
            y[o] = float.IsFinite(m) ? (float)(m + Math.Log(y[o])) : m;
        }
    }

    private struct Folder<TF> : IBlockVisitor where TF : struct, IFloatFold
    {
        public float* X;
        public float* Y;

        public void Block(int inStart, int outStart, int length, int outStride)
        {
            if (outStride == 0) Y[outStart] = TF.Merge(Y[outStart], ReduceKernels.FoldRow<TF>(X + inStart, length));
            else ReduceKernels.FoldInto<TF>(Y + outStart, X + inStart, length);
        }
    }

    private struct ExpSummer : IBlockVisitor
    {
        public float* X;
        public float* Y;
        public float* Max;

        public void Block(int inStart, int outStart, int length, int outStride)
        {
            if (outStride == 0) Y[outStart] += ReduceKernels.SumExpShifted(X + inStart, length, Max[outStart]);
            else ReduceKernels.AddExpShiftedInto(Y + outStart, X + inStart, Max + outStart, length);
        }
    }
}
