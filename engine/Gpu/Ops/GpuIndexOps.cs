using ILGPU.Runtime;
using NativeInfer.Kernels.Gpu.Data;
using NativeInfer.Kernels.Gpu.Typed;
using NativeInfer.Ops.TensorManip;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// The index ops of any standard element type on the <see cref="GpuIndex"/> kernels, with int32 or int64 indices:
/// Gather, GatherElements, GatherND (batch_dims), ScatterElements and the deprecated Scatter, ScatterND (reductions
/// none/add/mul/max/min; bool only without a reduction), and TensorScatter (a KV-cache update; its write_indices, one per
/// batch, are read and checked on the host).
/// <para>
/// Bounds: every index is checked on the host before the launch, so an index out of range is an
/// <see cref="ArgumentOutOfRangeException"/> from <c>Run</c> (with the CPU op's message), never a wrong read. Constant
/// indices are captured when the node is built and checked against the data's shape at each run (the device copy is the
/// uploaded initializer); runtime indices are read on the host (copied from the device when a GPU node produced them, a
/// copy of the index tensor only), checked, and uploaded for the kernel. For GatherElements and the scatters the index
/// tensor is as large as the output or the updates, so those copies cost about as much as the op itself; they buy a
/// clear error without a device-side error flag and an extra synchronization.
/// </para>
/// </summary>
public static class GpuIndexOps
{
    public static void Register(GpuOpTable t)
    {
        t.Register("Gather", ctx => Indexed(ctx, false) ? new GpuGatherAnyOp(ctx.Attributes.Int("axis", 0), Constant(ctx)) : null);
        t.Register("GatherElements", ctx => ctx.Build.Opset >= 11 && Indexed(ctx, false)
            ? new GpuGatherElementsOp(ctx.Attributes.Int("axis", 0), Constant(ctx)) : null);
        t.Register("GatherND", ctx => ctx.Build.Opset >= 11 && Indexed(ctx, false)
            ? new GpuGatherNdOp((int)ctx.Attributes.Int("batch_dims", 0), Constant(ctx)) : null);
        foreach (var name in new[] { "Scatter", "ScatterElements" })
            t.Register(name, ctx => Reduction(ctx) is { } r && ctx.Build.Opset >= (name == "Scatter" ? 9 : 11) && Indexed(ctx, true)
                ? new GpuScatterElementsOp(ctx.Attributes.Int("axis", 0), r, Constant(ctx)) : null);
        t.Register("TensorScatter", ctx =>
        {
            if (ctx.Build.InputCount is not (2 or 3) || GpuTypedOps.Typed(ctx, 0) is not { } cache || GpuTypedOps.Typed(ctx, 1) != cache) return null;
            if (ctx.Build.HasInput(2) && !(GpuTypedOps.Typed(ctx, 2) is { } w && DataTypes.IsInteger(w))) return null;
            return ctx.Attributes.String("mode", "linear") switch
            {
                "linear" => new GpuTensorScatterOp(ctx.Attributes.Int("axis", -2), false),
                "circular" => new GpuTensorScatterOp(ctx.Attributes.Int("axis", -2), true),
                _ => null,
            };
        });
        t.Register("ScatterND", ctx => ctx.Build.Opset >= 11 && Reduction(ctx) is { } r && Indexed(ctx, true)
            ? new GpuScatterNdOp(r, Constant(ctx)) : null);
    }

    /// <summary>
    /// Data (and for a scatter updates, input 2) of one handled type and int32/int64 indices at input 1; bool data only
    /// where no reduction applies.
    /// </summary>
    private static bool Indexed(GpuOpBuildContext ctx, bool scatter)
    {
        if (ctx.Build.InputCount != (scatter ? 3 : 2) || GpuTypedOps.Typed(ctx, 0) is not { } data) return false;
        if (GpuTypedOps.Typed(ctx, 1) is not (DataType.Int32 or DataType.Int64)) return false;
        return !scatter || GpuTypedOps.Typed(ctx, 2) == data && (data != DataType.Bool || ctx.Attributes.String("reduction", "none") == "none");
    }

    private static int? Reduction(GpuOpBuildContext ctx) => ctx.Attributes.String("reduction", "none") switch
    {
        "none" => GpuIndex.None,
        "add" when ctx.Build.Opset >= 16 => GpuIndex.Add,
        "mul" when ctx.Build.Opset >= 16 => GpuIndex.Mul,
        "max" when ctx.Build.Opset >= 18 => GpuIndex.Max,
        "min" when ctx.Build.Opset >= 18 => GpuIndex.Min,
        _ => null,
    };

