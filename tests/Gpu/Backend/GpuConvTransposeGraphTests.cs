using NativeInfer.Gpu;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Gpu.Backend;

/// <summary>
/// ConvTranspose through the GPU backend (engine/Gpu/Ops/GpuConvTransposeOp.cs): small graphs run on the CPU backend
/// and on the accelerator, outputs compared (|gpu − cpu| ≤ 1e-5 + 1e-3·|cpu|), and the node checked to be on the GPU.
/// </summary>
public abstract class GpuConvTransposeGraphTests : GpuGraphTests
{
    protected override int Runs => 2;


    [SkippableFact]
    public void StridedPaddedWithBiasAndOutputPadding_ThenRelu()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(1, [2, 3, 4, 3]))
            .Const("w", GpuTestGraph.Random(2, [3, 2, 3, 3], -0.5f, 0.5f))
            .Const("b", GpuTestGraph.Random(3, [2]))
            .Node("ConvTranspose", ["x", "w", "b"], ["c"], Attr.Ints("strides", 2, 2), Attr.Ints("pads", 1, 0, 0, 1),
                Attr.Ints("output_padding", 1, 0))
            .Node("Relu", ["c"], ["y"])
            .Output("y");
        var r = Compare(g);
        AllOnGpu(r, "ConvTranspose");
        Assert.Equal(1, r.UploadsPerRun);   // x only: the weights and bias were uploaded once
    }

    [SkippableFact]
    public void GroupedDilated_OutputShape_AndAutoPad()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(4, [1, 4, 3, 3]))
            .Const("w", GpuTestGraph.Random(5, [4, 3, 2, 3], -0.5f, 0.5f))
            .Node("ConvTranspose", ["x", "w"], ["a"], Attr.Int("group", 2), Attr.Ints("strides", 2, 1), Attr.Ints("dilations", 1, 2))
            .Node("ConvTranspose", ["x", "w"], ["s"], Attr.Int("group", 2), Attr.Ints("strides", 3, 2), Attr.Ints("output_shape", 10, 7))
            .Node("ConvTranspose", ["x", "w"], ["u"], Attr.Int("group", 2), Attr.Ints("strides", 2, 2), Attr.Str("auto_pad", "SAME_UPPER"))
            .Node("ConvTranspose", ["x", "w"], ["l"], Attr.Int("group", 2), Attr.Ints("strides", 2, 2), Attr.Str("auto_pad", "SAME_LOWER"))
            .Output("a", "s", "u", "l");
        AllOnGpu(Compare(g), "ConvTranspose");
    }

    [SkippableFact]
    public void OneAndThreeSpatialDims_WeightsFedAtRunTime()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(7, [2, 2, 5]))
            .Input("w", GpuTestGraph.Random(8, [2, 3, 3]))
            .Input("v", GpuTestGraph.Random(9, [1, 2, 2, 3, 2]))
            .Const("wv", GpuTestGraph.Random(10, [2, 2, 2, 2, 3]))
            .Const("bv", GpuTestGraph.Random(11, [2]))
            .Node("ConvTranspose", ["x", "w"], ["y"], Attr.Ints("strides", 3), Attr.Ints("pads", 1, 2))
            .Node("ConvTranspose", ["v", "wv", "bv"], ["z"], Attr.Ints("strides", 1, 2, 2), Attr.Ints("pads", 0, 1, 0, 1, 0, 1))
            .Output("y", "z");
        AllOnGpu(Compare(g), "ConvTranspose");
    }

    [SkippableFact]
    public void DoubleConvTranspose_FallsBackToTheCpu()
    {
        RequireDevice();
        var x = new Tensor<double>(Enumerable.Range(0, 8).Select(i => i * 0.25).ToArray(), [1, 2, 4]);
        var w = new Tensor<double>(Enumerable.Range(0, 12).Select(i => 1.0 - i * 0.1).ToArray(), [2, 2, 3]);
        var g = new GpuTestGraph().Input("x", x).Const("w", w).Node("ConvTranspose", ["x", "w"], ["y"]).Output("y");
        using var cpu = new GraphSession(g.Load(), new SessionOptions { IntraOpThreads = 1 });
        using var gpu = new GraphSession(g.Load(), new SessionOptions { Backend = Backend, CpuFallback = true, IntraOpThreads = 1 });
        var r = Assert.IsType<GpuGraphRunner>(gpu.Backend);
        Assert.Contains(r.Assignment, a => a.Node.OpType == "ConvTranspose" && !a.OnGpu);
        Assert.Equal(cpu.Run(g.Feeds)[0].Value!.AsTensor().As<double>().Span.ToArray(), gpu.Run(g.Feeds)[0].Value!.AsTensor().As<double>().Span.ToArray());
    }

    [SkippableFact]
    public void MismatchedWeights_FailTheRunWithAClearError()
    {
        RequireDevice();
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(12, [1, 3, 4]))
            .Input("w", GpuTestGraph.Random(13, [2, 2, 3]), declareShape: false)
            .Node("ConvTranspose", ["x", "w"], ["y"])
            .Output("y");
        using var gpu = new GraphSession(g.Load(), new SessionOptions { Backend = Backend, CpuFallback = false, IntraOpThreads = 1 });
        var e = Assert.ThrowsAny<Exception>(() => gpu.Run(g.Feeds));
        Assert.Contains("channels do not match", e.ToString());
    }
}

/// <summary>On ILGPU's CPU accelerator (always present).</summary>
public sealed class IlgpuCpuConvTransposeGraphTests : GpuConvTransposeGraphTests
{
    protected override ExecutionBackend Backend => ExecutionBackend.IlgpuCpu;
    protected override GpuDeviceKind Kind => GpuDeviceKind.Cpu;
}

/// <summary>On a CUDA GPU; skipped where there is none.</summary>
public sealed class CudaConvTransposeGraphTests : GpuConvTransposeGraphTests
{
    protected override ExecutionBackend Backend => ExecutionBackend.Cuda;
    protected override GpuDeviceKind Kind => GpuDeviceKind.Cuda;
}
