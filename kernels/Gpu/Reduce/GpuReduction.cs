using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using NativeInfer.Kernels.Gpu.Data;

namespace NativeInfer.Kernels.Gpu.Reduce;

/// <summary>
/// ReduceSum / Mean / Max / Min / Prod / L1 / L2 / LogSumExp / SumSquare / LogSum over any set of axes, float32.
/// </summary>
/// <remarks>
/// X is addressed through two index maps: the kept dims (one Y element each) and the reduced dims, both with X's
/// strides, so no transpose is needed for any axes set. Long reductions (≥ <see cref="GroupThreshold"/> elements per
/// output) run one group of 256 threads per output with a shared-memory tree; short ones one thread per output.
/// An empty reduction gives the identity (0, 1, −∞, +∞; NaN for Mean, −∞ for LogSumExp/LogSum).
/// </remarks>
public sealed class GpuReduction
{
    /// <summary>Reduced elements per output from which a whole group works on one output.</summary>
    public const int GroupThreshold = 64;

    private readonly Action<AcceleratorStream, Index1D, ReduceArgs, ArrayView<float>, ArrayView<float>> _perThread;
    private readonly Action<AcceleratorStream, KernelConfig, ReduceArgs, ArrayView<float>, ArrayView<float>> _perGroup;

    public GpuReduction(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (accelerator.MaxNumThreadsPerGroup < GpuGroupReduce.GroupSize)
            throw new NotSupportedException($"Reductions need {GpuGroupReduce.GroupSize} threads per group; {accelerator.Name} allows {accelerator.MaxNumThreadsPerGroup}.");
        _perThread = accelerator.LoadAutoGroupedKernel<Index1D, ReduceArgs, ArrayView<float>, ArrayView<float>>(ThreadReduceKernel);
        _perGroup = accelerator.LoadKernel<ReduceArgs, ArrayView<float>, ArrayView<float>>(GroupReduceKernel);
    }

    /// <summary>Enqueues Y = Reduce(X).</summary>
    public void Run(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, in GpuReduceParams p)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reduced = p.Reduced();
        if ((uint)p.Kind > (uint)GpuReduceKind.LogSum) throw new ArgumentException($"Unknown reduction {p.Kind}.");
        long inCount = GpuIndexMap.Count(p.Shape);
        if (inCount > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        var strides = GpuIndexMap.DenseStrides(p.Shape);
        var keptSizes = new List<int>();
        var keptStrides = new List<long>();
        var redSizes = new List<int>();
        var redStrides = new List<long>();
        for (int i = 0; i < p.Shape.Length; i++)
        {
            if (p.Shape[i] == 1) continue;   // size-1 dims change no offset
            (reduced[i] ? redSizes : keptSizes).Add(p.Shape[i]);
            (reduced[i] ? redStrides : keptStrides).Add(strides[i]);
        }
        long outCount = p.OutputElements;
        long redCount = outCount == 0 ? 0 : inCount / outCount;
        if (x.Length < inCount || y.Length < outCount) throw new ArgumentException("X or Y is smaller than the shapes need.");
        if (outCount == 0) return;
        var args = new ReduceArgs
        {
            Kept = GpuIndexMap.Create(keptSizes.ToArray(), keptStrides.ToArray()),
            Reduced = GpuIndexMap.Create(redSizes.ToArray(), redStrides.ToArray()),
            Count = (int)redCount,
            Kind = (int)p.Kind,
        };
        if (redCount >= GroupThreshold) _perGroup(stream, new KernelConfig((int)outCount, GpuGroupReduce.GroupSize), args, x, y);
        else _perThread(stream, (int)outCount, args, x, y);
    }

    /// <summary>The merge used while folding (sum for every kind but max, min and prod).</summary>
    private static int MergeOp(int kind) => kind switch
    {
        (int)GpuReduceKind.Max => GpuGroupReduce.Max,
        (int)GpuReduceKind.Min => GpuGroupReduce.Min,
        (int)GpuReduceKind.Prod => GpuGroupReduce.Prod,
        _ => GpuGroupReduce.Sum,
    };

    private static float Identity(int kind) => kind switch
    {
        (int)GpuReduceKind.Max => float.NegativeInfinity,
        (int)GpuReduceKind.Min => float.PositiveInfinity,
        (int)GpuReduceKind.Prod => 1f,
        _ => 0f,
    };

    /// <summary>What each element contributes; LogSumExp folds e^(x − shift).</summary>
    private static float Map(int kind, float v, float shift) => kind switch
    {
        (int)GpuReduceKind.L1 => XMath.Abs(v),
        (int)GpuReduceKind.L2 or (int)GpuReduceKind.SumSquare => v * v,
        (int)GpuReduceKind.LogSumExp => XMath.Exp(v - shift),
        _ => v,
    };

    private static float Finish(int kind, float acc, float shift, int count) => kind switch
    {
        (int)GpuReduceKind.Mean => acc / count,
        (int)GpuReduceKind.L2 => XMath.Sqrt(acc),
        (int)GpuReduceKind.LogSum => XMath.Log(acc),
        (int)GpuReduceKind.LogSumExp => shift == float.NegativeInfinity ? shift : shift + XMath.Log(acc),
        _ => acc,
    };

    internal static void ThreadReduceKernel(Index1D index, ReduceArgs a, ArrayView<float> x, ArrayView<float> y)
    {
        int o = index;
        int baseOff = a.Kept.Offset(o);
        float shift = 0f;
        if (a.Kind == (int)GpuReduceKind.LogSumExp)
        {
            shift = float.NegativeInfinity;
            for (int r = 0; r < a.Count; r++) shift = GpuGroupReduce.Combine(GpuGroupReduce.Max, shift, x[baseOff + a.Reduced.Offset(r)]);
        }
        int op = MergeOp(a.Kind);
        float acc = Identity(a.Kind);
        for (int r = 0; r < a.Count; r++) acc = GpuGroupReduce.Combine(op, acc, Map(a.Kind, x[baseOff + a.Reduced.Offset(r)], shift));
        y[o] = Finish(a.Kind, acc, shift, a.Count);
    }

    internal static void GroupReduceKernel(ReduceArgs a, ArrayView<float> x, ArrayView<float> y)
    {
        var scratch = SharedMemory.Allocate<float>(GpuGroupReduce.GroupSize);
        int o = Grid.IdxX, t = Group.IdxX, step = Group.DimX;
        int baseOff = a.Kept.Offset(o);
        float shift = 0f;
        if (a.Kind == (int)GpuReduceKind.LogSumExp)
        {
            float m = float.NegativeInfinity;
            for (int r = t; r < a.Count; r += step) m = GpuGroupReduce.Combine(GpuGroupReduce.Max, m, x[baseOff + a.Reduced.Offset(r)]);
            shift = GpuGroupReduce.Reduce(scratch, m, GpuGroupReduce.Max);
        }
        int op = MergeOp(a.Kind);
        float acc = Identity(a.Kind);
        for (int r = t; r < a.Count; r += step) acc = GpuGroupReduce.Combine(op, acc, Map(a.Kind, x[baseOff + a.Reduced.Offset(r)], shift));
        acc = GpuGroupReduce.Reduce(scratch, acc, op);
        if (t == 0) y[o] = Finish(a.Kind, acc, shift, a.Count);
    }

    internal struct ReduceArgs
    {
        public GpuIndexMap Kept;
        public GpuIndexMap Reduced;
        public int Count;
        public int Kind;
    }
}
