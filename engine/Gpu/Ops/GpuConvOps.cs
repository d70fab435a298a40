using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Gpu.Conv;
using NativeInfer.Kernels.Gpu.Pooling;
using NativeInfer.Ops.Fused;
using NativeInfer.Ops.NN;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// Conv and the optimizer's ai.nativeinfer:FusedConv (bias, residual Z and activation in the epilogue), and the pooling
/// ops (MaxPool without Indices, AveragePool, GlobalAveragePool, GlobalMaxPool) on the GPU, float32 NC[D]HW with 1 to 3
/// spatial dims. The window attributes are parsed by the CPU side's <see cref="ConvAttributes"/>.
/// </summary>
public static class GpuConvOps
{
    public static void Register(GpuOpTable t)
    {
        t.Register("Conv", ctx => ctx.Build.InputCount is 2 or 3 && ctx.Build.HasInput(0) && ctx.Build.HasInput(1) && ctx.AllInputsFloat(2)
            ? TryConv(ctx, SgemmActivation.None, residual: false)
            : null);
        t.Register("ai.nativeinfer", "FusedConv", ctx =>
        {
            if (ctx.Build.InputCount is < 2 or > 4 || !ctx.Build.HasInput(0) || !ctx.Build.HasInput(1) || !ctx.AllInputsFloat(2)) return null;
            FusedActivation a;
            try { a = FusedActivation.Parse(ctx.Attributes.String("activation", ""), ctx.Attributes.Floats("activation_params")); }
            catch (NotSupportedException) { return null; }
            catch (ArgumentException) { return null; }
            SgemmActivation? k = a.Kind switch
            {
                ActivationKind.None => SgemmActivation.None,
                ActivationKind.Relu => SgemmActivation.Relu,
                ActivationKind.LeakyRelu => SgemmActivation.LeakyRelu(a.Alpha),
                ActivationKind.Clip => SgemmActivation.Clip(a.Alpha, a.Beta),
                ActivationKind.HardSigmoid => SgemmActivation.HardSigmoid(a.Alpha, a.Beta),
                ActivationKind.Sigmoid => SgemmActivation.Sigmoid,
                ActivationKind.Tanh => SgemmActivation.Tanh,
                _ => null,
            };
            return k is { } act ? TryConv(ctx, act, residual: ctx.Build.HasInput(3)) : null;
        });

        t.Register("MaxPool", ctx =>
        {
            if (!ctx.AllInputsFloat() || ctx.Build.InputCount != 1) return null;
            if (ctx.Build.OutputCount > 1 && ctx.Node.Outputs[1].Length > 0) return null;   // Indices: CPU
            var attrs = PoolAttrs(ctx);
            return attrs is null ? null : new GpuPoolOp(attrs, GpuPoolKind.Max, false);
        });
        t.Register("AveragePool", ctx =>
        {
            if (!ctx.AllInputsFloat() || ctx.Build.InputCount != 1) return null;
            var attrs = PoolAttrs(ctx);
            return attrs is null ? null : new GpuPoolOp(attrs, GpuPoolKind.Average, ctx.Attributes.Int("count_include_pad", 0) != 0);
        });
        t.Register("GlobalAveragePool", ctx => ctx.Build.InputCount == 1 && ctx.AllInputsFloat() ? new GpuGlobalPoolOp(max: false) : null);
        t.Register("GlobalMaxPool", ctx => ctx.Build.InputCount == 1 && ctx.AllInputsFloat() ? new GpuGlobalPoolOp(max: true) : null);
    }

    private static GpuOp? TryConv(GpuOpBuildContext ctx, SgemmActivation activation, bool residual)
    {
        if (residual && !ctx.InputIs(3, DataType.Float)) return null;
        try { return new GpuConvOp(new ConvAttributes(ctx.Attributes), activation, residual); }
        catch (NotSupportedException) { return null; }   // the CPU op reports the bad attribute
    }

    private static ConvAttributes? PoolAttrs(GpuOpBuildContext ctx)
    {
        try { return ConvAttributes.ForPool(ctx.Attributes); }
        catch (NotSupportedException) { return null; }
    }

    internal static GpuConvolution Conv(GpuOpContext ctx) => ctx.Device.Kernel(typeof(GpuConvolution), a => new GpuConvolution(a));

    internal static GpuPooling Pooling(GpuOpContext ctx) => ctx.Device.Kernel(typeof(GpuPooling), a => new GpuPooling(a));

    /// <summary>The spatial dims of an N, C, spatial... input (1 to 3 of them).</summary>
    internal static int[] Spatial(GpuTensor x, string op)
    {
        if (x.Rank is < 3 or > 5)
            throw new ShapeMismatchException($"{op} on the GPU needs an N×C×spatial input with 1 to 3 spatial dims, got {ShapeUtil.Format(x.Shape)}.");
        return x.Shape[2..];
    }
}

