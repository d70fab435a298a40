using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Kernels.Gpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// <c>ai.nativeinfer:FusedElementwise</c> on the GPU: the node's program is encoded once (<see cref="GpuFusedProgram"/>)
/// and uploaded with its immediates when the op is built; each run is one interpreter launch. An input whose broadcast
/// is not a leading/trailing one (e.g. [C,1,W] against [N,C,H,W]) is first expanded into a scratch tensor.
/// </summary>
public sealed class GpuFusedElementwiseOp : GpuOp
{
    private readonly GpuFusedProgram _program;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _code;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _immediates;

    private GpuFusedElementwiseOp(GpuFusedProgram program, Accelerator accelerator)
    {
        _program = program;
        _code = accelerator.Allocate1D(program.Code);
        _immediates = accelerator.Allocate1D(program.Immediates);
    }

    public static void Register(GpuOpTable t) => t.Register("ai.nativeinfer", "FusedElementwise", ctx =>
    {
        var a = ctx.Attributes;
        if (a.Ints("opcodes") is not { } opcodes || a.Ints("operands") is not { } operands) return null;
        if (!ctx.AllInputsFloat() || ctx.Node.Inputs.Any(i => i.Length == 0)) return null;
        var program = GpuFusedProgram.TryCreate(ctx.Build.InputCount, opcodes, operands, a.Floats("immediates") ?? [], out _);
        return program is null ? null : new GpuFusedElementwiseOp(program, ctx.Device.Accelerator);
    });

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        int count = inputs.Count;
        var shape = Array.Empty<int>();
        for (int i = 0; i < count; i++) shape = ShapeUtil.Broadcast(shape, inputs.Req(i).Shape);
        var y = ctx.Allocate(DataType.Float, shape);
        if (y.Length == 0) return [y];
        var views = new ArrayView<float>[count];
        var layout = default(FusedLayout);
        GpuTensor?[]? scratch = null;
        for (int i = 0; i < count; i++)
        {
            var x = inputs.Req(i);
            if (FusedOperand.TryDescribe(x.Shape, shape, out int inner, out int span))
            {
                views[i] = x.Float;
                layout.Set(i, inner, span);
                continue;
            }
            if (!BroadcastLayout.TryCreate(shape, x.Shape, x.Shape, out var expand))
                throw new NotSupportedException($"Broadcasting {ShapeUtil.Format(x.Shape)} to {ShapeUtil.Format(shape)} exceeds rank {BroadcastLayout.MaxRank} on the GPU.");
            scratch ??= new GpuTensor?[count];
            var e = scratch[i] = ctx.Allocate(DataType.Float, shape);
            GpuElementwise.Expand(ctx.Device, ctx.Stream, x.Float, e.Float, expand);
            views[i] = e.Float;
            layout.Set(i, 1, y.Length);
        }
        GpuFusedElementwise.Run(ctx.Device, ctx.Stream, views, layout, y.Float, _code.View, _immediates.View, _program.Length);
        if (scratch is not null)
            foreach (var s in scratch) if (s is not null) ctx.Free(s);
        return [y];
    }
}
