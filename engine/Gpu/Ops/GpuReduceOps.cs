using NativeInfer.Kernels.Gpu.Reduce;
using NativeInfer.Kernels.Gpu.Typed;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// ReduceSum/Mean/Max/Min/Prod/L1/L2/LogSum/LogSumExp/SumSquare (float32) on <see cref="GpuReduction"/>, and
/// ArgMax/ArgMin (any handled type, int64 output) on <see cref="GpuTyped"/>. Axes come from the attribute (older
/// opsets) or from input 1 read on the host (ReduceSum from opset 13, the others from 18), as on the CPU.
/// </summary>
public static class GpuReduceOps
{
    public static void Register(GpuOpTable t)
    {
        foreach (var (name, kind, axesInputSince) in new[]
        {
            ("ReduceSum", GpuReduceKind.Sum, 13), ("ReduceMean", GpuReduceKind.Mean, 18), ("ReduceMax", GpuReduceKind.Max, 18),
            ("ReduceMin", GpuReduceKind.Min, 18), ("ReduceProd", GpuReduceKind.Prod, 18), ("ReduceL1", GpuReduceKind.L1, 18),
            ("ReduceL2", GpuReduceKind.L2, 18), ("ReduceLogSum", GpuReduceKind.LogSum, 18), ("ReduceLogSumExp", GpuReduceKind.LogSumExp, 18),
            ("ReduceSumSquare", GpuReduceKind.SumSquare, 18),
        })
            t.Register(name, ctx =>
            {
                if (!ctx.InputIs(0, DataType.Float) || ctx.Build.InputCount > 2) return null;
                bool fromInput = ctx.Build.Opset >= axesInputSince;
                if (!fromInput && ctx.Build.InputCount > 1) return null;
                return new GpuReduceOp(kind, fromInput ? null : ctx.Attributes.Ints("axes"), fromInput,
                    ctx.Attributes.Int("keepdims", 1) != 0, ctx.Attributes.Int("noop_with_empty_axes", 0) != 0);
            });
        t.Register("ArgMax", ctx => Arg(ctx, max: true));
        t.Register("ArgMin", ctx => Arg(ctx, max: false));
    }

    private static GpuOp? Arg(GpuOpBuildContext ctx, bool max) =>
        ctx.Build.InputCount == 1 && GpuTypedOps.Typed(ctx, 0) is { } d && d != DataType.Bool
            ? new GpuArgOp(max, ctx.Attributes.Int("axis", 0), ctx.Attributes.Int("keepdims", 1) != 0, ctx.Attributes.Int("select_last_index", 0) != 0)
            : null;
}

/// <summary>A Reduce* op over any axes set (see <see cref="GpuReduceOps"/>).</summary>
internal sealed class GpuReduceOp(GpuReduceKind kind, long[]? axesAttribute, bool axesFromInput, bool keepDims, bool noopWithEmptyAxes) : GpuOp
{
    public override bool ReadsOnHost(int i) => i == 1;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        long[] axes;
        if (axesFromInput && inputs.Host(1) is { } a)
        {
            if (!DataTypes.IsInteger(a.DataType) || a.Rank > 1)
                throw new ArgumentException($"{ctx.Node.OpType}: axes must be a 1-D integer tensor, got {a}.");
            axes = a.ToInt64Array();
        }
        else axes = axesAttribute ?? [];
        if (axes.Length == 0 && noopWithEmptyAxes) return [x];
        int rank = x.Rank;
        var reduced = new bool[rank];
        if (axes.Length == 0) Array.Fill(reduced, true);
        foreach (long ax in axes)
        {
            int d = ShapeUtil.NormalizeAxis(ax, rank);
            if (reduced[d]) throw new ArgumentException($"{ctx.Node.OpType}: axis {ax} is repeated.");
            reduced[d] = true;
        }
        var outShape = new List<int>();
        var kernelAxes = new List<int>();
        for (int d = 0; d < rank; d++)
        {
            if (reduced[d]) kernelAxes.Add(d);
            if (!reduced[d]) outShape.Add(x.Shape[d]);
            else if (keepDims) outShape.Add(1);
        }
        var y = ctx.Allocate(DataType.Float, outShape.ToArray());
        if (y.Length == 0) return [y];
        if (rank == 0)
        {
            // A scalar reduces to itself through the kernel (one element, nothing reduced away).
            var p0 = new GpuReduceParams([1], [0], kind);
            ctx.Device.Kernel(typeof(GpuReduction), acc => new GpuReduction(acc)).Run(ctx.Stream, x.Float, y.Float, p0);
            return [y];
        }
        var p = new GpuReduceParams(x.Shape, kernelAxes.ToArray(), kind);
        ctx.Device.Kernel(typeof(GpuReduction), acc => new GpuReduction(acc)).Run(ctx.Stream, x.Float, y.Float, p);
        return [y];
    }
}

/// <summary>ArgMax / ArgMin along one axis, int64 indices.</summary>
internal sealed class GpuArgOp(bool max, long axis, bool keepDims, bool selectLast) : GpuOp
{
    public override DataType OutputType(int i, DataType input0) => DataType.Int64;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank == 0) throw new ArgumentException($"{ctx.Node.OpType} needs an input of rank ≥ 1.");
        int a = ShapeUtil.NormalizeAxis(axis, x.Rank), n = x.Shape[a];
        if (n == 0) throw new ArgumentException($"{ctx.Node.OpType}: cannot pick an index along an empty axis of {x}.");
        var outShape = new List<int>();
        for (int d = 0; d < x.Rank; d++)
            if (d != a) outShape.Add(x.Shape[d]);
            else if (keepDims) outShape.Add(1);
        var y = ctx.Allocate(DataType.Int64, outShape.ToArray());
        if (y.Length == 0) return [y];
        GpuTypedOps.Kernels(ctx).Arg(ctx.Stream, x.Raw, (int)x.DataType, y.Raw.Cast<long>().SubView(0, y.Length),
            GpuNormalizationOps.Product(x.Shape, 0, a), n, GpuNormalizationOps.Product(x.Shape, a + 1, x.Rank), max, selectLast);
        return [y];
    }
}