    /// <summary>The indices (input 1) when they are a constant of the graph, else null (they are then read on the host).</summary>
    private static long[]? Constant(GpuOpBuildContext ctx) => ctx.Build.ConstantInput(1)?.ToInt64Array();

    internal static GpuIndex Kernels(GpuOpContext ctx) => ctx.Device.Kernel(typeof(GpuIndex), a => new GpuIndex(a));

    /// <summary>
    /// The indices for the host checks (values and shape): the constant with the shape of its device copy, or the host
    /// copy of input 1.
    /// </summary>
    internal static (long[] Values, int[] Shape) HostIndices(GpuOpInputs inputs, long[]? constant, string op)
    {
        if (constant is not null) return (constant, inputs.Req(1).Shape);
        var host = inputs.Host(1) ?? throw new ArgumentException($"{op} needs indices.");
        if (host.DataType is not (DataType.Int32 or DataType.Int64))
            throw new ArgumentException($"{op} indices must be int32 or int64, not {DataTypes.Name(host.DataType)}.");
        return (host.ToInt64Array(), host.Shape);
    }

    /// <summary>
    /// Runs <paramref name="launch"/> with the indices on the device, after the checks: the uploaded constant, or a fresh
    /// upload of the host copy (freed when the launch is queued or has thrown).
    /// </summary>
    internal static void WithDeviceIndices(GpuOpContext ctx, GpuOpInputs inputs, long[]? constant, Action<GpuTensor> launch)
    {
        var idx = constant is null ? ctx.Upload(inputs.Host(1)!) : inputs.Req(1);
        try
        {
            if (idx.DataType is not (DataType.Int32 or DataType.Int64))
                throw new ArgumentException($"{ctx.Node.OpType} indices must be int32 or int64, not {DataTypes.Name(idx.DataType)}.");
            launch(idx);
        }
        finally
        {
            if (constant is null) ctx.Free(idx);
        }
    }

    /// <summary>Checks that every index lies in [−dim, dim).</summary>
    internal static void CheckRange(long[] indices, int dim, string op)
    {
        foreach (long k in indices)
            if (k < -dim || k >= dim) IndexMath.Normalize(k, dim, $"{op} index");   // throws with the CPU op's message
    }

    internal static int Width(GpuTensor t) => DataTypes.SizeOf(t.DataType);

    internal static int Code(GpuTensor t) => (int)t.DataType;

    internal static void RequireShape(int[] expected, int[] actual, string what)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
            throw new ShapeMismatchException($"{what} have shape {ShapeUtil.Format(actual)}, expected {ShapeUtil.Format(expected)}.");
    }

    internal static void RequireSameType(GpuTensor data, GpuTensor updates)
    {
        if (updates.DataType != data.DataType)
            throw new ArgumentException($"Scatter updates are {DataTypes.Name(updates.DataType)} but data is {DataTypes.Name(data.DataType)}.");
    }

    /// <summary>y = a copy of data, on the stream.</summary>
    internal static GpuTensor CopyOf(GpuOpContext ctx, GpuTensor data)
    {
        var y = ctx.Allocate(data.DataType, data.Shape);
        if (data.Length > 0) data.Raw.SubView(0, data.Bytes).CopyTo(ctx.Stream, y.Raw.SubView(0, y.Bytes));
        return y;
    }
}

/// <summary>Gather along an axis (any data type, int32/int64 indices, negative indices wrap).</summary>
internal sealed class GpuGatherAnyOp(long axis, long[]? constant) : GpuOp
{
    public override bool ReadsOnHost(int i) => i == 1 && constant is null;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank == 0) throw new ShapeMismatchException("Gather data must have rank 1 or more.");
        int a = ShapeUtil.NormalizeAxis(axis, x.Rank), dim = x.Shape[a];
        var (values, idxShape) = GpuIndexOps.HostIndices(inputs, constant, "Gather");
        GpuIndexOps.CheckRange(values, dim, "Gather");
        int[] shape = [.. x.Shape[..a], .. idxShape, .. x.Shape[(a + 1)..]];
        var y = ctx.Allocate(x.DataType, shape);
        if (y.Length > 0)
            GpuIndexOps.WithDeviceIndices(ctx, inputs, constant, idx => GpuIndexOps.Kernels(ctx).Gather(ctx.Stream, x.Raw, idx.Raw, GpuIndexOps.Code(idx),
                y.Raw, IndexMath.Product(x.Shape, 0, a), dim, IndexMath.Product(x.Shape, a + 1, x.Rank), idx.Length, GpuIndexOps.Width(x)));
        return [y];
    }
}

