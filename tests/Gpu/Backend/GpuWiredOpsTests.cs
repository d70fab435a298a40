using NativeInfer.Gpu;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Gpu.Backend;

/// <summary>
/// The wired GPU adapters of engine/Gpu/Ops (Conv, FusedConv, pooling, normalization, softmax, data movement): small
/// graphs run on the CPU backend and on the accelerator, outputs compared (|gpu − cpu| ≤ 1e-5 + 1e-3·|cpu|), and the
/// partition checked to place the nodes on the GPU. Shapes are tiny: ILGPU's CPU accelerator is a slow simulator.
/// </summary>
public abstract class GpuWiredOpsTests : GpuGraphTests
{

    [SkippableFact]
    public void ConvReluMaxPoolGlobalAveragePool()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(1, [2, 3, 8, 8]))
            .Const("w", GpuTestGraph.Random(2, [4, 3, 3, 3], -0.5f, 0.5f))
            .Const("b", GpuTestGraph.Random(3, [4]))
            .Node("Conv", ["x", "w", "b"], ["c"], Attr.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c"], ["r"])
            .Node("MaxPool", ["r"], ["p"], Attr.Ints("kernel_shape", 2, 2), Attr.Ints("strides", 2, 2))
            .Node("GlobalAveragePool", ["p"], ["y"])
            .Output("y", "p");
        var r = Compare(g);
        AllOnGpu(r, "FusedConv", "MaxPool", "GlobalAveragePool");   // the optimizer fuses Conv + Relu
    }

    [SkippableFact]
    public void GroupedStridedDilatedAndDepthwiseConv()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(4, [1, 4, 9, 7]))
            .Const("w", GpuTestGraph.Random(5, [6, 2, 3, 2], -0.5f, 0.5f))
            .Const("dw", GpuTestGraph.Random(6, [4, 1, 3, 3], -0.5f, 0.5f))
            .Node("Conv", ["x", "w"], ["y"], Attr.Int("group", 2), Attr.Ints("strides", 2, 1), Attr.Ints("dilations", 1, 2),
                Attr.Ints("pads", 1, 0, 2, 1))
            .Node("Conv", ["x", "dw"], ["z"], Attr.Int("group", 4), Attr.Str("auto_pad", "SAME_UPPER"))
            .Output("y", "z");
        AllOnGpu(Compare(g), "Conv");
    }

    [SkippableFact]
    public void Conv1dAnd3d()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(7, [1, 2, 11]))
            .Const("w", GpuTestGraph.Random(8, [3, 2, 3]))
            .Input("v", GpuTestGraph.Random(9, [1, 2, 4, 5, 3]))
            .Const("wv", GpuTestGraph.Random(10, [2, 2, 2, 3, 2]))
            .Node("Conv", ["x", "w"], ["y"], Attr.Ints("strides", 2))
            .Node("Conv", ["v", "wv"], ["z"], Attr.Ints("pads", 1, 1, 0, 0, 1, 1))
            .Output("y", "z");
        AllOnGpu(Compare(g), "Conv");
    }

    [SkippableFact]
    public void FusedConvWithResidualAndClip()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(11, [1, 3, 6, 6]))
            .Input("res", GpuTestGraph.Random(12, [1, 4, 6, 6]))
            .Const("w", GpuTestGraph.Random(13, [4, 3, 3, 3], -0.5f, 0.5f))
            .Const("b", GpuTestGraph.Random(14, [4]))
            .Const("lo", new Tensor<float>([-0.5f], []))
            .Const("hi", new Tensor<float>([1.5f], []))
            .Node("Conv", ["x", "w", "b"], ["c"], Attr.Ints("pads", 1, 1, 1, 1))
            .Node("Add", ["c", "res"], ["s"])
            .Node("Clip", ["s", "lo", "hi"], ["y"])
            .Output("y");
        var r = Compare(g);
        AllOnGpu(r, "FusedConv");   // Conv + Add (residual) + Clip in one node
        Assert.Single(r.Assignment);
    }

    [SkippableFact]
    public void AveragePoolPaddedCeilAndGlobalMaxPool()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(15, [2, 3, 7, 6]))
            .Node("AveragePool", ["x"], ["a"], Attr.Ints("kernel_shape", 3, 3), Attr.Ints("strides", 2, 2),
                Attr.Ints("pads", 1, 1, 1, 1), Attr.Int("count_include_pad", 1), Attr.Int("ceil_mode", 1))
            .Node("AveragePool", ["x"], ["b"], Attr.Ints("kernel_shape", 2, 3), Attr.Ints("pads", 0, 1, 1, 0))
            .Node("MaxPool", ["x"], ["m"], Attr.Ints("kernel_shape", 3, 2), Attr.Ints("dilations", 2, 1), Attr.Int("ceil_mode", 1),
                Attr.Ints("strides", 2, 2))
            .Node("GlobalMaxPool", ["x"], ["g"])
            .Output("a", "b", "m", "g");
        AllOnGpu(Compare(g), "AveragePool", "MaxPool", "GlobalMaxPool");
    }

    [SkippableFact]
    public void MaxPoolWithIndicesStaysOnTheCpu()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(16, [1, 2, 4, 4]))
            .Node("MaxPool", ["x"], ["y", "i"], Attr.Ints("kernel_shape", 2, 2))
            .Node("Relu", ["y"], ["z"])
            .Output("z");
        var r = Compare(g, fallback: true);
        Assert.Contains(r.Assignment, a => a.Node.OpType == "MaxPool" && !a.OnGpu);
    }

    [SkippableFact]
    public void BatchNormalizationAndLayerNormalization()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(17, [2, 3, 4, 5]))
            .Const("s", GpuTestGraph.Random(18, [3]))
            .Const("bb", GpuTestGraph.Random(19, [3]))
            .Const("mean", GpuTestGraph.Random(20, [3]))
            .Const("var", GpuTestGraph.Random(21, [3], 0.1f, 2f))
            .Const("ls", GpuTestGraph.Random(22, [4, 5]))
            .Const("lb", GpuTestGraph.Random(23, [4, 5]))
            .Node("BatchNormalization", ["x", "s", "bb", "mean", "var"], ["y"], Attr.Float("epsilon", 1e-3f))
            .Node("LayerNormalization", ["x", "ls", "lb"], ["z", "zm", "zi"], Attr.Int("axis", 2))
            .Output("y", "z", "zm", "zi");
        AllOnGpu(Compare(g), "BatchNormalization", "LayerNormalization");
    }

    /// <summary>RMSNormalization (the LayerNormalization kernel without centring) and Swish, both opset 24.</summary>
    [SkippableFact]
    public void RmsNormalizationAndSwish()
    {
        var g = new GpuTestGraph(opset: 24)
            .Input("x", GpuTestGraph.Random(40, [2, 3, 4, 5]))
            .Const("s", GpuTestGraph.Random(41, [4, 5]))
            .Const("s1", GpuTestGraph.Random(42, [5]))
            .Node("RMSNormalization", ["x", "s"], ["y"], Attr.Int("axis", 2), Attr.Float("epsilon", 1e-3f))
            .Node("RMSNormalization", ["x", "s1"], ["z"])
            .Node("Swish", ["x"], ["w"], Attr.Float("alpha", 0.7f))
            .Output("y", "z", "w");
        AllOnGpu(Compare(g), "RMSNormalization", "Swish");
    }

    [SkippableFact]
    public void SoftmaxAndLogSoftmaxAlongAnyAxis()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(24, [2, 5, 3], -4f, 4f))
            .Node("Softmax", ["x"], ["a"], Attr.Int("axis", 1))
            .Node("LogSoftmax", ["x"], ["b"])
            .Node("Softmax", ["x"], ["c"], Attr.Int("axis", 0))
            .Output("a", "b", "c");
        AllOnGpu(Compare(g), "Softmax", "LogSoftmax");
    }

    [SkippableFact]
    public void SoftmaxOpset11FlattensFromTheAxis()
    {
        var g = new GpuTestGraph(opset: 11)
            .Input("x", GpuTestGraph.Random(25, [2, 3, 4], -4f, 4f))
            .Node("Softmax", ["x"], ["a"])
            .Node("LogSoftmax", ["x"], ["b"], Attr.Int("axis", 2))
            .Output("a", "b");
        AllOnGpu(Compare(g), "Softmax", "LogSoftmax");
    }

    [SkippableFact]
    public void ConcatTransposeSplit()
    {
        var g = new GpuTestGraph()
            .Input("a", GpuTestGraph.Random(26, [2, 3, 4]))
            .Input("b", GpuTestGraph.Random(27, [2, 1, 4]))
            .Input("c", GpuTestGraph.Random(28, [2, 2, 4]))
            .Const("sp", new Tensor<long>([1, 5], [2]))
            .Node("Concat", ["a", "b", "c"], ["y"], Attr.Int("axis", 1))
            .Node("Transpose", ["y"], ["t"], Attr.Ints("perm", 2, 0, 1))
            .Node("Transpose", ["a"], ["u"])
            .Node("Split", ["y", "sp"], ["s0", "s1"], Attr.Int("axis", -2))
            .Output("t", "u", "s0", "s1");
        AllOnGpu(Compare(g), "Concat", "Transpose", "Split");
    }

    [SkippableFact]
    public void SliceGatherPad()
    {
        var g = new GpuTestGraph()
            .Input("x", GpuTestGraph.Random(29, [3, 5, 4]))
            .Const("starts", new Tensor<long>([4, 1], [2]))
            .Const("ends", new Tensor<long>([-100, 4], [2]))
            .Const("axes", new Tensor<long>([1, 2], [2]))
            .Const("steps", new Tensor<long>([-2, 2], [2]))
            .Const("idx", new Tensor<long>([2, -1, 0, 2], [2, 2]))
            .Const("pads", new Tensor<long>([0, 1, 2, 1, 0, 1], [6]))
            .Const("pv", new Tensor<float>([0.5f], []))
            .Node("Slice", ["x", "starts", "ends", "axes", "steps"], ["s"])
            .Node("Gather", ["x", "idx"], ["gth"], Attr.Int("axis", 1))
            .Node("Pad", ["x", "pads", "pv"], ["p"])
            .Node("Pad", ["x", "pads"], ["q"], Attr.Str("mode", "reflect"))
            .Node("Pad", ["x", "pads"], ["e"], Attr.Str("mode", "edge"))
            .Output("s", "gth", "p", "q", "e");
        AllOnGpu(Compare(g), "Slice", "Gather", "Pad");
    }
}

/// <summary>On ILGPU's CPU accelerator (always present).</summary>
public sealed class IlgpuCpuWiredOpsTests : GpuWiredOpsTests
{
    protected override ExecutionBackend Backend => ExecutionBackend.IlgpuCpu;
    protected override GpuDeviceKind Kind => GpuDeviceKind.Cpu;
}

/// <summary>On a CUDA GPU; skipped where there is none.</summary>
public sealed class CudaWiredOpsTests : GpuWiredOpsTests
{
    protected override ExecutionBackend Backend => ExecutionBackend.Cuda;
    protected override GpuDeviceKind Kind => GpuDeviceKind.Cuda;
}
