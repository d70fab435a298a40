using NativeInfer.Kernels.Gpu.Normalization;
using NativeInfer.Kernels.Gpu.Softmax;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// Inference BatchNormalization, LayerNormalization (with its optional Mean / InvStdDev outputs), RMSNormalization,
/// Softmax and LogSoftmax on the GPU, float32.
/// </summary>
public static class GpuNormalizationOps
{
    public static void Register(GpuOpTable t)
    {
        t.Register("BatchNormalization", ctx =>
        {
            if (ctx.Build.InputCount != 5 || !ctx.AllInputsFloat(5) || ctx.Build.Opset < 6) return null;
            if (ctx.Attributes.Int("training_mode", 0) != 0 || ctx.Attributes.Int("spatial", 1) != 1) return null;
            for (int i = 1; i < ctx.Build.OutputCount; i++) if (ctx.Node.Outputs[i].Length > 0) return null;   // training outputs
            return new GpuBatchNormOp(ctx.Attributes.Float("epsilon", 1e-5f));
        });
        t.Register("LayerNormalization", ctx =>
        {
            if (ctx.Build.InputCount is < 2 or > 3 || !ctx.Build.HasInput(0) || !ctx.Build.HasInput(1) || !ctx.AllInputsFloat(2)) return null;
            if (ctx.Attributes.Int("stash_type", 1) != 1) return null;
            return new GpuLayerNormOp(ctx.Attributes.Int("axis", -1), ctx.Attributes.Float("epsilon", 1e-5f));
        });
        t.Register("RMSNormalization", ctx =>
        {
            if (ctx.Build.InputCount != 2 || !ctx.Build.HasInput(0) || !ctx.Build.HasInput(1) || !ctx.AllInputsFloat(2)) return null;
            if (ctx.Attributes.Int("stash_type", 1) != 1) return null;
            return new GpuLayerNormOp(ctx.Attributes.Int("axis", -1), ctx.Attributes.Float("epsilon", 1e-5f), rms: true);
        });
        t.Register("Softmax", ctx => Softmax(ctx, log: false));
        t.Register("LogSoftmax", ctx => Softmax(ctx, log: true));
    }

    private static GpuOp? Softmax(GpuOpBuildContext ctx, bool log) =>
        ctx.Build.InputCount == 1 && ctx.AllInputsFloat()
            ? new GpuSoftmaxOp(ctx.Attributes.Int("axis", ctx.Build.Opset >= 13 ? -1 : 1), flatten: ctx.Build.Opset < 13, log)
            : null;

    /// <summary>The product of dims [from, to).</summary>
    internal static int Product(int[] shape, int from, int to)
    {
        long p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return checked((int)p);
    }
}

/// <summary>y = (x − mean[c]) / sqrt(var[c] + ε) · scale[c] + bias[c] over X [N, C, ...].</summary>
internal sealed class GpuBatchNormOp(float epsilon) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank < 2) throw new ShapeMismatchException($"BatchNormalization needs an N×C×... input, got {ShapeUtil.Format(x.Shape)}.");
        int c = x.Shape[1];
        for (int i = 1; i < 5; i++)
            if (inputs.Req(i).Length != c)
                throw new ShapeMismatchException($"BatchNormalization input {i} {ShapeUtil.Format(inputs.Req(i).Shape)} needs {c} values (one per channel).");
        var y = ctx.Allocate(DataType.Float, x.Shape);
        var p = new GpuBatchNormParams(x.Shape[0], c, GpuNormalizationOps.Product(x.Shape, 2, x.Rank), epsilon);
        ctx.Device.Kernel(typeof(GpuBatchNormalization), a => new GpuBatchNormalization(a))
            .Run(ctx.Stream, x.Float, inputs.Req(1).Float, inputs.Req(2).Float, inputs.Req(3).Float, inputs.Req(4).Float, y.Float, p);
        return [y];
    }
}

/// <summary>
/// LayerNormalization (or, with <paramref name="rms"/>, RMSNormalization) over the dims from <c>axis</c> on; scale and
/// bias of the normalized shape or of X's.
/// </summary>
internal sealed class GpuLayerNormOp(long axis, float epsilon, bool rms = false) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        var scale = inputs.Req(1);
        var bias = inputs.Device(2);
        int a = ShapeUtil.NormalizeAxis(axis, x.Rank);
        int rows = GpuNormalizationOps.Product(x.Shape, 0, a), size = GpuNormalizationOps.Product(x.Shape, a, x.Rank);
        int RowStride(GpuTensor t, string name) =>
            t.Length == size ? 0
            : t.Length == x.Length && t.Rank == x.Rank ? size
            : throw new NotSupportedException($"{(rms ? "RMSNormalization" : "LayerNormalization")} {name} {ShapeUtil.Format(t.Shape)} must hold the normalized shape or X's shape on the GPU.");
        int scaleStride = RowStride(scale, "scale"), biasStride = bias is null ? 0 : RowStride(bias, "bias");
        var y = ctx.Allocate(DataType.Float, x.Shape);
        int outputs = ctx.Node.Outputs.Length;
        bool stats = !rms && outputs > 1 && ctx.Node.Outputs[1].Length > 0 || outputs > 2 && ctx.Node.Outputs[2].Length > 0;
        var statShape = (int[])x.Shape.Clone();
        for (int i = a; i < statShape.Length; i++) statShape[i] = 1;
        var mean = stats ? ctx.Allocate(DataType.Float, statShape) : null;
        var inv = stats ? ctx.Allocate(DataType.Float, statShape) : null;
        var p = new GpuLayerNormParams(rows, size, epsilon, bias is not null, scaleStride, biasStride, stats, rms);
        if (x.Length > 0)
            ctx.Device.Kernel(typeof(GpuLayerNormalization), acc => new GpuLayerNormalization(acc))
                .Run(ctx.Stream, x.Float, scale.Float, bias is null ? default : bias.Float, y.Float,
                    mean is null ? default : mean.Float, inv is null ? default : inv.Float, p);
        var result = new GpuTensor?[outputs];
        result[0] = y;
        if (outputs > 1 && ctx.Node.Outputs[1].Length > 0) result[1] = mean;
        else if (mean is not null) ctx.Free(mean);
        if (outputs > 2 && ctx.Node.Outputs[2].Length > 0) result[2] = inv;
        else if (inv is not null) ctx.Free(inv);
        return result;
    }
}

/// <summary>(Log)Softmax along an axis (opset ≥ 13), or over the dims flattened from the axis (older opsets).</summary>
internal sealed class GpuSoftmaxOp(long axis, bool flatten, bool log) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        var y = ctx.Allocate(DataType.Float, x.Shape);
        if (x.Rank == 0)
            throw new ShapeMismatchException($"{(log ? "LogSoftmax" : "Softmax")} needs an input of rank ≥ 1.");
        int a = ShapeUtil.NormalizeAxis(axis, x.Rank);
        int outer = GpuNormalizationOps.Product(x.Shape, 0, a);
        var p = flatten
            ? new GpuSoftmaxParams(outer, GpuNormalizationOps.Product(x.Shape, a, x.Rank), 1, log)
            : new GpuSoftmaxParams(outer, x.Shape[a], GpuNormalizationOps.Product(x.Shape, a + 1, x.Rank), log);
        ctx.Device.Kernel(typeof(GpuSoftmax), acc => new GpuSoftmax(acc)).Run(ctx.Stream, x.Float, y.Float, p);
        return [y];
    }
}