/// <summary>GatherElements (any data type, int32/int64 indices of the data's rank).</summary>
internal sealed class GpuGatherElementsOp(long axis, long[]? constant) : GpuOp
{
    public override bool ReadsOnHost(int i) => i == 1 && constant is null;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        int a = ShapeUtil.NormalizeAxis(axis, x.Rank);
        var (values, idxShape) = GpuIndexOps.HostIndices(inputs, constant, "GatherElements");
        CheckElementShapes(x.Shape, idxShape, a, "GatherElements");
        GpuIndexOps.CheckRange(values, x.Shape[a], "GatherElements");
        var y = ctx.Allocate(x.DataType, idxShape);
        if (y.Length > 0)
            GpuIndexOps.WithDeviceIndices(ctx, inputs, constant, idx => GpuIndexOps.Kernels(ctx).GatherElements(ctx.Stream, x.Raw, x.Shape, idx.Raw,
                GpuIndexOps.Code(idx), idx.Shape, a, y.Raw, GpuIndexOps.Width(x)));
        return [y];
    }

    /// <summary>Indices of the data's rank, each dim but the axis at most the data's (the CPU op's rules and messages).</summary>
    internal static void CheckElementShapes(int[] data, int[] indices, int axis, string op)
    {
        if (indices.Length != data.Length)
            throw new ShapeMismatchException($"{op} indices have rank {indices.Length}, data has rank {data.Length}.");
        for (int d = 0; d < data.Length; d++)
            if (d != axis && indices[d] > data[d])
                throw new ShapeMismatchException($"{op} indices shape {ShapeUtil.Format(indices)} exceeds data shape {ShapeUtil.Format(data)} on axis {d}.");
    }
}

/// <summary>GatherND with batch_dims (any data type, int32/int64 indices).</summary>
internal sealed class GpuGatherNdOp(int batchDims, long[]? constant) : GpuOp
{
    public override bool ReadsOnHost(int i) => i == 1 && constant is null;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        var (values, idxShape) = GpuIndexOps.HostIndices(inputs, constant, "GatherND");
        CheckRows(x.Shape, idxShape, batchDims, values, "GatherND");
        int k = idxShape[^1];
        int[] shape = [.. idxShape[..^1], .. x.Shape[(batchDims + k)..]];
        var y = ctx.Allocate(x.DataType, shape);
        if (y.Length > 0)
            GpuIndexOps.WithDeviceIndices(ctx, inputs, constant, idx => GpuIndexOps.Kernels(ctx).GatherND(ctx.Stream, x.Raw, x.Shape, idx.Raw,
                GpuIndexOps.Code(idx), idx.Shape, batchDims, y.Raw, GpuIndexOps.Width(x)));
        return [y];
    }

    /// <summary>The index rows' shape rules and every index against its dim (the CPU op's messages).</summary>
    internal static void CheckRows(int[] data, int[] indices, int batchDims, long[] values, string op)
    {
        if (indices.Length < 1) throw new ShapeMismatchException($"{op} indices must have rank 1 or more.");
        int k = indices[^1];
        if (batchDims < 0 || batchDims > 0 && batchDims >= Math.Min(data.Length, indices.Length))
            throw new ArgumentOutOfRangeException(nameof(batchDims), $"{op} batch_dims {batchDims} is out of range.");
        if (batchDims + k > data.Length)
            throw new ShapeMismatchException(
                $"{op} index rows of length {k} do not fit data of shape {ShapeUtil.Format(data)} with batch_dims {batchDims}.");
        for (int d = 0; d < batchDims; d++)
            if (data[d] != indices[d])
                throw new ShapeMismatchException($"{op} batch dim {d} differs: data {ShapeUtil.Format(data)}, indices {ShapeUtil.Format(indices)}.");
        for (int i = 0; i < values.Length; i++)
        {
            int dim = data[batchDims + i % k];
            if (values[i] < -dim || values[i] >= dim) IndexMath.Normalize(values[i], dim, $"{op} index");
        }
    }
}