/// <summary>Y = act(Conv(X, W) + B + Z) (Z only for FusedConv).</summary>
internal sealed class GpuConvOp(ConvAttributes attrs, SgemmActivation activation, bool residual) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        var w = inputs.Req(1);
        var b = inputs.Device(2);
        var z = residual ? inputs.Req(3) : null;
        var spatial = GpuConvOps.Spatial(x, "Conv");
        int rank = spatial.Length, n = x.Shape[0], c = x.Shape[1], group = checked((int)attrs.Group);
        if (w.Rank != rank + 2)
            throw new ShapeMismatchException($"Conv weights {ShapeUtil.Format(w.Shape)} do not match input {ShapeUtil.Format(x.Shape)}.");
        int m = w.Shape[0];
        if (c % group != 0 || m % group != 0 || w.Shape[1] * group != c)
            throw new ShapeMismatchException($"Conv: input {ShapeUtil.Format(x.Shape)}, weights {ShapeUtil.Format(w.Shape)} and group {group} disagree.");
        if (b is not null && b.Length != m) throw new ShapeMismatchException($"Conv bias {ShapeUtil.Format(b.Shape)} needs {m} values.");
        var kernel = attrs.Kernel(rank, w.Shape.AsSpan(2));
        for (int i = 0; i < rank; i++)
            if (kernel[i] != w.Shape[2 + i])
                throw new ShapeMismatchException($"Conv kernel_shape [{string.Join(",", kernel)}] does not match weights {ShapeUtil.Format(w.Shape)}.");
        var geo = attrs.Resolve(spatial, kernel);
        var outShape = new int[rank + 2];
        outShape[0] = n;
        outShape[1] = m;
        geo.Geometry.Output.CopyTo(outShape, 2);
        if (z is not null && !z.Shape.AsSpan().SequenceEqual(outShape))
            throw new ShapeMismatchException($"FusedConv residual {ShapeUtil.Format(z.Shape)} must have the output's shape {ShapeUtil.Format(outShape)}.");
        var y = ctx.Allocate(DataType.Float, outShape);
        if (y.Length == 0) return [y];
        var p = new GpuConvParams(n, c, m, group, GpuWindow.From(geo.Geometry), activation, b is not null, z is not null);
        GpuConvOps.Conv(ctx).Run(ctx.Stream, x.Float, w.Float, b is null ? default : b.Float, z is null ? default : z.Float, y.Float, p);
        return [y];
    }
}

/// <summary>MaxPool (Y only) or AveragePool over 1 to 3 spatial dims.</summary>
internal sealed class GpuPoolOp(ConvAttributes attrs, GpuPoolKind kind, bool countIncludePad) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        string name = kind == GpuPoolKind.Max ? "MaxPool" : "AveragePool";
        var spatial = GpuConvOps.Spatial(x, name);
        int rank = spatial.Length;
        var geo = attrs.Resolve(spatial, attrs.Kernel(rank, default));
        var outShape = new int[rank + 2];
        outShape[0] = x.Shape[0];
        outShape[1] = x.Shape[1];
        geo.Geometry.Output.CopyTo(outShape, 2);
        var y = ctx.Allocate(DataType.Float, outShape);
        if (y.Length == 0) return [y];
        var p = GpuPoolParams.Create(checked(x.Shape[0] * x.Shape[1]), GpuWindow.From(geo.Geometry), kind, countIncludePad, geo.PadEnd);
        GpuConvOps.Pooling(ctx).Run(ctx.Stream, x.Float, y.Float, p);
        return [y];
    }
}

/// <summary>GlobalAveragePool / GlobalMaxPool: Y [N, C, 1, ...] over all spatial positions.</summary>
internal sealed class GpuGlobalPoolOp(bool max) : GpuOp
{
    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank < 2)
            throw new ShapeMismatchException($"{(max ? "GlobalMaxPool" : "GlobalAveragePool")} needs an N×C×... input, got {ShapeUtil.Format(x.Shape)}.");
        var outShape = new int[x.Rank];
        Array.Fill(outShape, 1);
        outShape[0] = x.Shape[0];
        outShape[1] = x.Shape[1];
        int planes = x.Shape[0] * x.Shape[1];
        int size = planes == 0 ? 0 : x.Length / planes;
        var y = ctx.Allocate(DataType.Float, outShape);
        if (y.Length == 0) return [y];
        GpuConvOps.Pooling(ctx).RunGlobal(ctx.Stream, x.Float, y.Float, planes, size, max);
        return [y];
    }
}
