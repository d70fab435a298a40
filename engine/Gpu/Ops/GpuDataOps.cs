using NativeInfer.Kernels.Gpu.Data;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// The float32 data-movement ops on the GPU: Concat, Split, Transpose, Slice (opset ≥ 10) and Pad (opset ≥ 11).
/// Shape-like inputs are read on the host. Gather is in <see cref="GpuIndexOps"/>.
/// </summary>
public static class GpuDataOps
{
    public static void Register(GpuOpTable t)
    {
        t.Register("Concat", ctx => ctx.Build.InputCount >= 1 && ctx.AllInputsFloat() && ctx.Attributes.Has("axis")
            ? new GpuConcatOp(ctx.Attributes.Int("axis", 0)) : null);
        t.Register("Split", ctx =>
        {
            if (!ctx.InputIs(0, DataType.Float) || ctx.Build.Opset < 2) return null;
            for (int i = 0; i < ctx.Build.OutputCount; i++) if (ctx.Node.Outputs[i].Length == 0) return null;
            return new GpuSplitOp(ctx.Attributes.Int("axis", 0), ctx.Attributes.Ints("split"), ctx.Attributes.Has("num_outputs"));
        });
        t.Register("Transpose", ctx => ctx.Build.InputCount == 1 && ctx.AllInputsFloat() ? new GpuTransposeOp(ctx.Attributes.Ints("perm")) : null);
        t.Register("Slice", ctx => ctx.Build.Opset >= 10 && ctx.Build.InputCount is >= 3 and <= 5 && ctx.InputIs(0, DataType.Float)
            ? new GpuSliceOp() : null);
        t.Register("Pad", ctx =>
        {
            if (ctx.Build.Opset < 11 || !ctx.InputIs(0, DataType.Float)) return null;
            if (ctx.Build.HasInput(2) && !ctx.InputIs(2, DataType.Float)) return null;
            GpuPadMode? mode = ctx.Attributes.String("mode", "constant") switch
            {
                "constant" => GpuPadMode.Constant,
                "reflect" => GpuPadMode.Reflect,
                "edge" => GpuPadMode.Edge,
                "wrap" => GpuPadMode.Wrap,
                _ => null,
            };
            return mode is { } m ? new GpuPadOp(m) : null;
        });
    }

    internal static T Launcher<T>(GpuOpContext ctx, Func<ILGPU.Runtime.Accelerator, T> load) where T : class => ctx.Device.Kernel(typeof(T), load);
}

/// <summary>Concat along an axis.</summary>
internal sealed class GpuConcatOp(long axis) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var first = inputs.Req(0);
        int rank = first.Rank;
        if (rank == 0) throw new ShapeMismatchException("Concat needs inputs of rank ≥ 1.");
        int a = ShapeUtil.NormalizeAxis(axis, rank);
        var outShape = (int[])first.Shape.Clone();
        var sizes = new int[inputs.Count];
        var views = new ILGPU.ArrayView<float>[inputs.Count];
        long total = 0;
        for (int j = 0; j < inputs.Count; j++)
        {
            var x = inputs.Req(j);
            if (x.Rank != rank) throw new ShapeMismatchException($"Concat input {j} {ShapeUtil.Format(x.Shape)} has another rank than {ShapeUtil.Format(first.Shape)}.");
            for (int d = 0; d < rank; d++)
                if (d != a && x.Shape[d] != first.Shape[d])
                    throw new ShapeMismatchException($"Concat input {j} {ShapeUtil.Format(x.Shape)} differs from {ShapeUtil.Format(first.Shape)} off axis {a}.");
            sizes[j] = x.Shape[a];
            views[j] = x.Float;
            total += x.Shape[a];
        }
        outShape[a] = checked((int)total);
        var y = ctx.Allocate(DataType.Float, outShape);
        if (y.Length == 0) return [y];
        GpuDataOps.Launcher(ctx, acc => new GpuConcatSplit(acc)).Concat(ctx.Stream, views, sizes,
            GpuNormalizationOps.Product(outShape, 0, a), GpuNormalizationOps.Product(outShape, a + 1, rank), y.Float);
        return [y];
    }
}