/// <summary>ScatterElements / Scatter: a copy of data, then the updates written or combined along the axis.</summary>
internal sealed class GpuScatterElementsOp(long axis, int reduction, long[]? constant) : GpuOp
{
    public override bool ReadsOnHost(int i) => i == 1 && constant is null;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var data = inputs.Req(0);
        var updates = inputs.Req(2);
        int a = ShapeUtil.NormalizeAxis(axis, data.Rank);
        var (values, idxShape) = GpuIndexOps.HostIndices(inputs, constant, "ScatterElements");
        GpuIndexOps.RequireShape(idxShape, updates.Shape, "ScatterElements updates");
        GpuGatherElementsOp.CheckElementShapes(data.Shape, idxShape, a, "ScatterElements");
        GpuIndexOps.CheckRange(values, data.Shape[a], "ScatterElements");
        GpuIndexOps.RequireSameType(data, updates);
        var y = GpuIndexOps.CopyOf(ctx, data);
        if (updates.Length > 0)
            GpuIndexOps.WithDeviceIndices(ctx, inputs, constant, idx => GpuIndexOps.Kernels(ctx).ScatterElements(ctx.Stream, y.Raw, y.Shape,
                GpuIndexOps.Code(y), idx.Raw, GpuIndexOps.Code(idx), idx.Shape, updates.Raw, a, reduction));
        return [y];
    }
}

/// <summary>ScatterND: a copy of data, then the update slices written or combined at the index rows.</summary>
internal sealed class GpuScatterNdOp(int reduction, long[]? constant) : GpuOp
{
    public override bool ReadsOnHost(int i) => i == 1 && constant is null;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var data = inputs.Req(0);
        var updates = inputs.Req(2);
        var (values, idxShape) = GpuIndexOps.HostIndices(inputs, constant, "ScatterND");
        GpuGatherNdOp.CheckRows(data.Shape, idxShape, 0, values, "ScatterND");
        int k = idxShape[^1];
        GpuIndexOps.RequireShape([.. idxShape[..^1], .. data.Shape[k..]], updates.Shape, "ScatterND updates");
        GpuIndexOps.RequireSameType(data, updates);
        var y = GpuIndexOps.CopyOf(ctx, data);
        if (updates.Length > 0)
            GpuIndexOps.WithDeviceIndices(ctx, inputs, constant, idx => GpuIndexOps.Kernels(ctx).ScatterND(ctx.Stream, y.Raw, y.Shape,
                GpuIndexOps.Code(y), idx.Raw, GpuIndexOps.Code(idx), idx.Shape, updates.Raw, reduction));
        return [y];
    }
}

/// <summary>
/// TensorScatter (opset 24): a copy of past_cache with the update's slices along the axis written at write_indices[b] + i
/// (mod the cache length in circular mode); write_indices (default zeros) are read and checked on the host.
/// </summary>
internal sealed class GpuTensorScatterOp(long axis, bool circular) : GpuOp
{
    private const string Op = "TensorScatter";

    public override bool ReadsOnHost(int i) => i == 2;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var cache = inputs.Req(0);
        var update = inputs.Req(1);
        var indices = inputs.Host(2);
        int rank = cache.Rank;
        if (rank < 2 || update.Rank != rank || update.DataType != cache.DataType)
            throw new ShapeMismatchException($"{Op}: past_cache {cache} and update {update} must share rank (≥ 2) and element type.");
        int a = ShapeUtil.NormalizeAxis(axis, rank);
        if (a == 0) throw new ArgumentException($"{Op}: axis must not be the batch axis 0.");
        for (int d = 0; d < rank; d++)
            if (d == a ? update.Shape[d] > cache.Shape[d] : update.Shape[d] != cache.Shape[d])
                throw new ShapeMismatchException($"{Op}: update {update} does not fit past_cache {cache} along axis {a}.");
        int batch = cache.Shape[0], maxLen = cache.Shape[a], len = update.Shape[a];
        var writeAt = new long[batch];
        if (indices is not null)
        {
            if (indices.Rank != 1 || indices.Shape[0] != batch || !DataTypes.IsInteger(indices.DataType))
                throw new ShapeMismatchException($"{Op}: write_indices must be an integer tensor of shape [{batch}], got {indices}.");
            writeAt = indices.ToInt64Array();
        }
        foreach (long w in writeAt)
            if (w < 0 || !circular && w + len > maxLen || circular && w >= maxLen)
                throw new ArgumentOutOfRangeException(nameof(inputs),
                    $"{Op}: write index {w} with {len} updates does not fit a cache of length {maxLen} ({(circular ? "circular" : "linear")}).");
        var y = GpuIndexOps.CopyOf(ctx, cache);
        if (update.Length == 0) return [y];
        var at = ctx.Upload(new Tensor<long>(writeAt, [batch]));
        try
        {
            GpuIndexOps.Kernels(ctx).CacheWrite(ctx.Stream, y.Raw, update.Raw, at.Raw.Cast<long>(), batch, IndexMath.Product(cache.Shape, 1, a),
                maxLen, len, IndexMath.Product(cache.Shape, a + 1, rank), circular, GpuIndexOps.Width(cache));
        }
        finally
        {
            ctx.Free(at);
        }
        return [y];
    }
}
