using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// Ops answered from shapes on the host, with no kernel: Shape (start/end, opset 15) and Size give small int64 tensors
/// uploaded to the device; inference-mode Dropout is the identity (its optional mask all true).
/// </summary>
public static class GpuHostOps
{
    public static void Register(GpuOpTable t)
    {
        t.Register("Shape", ctx => ctx.Build.InputCount == 1 && GpuTypedOps.Typed(ctx, 0) is not null
            ? new GpuShapeOfOp(ctx.Attributes.Int("start", 0), ctx.Attributes.Has("end") ? ctx.Attributes.Int("end", 0) : null) : null);
        t.Register("Size", ctx => ctx.Build.InputCount == 1 && GpuTypedOps.Typed(ctx, 0) is not null ? new GpuSizeOp() : null);
        t.Register("Dropout", ctx =>
        {
            if (GpuTypedOps.Typed(ctx, 0) is null) return null;
            if (ctx.Build.Opset < 12)
                return ctx.Attributes.Int("is_test", 1) != 0 || ctx.Build.Opset >= 7 ? new GpuDropoutOp() : null;
            // training_mode (input 2) must be absent or a constant false: a random mask stays on the CPU.
            if (ctx.Build.HasInput(2) && (ctx.Build.ConstantInput(2) is not { Length: 1 } m || m.GetDouble(0) != 0)) return null;
            return new GpuDropoutOp();
        });
    }
}

/// <summary>Shape of input 0, dims [start, end) (negative counted from the end, clamped).</summary>
internal sealed class GpuShapeOfOp(long start, long? end) : GpuOp
{
    public override DataType OutputType(int i, DataType input0) => DataType.Int64;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        int rank = x.Rank;
        int Clamp(long v) => (int)Math.Clamp(v < 0 ? v + rank : v, 0, rank);
        int s = Clamp(start), e = Clamp(end ?? rank);
        var dims = new long[Math.Max(0, e - s)];
        for (int i = 0; i < dims.Length; i++) dims[i] = x.Shape[s + i];
        return [ctx.Upload(new Tensor<long>(dims, [dims.Length]))];
    }
}

/// <summary>Element count of input 0 as an int64 scalar.</summary>
internal sealed class GpuSizeOp : GpuOp
{
    public override DataType OutputType(int i, DataType input0) => DataType.Int64;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs) =>
        [ctx.Upload(new Tensor<long>([inputs.Req(0).Length], []))];
}

/// <summary>Inference Dropout: output = input, mask (when asked for) all true.</summary>
internal sealed class GpuDropoutOp : GpuOp
{
    public override bool ReadsOnHost(int i) => i > 0;

    public override DataType OutputType(int i, DataType input0) => i == 1 ? DataType.Bool : input0;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        if (inputs.Host(2) is { } training && (training.Length != 1 || training.GetDouble(0) != 0))
            throw new NotSupportedException("Dropout in training mode is not run on the GPU.");
        if (ctx.Node.Outputs.Length < 2 || ctx.Node.Outputs[1].Length == 0) return [x];
        var mask = new Tensor<bool>(x.Shape);
        mask.Span.Fill(true);
        return [x, ctx.Upload(mask)];
    }
}