/// <summary>Split along an axis: sizes from the split input (opset ≥ 13) or attribute, else equal parts (the last smaller with num_outputs).</summary>
internal sealed class GpuSplitOp(long axis, long[]? splitAttr, bool numOutputs) : GpuOp
{
    public override bool ReadsOnHost(int i) => i == 1;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank == 0) throw new ShapeMismatchException("Split needs an input of rank ≥ 1.");
        int a = ShapeUtil.NormalizeAxis(axis, x.Rank), dim = x.Shape[a], parts = ctx.Node.Outputs.Length;
        var split = inputs.Host(1)?.ToInt64Array() ?? splitAttr;
        var sizes = new int[parts];
        if (split is not null)
        {
            if (split.Length != parts) throw new ArgumentException($"Split: {split.Length} sizes for {parts} outputs.");
            long sum = 0;
            for (int j = 0; j < parts; j++)
            {
                if (split[j] < 0) throw new ArgumentException("Split sizes must be non-negative.");
                sum += split[j];
                sizes[j] = (int)Math.Min(split[j], int.MaxValue);
            }
            if (sum != dim) throw new ShapeMismatchException($"Split sizes sum to {sum}, not the axis length {dim}.");
        }
        else
        {
            int chunk = numOutputs ? (dim + parts - 1) / parts : dim / parts;
            if (!numOutputs && dim % parts != 0) throw new ShapeMismatchException($"Split: axis length {dim} is not divisible into {parts} outputs.");
            for (int j = 0, left = dim; j < parts; j++)
            {
                sizes[j] = Math.Min(chunk, left);
                left -= sizes[j];
            }
            if (numOutputs && chunk * (parts - 1) >= dim && parts > 1)
                throw new ShapeMismatchException($"Split: axis length {dim} cannot make {parts} non-empty outputs.");
        }
        var outs = new GpuTensor?[parts];
        var views = new ILGPU.ArrayView<float>[parts];
        for (int j = 0; j < parts; j++)
        {
            var s = (int[])x.Shape.Clone();
            s[a] = sizes[j];
            outs[j] = ctx.Allocate(DataType.Float, s);
            views[j] = outs[j]!.Float;
        }
        if (x.Length > 0)
            GpuDataOps.Launcher(ctx, acc => new GpuConcatSplit(acc)).Split(ctx.Stream, x.Float, views, sizes,
                GpuNormalizationOps.Product(x.Shape, 0, a), GpuNormalizationOps.Product(x.Shape, a + 1, x.Rank));
        return outs;
    }
}

/// <summary>Transpose by perm (default: reversed dims).</summary>
internal sealed class GpuTransposeOp(long[]? perm) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        int rank = x.Rank;
        var p = NativeInfer.Ops.TensorManip.Transpose.Permutation(perm, x.Shape);
        var outShape = new int[rank];
        for (int i = 0; i < rank; i++) outShape[i] = x.Shape[p[i]];
        var y = ctx.Allocate(DataType.Float, outShape);
        GpuDataOps.Launcher(ctx, acc => new GpuTranspose(acc)).Run(ctx.Stream, x.Float, y.Float, x.Shape, p);
        return [y];
    }
}

/// <summary>Slice (opset ≥ 10): starts, ends, axes and steps read on the host.</summary>
internal sealed class GpuSliceOp : GpuOp
{
    public override bool ReadsOnHost(int i) => i > 0;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        var starts = inputs.Host(1)?.ToInt64Array() ?? throw new ArgumentException("Slice needs starts.");
        var ends = inputs.Host(2)?.ToInt64Array() ?? throw new ArgumentException("Slice needs ends.");
        var p = GpuSliceParams.FromOnnx(x.Shape, starts, ends, inputs.Host(3)?.ToInt64Array(), inputs.Host(4)?.ToInt64Array());
        var y = ctx.Allocate(DataType.Float, p.OutShape);
        if (y.Length > 0) GpuDataOps.Launcher(ctx, acc => new GpuSlice(acc)).Run(ctx.Stream, x.Float, y.Float, p);
        return [y];
    }
}

/// <summary>Pad (opset ≥ 11): pads, constant_value and axes (opset 18) read on the host.</summary>
internal sealed class GpuPadOp(GpuPadMode mode) : GpuOp
{
    public override bool ReadsOnHost(int i) => i > 0;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        int rank = x.Rank;
        var pads = inputs.Host(1)?.ToInt64Array() ?? throw new ArgumentException("Pad needs pads.");
        float value = inputs.Host(2) is { } v ? v.Length == 1 ? (float)v.GetDouble(0) : throw new ArgumentException("Pad constant_value must be a scalar.") : 0f;
        var axesIn = inputs.Host(3)?.ToInt64Array();
        var axes = new int[axesIn?.Length ?? rank];
        for (int i = 0; i < axes.Length; i++) axes[i] = axesIn is null ? i : ShapeUtil.NormalizeAxis(axesIn[i], rank);
        if (pads.Length != 2 * axes.Length) throw new ArgumentException($"Pad has {pads.Length} pads for {axes.Length} axes.");
        var begin = new int[rank];
        var end = new int[rank];
        for (int i = 0; i < axes.Length; i++)
        {
            begin[axes[i]] = checked((int)pads[i]);
            end[axes[i]] = checked((int)pads[i + axes.Length]);
        }
        var p = new GpuPadParams(x.Shape, begin, end, mode, value);
        var outShape = p.OutShape();
        foreach (int d in outShape) if (d < 0) throw new ShapeMismatchException("Pad: negative pads remove more than the dim holds.");
        if (mode == GpuPadMode.Reflect)
            for (int i = 0; i < rank; i++)
                if (begin[i] >= x.Shape[i] || end[i] >= x.Shape[i])
                    if (begin[i] > 0 || end[i] > 0) throw new ShapeMismatchException("Pad: reflect pads must be smaller than the dim.");
        var y = ctx.Allocate(DataType.Float, outShape);
        if (y.Length > 0) GpuDataOps.Launcher(ctx, acc => new GpuPad(acc)).Run(ctx.Stream, x.Float, y.Float, p);
        return [y];
    }
}
