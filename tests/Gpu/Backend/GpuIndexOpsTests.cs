using NativeInfer.Errors;
using NativeInfer.Gpu;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Gpu.Backend;

/// <summary>
/// The GPU index ops (Gather with constant and runtime indices, GatherElements, GatherND, ScatterElements/Scatter,
/// ScatterND with every reduction, TensorScatter): small graphs on the CPU backend and on the accelerator, every node placed on the GPU,
/// every output element compared exactly (gathers copy; the scatter reductions combine in double and round once, which is
/// exact for + and × of float32/float16 operands, and run each output element's updates in the CPU's order). Indices out
/// of range must fail the run with a clear error.
/// </summary>
public abstract class GpuIndexOpsTests : GpuGraphTests
{
    protected override int Runs => 2;

    protected override bool Exact => true;

    private void ExpectOutOfRange(GpuTestGraph g, string op)
    {
        RequireDevice();
        using var gpu = new GraphSession(g.Load(), new SessionOptions { Backend = Backend, CpuFallback = false });
        var ex = Assert.Throws<NodeExecutionException>(() => gpu.Run(g.Feeds));
        Assert.Contains("out of range", ex.ToString());
        Assert.Contains(op, ex.ToString());
    }

    [SkippableFact]
    public void GatherWithRuntimeAndConstantIndicesOfAnyType()
    {
        var x = GpuTestGraph.Random(50, [3, 4, 2]);
        var g = new GpuTestGraph().Input("x", x)
            .Input("i64", new Tensor<long>([2, -1, 0, 2, -3], [5]))
            .Input("i32", new Tensor<int>([1, -4, 3, 0, 1, 2], [2, 3]))
            .Input("scalar", new Tensor<long>([-2], []))
            .Input("none", new Tensor<long>([], [0]))
            .Input("n8", new Tensor<sbyte>([1, -2, 3, -128, 127, 0], [3, 2]))
            .Input("h", new Tensor<Half>([(Half)1.5f, (Half)(-2f), Half.NaN, (Half)65504f], [4]))
            .Input("b", new Tensor<bool>([true, false, false, true], [2, 2]))
            .Input("u", new Tensor<ulong>([ulong.MaxValue, 3, 1UL << 63], [3]))
            .Const("c", new Tensor<long>([1, -1], [2]))
            .Const("c32", new Tensor<int>([0, 2, 2], [3]))
            .Node("Gather", ["x", "i64"], ["g0"])
            .Node("Gather", ["x", "i32"], ["g1"], Attr.Int("axis", 1))
            .Node("Gather", ["x", "scalar"], ["g2"], Attr.Int("axis", -1))
            .Node("Gather", ["x", "none"], ["g3"], Attr.Int("axis", 1))
            .Node("Gather", ["x", "c"], ["g4"], Attr.Int("axis", 2))
            .Node("Gather", ["n8", "c32"], ["g5"])
            .Node("Gather", ["h", "i64"], ["g6"])   // index 2 is the NaN (wrapping -1 gives 65504)
            .Node("Gather", ["b", "c"], ["g7"], Attr.Int("axis", 1))
            .Node("Gather", ["u", "scalar"], ["g8"])
            .Node("ArgMax", ["x"], ["am"], Attr.Int("axis", 1), Attr.Int("keepdims", 0))   // indices made on the device
            .Node("Gather", ["x", "am"], ["g9"], Attr.Int("axis", 1))
            .Output("g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9");
        AllOnGpu(Compare(g), "Gather", "ArgMax");
    }

    [SkippableFact]
    public void GatherElementsAlongEachAxis()
    {
        var x = GpuTestGraph.Random(51, [3, 4]);
        var g = new GpuTestGraph().Input("x", x)
            .Input("i0", new Tensor<long>([2, 0, -1, 1, 0, -3], [2, 3]))          // smaller than x off the axis
            .Input("i1", new Tensor<int>([3, 3, 0, -4, 1, 2, 0, 1, 2, 1, -1, 0], [3, 4]))
            .Input("n", new Tensor<short>([1, 2, 3, -4, 5, 6, 7, 8], [2, 2, 2]))
            .Const("c", new Tensor<long>([1, 0, 0, 1, 1, 1, 0, 0, 1, 1], [2, 5, 1]))
            .Node("GatherElements", ["x", "i0"], ["y0"])
            .Node("GatherElements", ["x", "i1"], ["y1"], Attr.Int("axis", 1))
            .Node("GatherElements", ["n", "c"], ["y2"], Attr.Int("axis", -2))
            .Output("y0", "y1", "y2");
        // c has 5 rows along axis 1 of a 2-row dim: more indices than the dim holds is allowed on the axis.
        AllOnGpu(Compare(g), "GatherElements");
    }

    [SkippableFact]
    public void GatherNdWithAndWithoutBatchDims()
    {
        var x = GpuTestGraph.Random(52, [2, 3, 4]);
        var d = new Tensor<double>([1.5, -2.25, 3, 4.125, 5, 6, 7, 8], [2, 2, 2]);
        var g = new GpuTestGraph().Input("x", x).Input("d", d)
            .Input("full", new Tensor<long>([1, 2, 3, 0, -1, 0, -2, 1, -4], [3, 3]))    // whole index tuples: scalars
            .Input("row", new Tensor<int>([1, 0, 1], [3, 1]))                            // slices [3, 4]
            .Input("pair", new Tensor<long>([0, 2, 1, -1], [2, 1, 2]))                   // slices [4], extra index dim
            .Input("b1", new Tensor<long>([1, 0, 2, 1, 0, -3], [2, 3, 1]))                // batch_dims 1
            .Input("b2", new Tensor<long>([1, 0, 1, 1], [2, 2, 1]))                      // batch_dims 2 on a rank-3 double
            .Node("GatherND", ["x", "full"], ["y0"])
            .Node("GatherND", ["x", "row"], ["y1"])
            .Node("GatherND", ["x", "pair"], ["y2"])
            .Node("GatherND", ["x", "b1"], ["y3"], Attr.Int("batch_dims", 1))
            .Node("GatherND", ["d", "b2"], ["y4"], Attr.Int("batch_dims", 2))
            .Output("y0", "y1", "y2", "y3", "y4");
        AllOnGpu(Compare(g), "GatherND");
    }

    [SkippableFact]
    public void ScatterElementsWithEveryReductionAndDuplicates()
    {
        var data = GpuTestGraph.Random(53, [3, 4]);
        var upd = GpuTestGraph.Random(54, [2, 4]);
        var idx = new Tensor<long>([1, 1, -1, 0, 1, 2, 2, 0], [2, 4]);              // duplicates along axis 0 in columns 1 and 3
        var g = new GpuTestGraph().Input("data", data).Input("upd", upd).Input("idx", idx)
            .Input("ni", new Tensor<int>([5, -7, 100, 3, 0, -1], [2, 3]))
            .Input("nu", new Tensor<int>([2, 3, -4, 6, 7, 8], [2, 3]))
            .Input("ci", new Tensor<int>([2, 2, 0, 2, 1, 0], [2, 3]))                 // duplicates along axis 1 in row 0
            .Input("h", new Tensor<Half>([(Half)1f, (Half)2f, (Half)3f, (Half)4f], [4]))
            .Input("hu", new Tensor<Half>([(Half)0.1f, (Half)(-0.2f), (Half)1000f], [3]))
            .Input("hi", new Tensor<long>([3, 3, -4], [3]))
            .Input("u", new Tensor<ulong>([5, ulong.MaxValue, 0], [3]))
            .Input("uu", new Tensor<ulong>([1UL << 63, 7], [2]))
            .Input("ui", new Tensor<long>([0, 2], [2]))
            .Input("b", new Tensor<bool>([false, false, true], [3]))
            .Input("bu", new Tensor<bool>([true, false], [2]))
            .Const("ck", new Tensor<long>([2, 0], [2]));
        var outs = new List<string>();
        foreach (var r in new[] { "none", "add", "mul", "max", "min" })
        {
            g.Node("ScatterElements", ["data", "idx", "upd"], ["f_" + r], Attr.Str("reduction", r))
                .Node("ScatterElements", ["ni", "ci", "nu"], ["i_" + r], Attr.Int("axis", 1), Attr.Str("reduction", r))
                .Node("ScatterElements", ["h", "hi", "hu"], ["h_" + r], Attr.Str("reduction", r))
                .Node("ScatterElements", ["u", "ui", "uu"], ["u_" + r], Attr.Str("reduction", r));
            outs.AddRange(["f_" + r, "i_" + r, "h_" + r, "u_" + r]);
        }
        g.Node("ScatterElements", ["b", "ck", "bu"], ["bool"]);
        outs.Add("bool");
        AllOnGpu(Compare(g.Output(outs.ToArray())), "ScatterElements");
    }

    [SkippableFact]
    public void DeprecatedScatterOpset10()
    {
        var g = new GpuTestGraph(opset: 10).Input("data", GpuTestGraph.Random(55, [3, 3]))
            .Input("idx", new Tensor<long>([1, 0, 2, 0, 2, 1], [2, 3]))
            .Input("upd", GpuTestGraph.Random(56, [2, 3]))
            .Node("Scatter", ["data", "idx", "upd"], ["y"], Attr.Int("axis", 1))
            .Output("y");
        AllOnGpu(Compare(g), "Scatter");
    }

    [SkippableFact]
    public void ScatterNdWithEveryReductionAndDuplicates()
    {
        var data = GpuTestGraph.Random(57, [4, 3, 2]);
        var slices = GpuTestGraph.Random(58, [3, 3, 2]);
        var scalars = GpuTestGraph.Random(59, [5]);
        var g = new GpuTestGraph().Input("data", data).Input("slices", slices).Input("scalars", scalars)
            .Input("rows", new Tensor<long>([2, -4, 2], [3, 1]))                          // row 2 twice
            .Input("cells", new Tensor<long>([0, 1, 1, 3, 2, 0, 0, 1, 1, -4, -2, 1, 1, 2, 0], [5, 3]))   // (0,1,1) twice
            .Input("n", new Tensor<long>([1, 2, 3, 4, 5, 6], [2, 3]))
            .Input("nu", new Tensor<long>([10, -20, 30, long.MaxValue, 3, -1], [2, 3]))
            .Input("nr", new Tensor<int>([1, 1], [2, 1]));
        var outs = new List<string>();
        foreach (var r in new[] { "none", "add", "mul", "max", "min" })
        {
            g.Node("ScatterND", ["data", "rows", "slices"], ["s_" + r], Attr.Str("reduction", r))
                .Node("ScatterND", ["data", "cells", "scalars"], ["c_" + r], Attr.Str("reduction", r))
                .Node("ScatterND", ["n", "nr", "nu"], ["n_" + r], Attr.Str("reduction", r));
            outs.AddRange(["s_" + r, "c_" + r, "n_" + r]);
        }
        AllOnGpu(Compare(g.Output(outs.ToArray())), "ScatterND");
    }

    [SkippableFact]
    public void TensorScatterLinearAndCircular()
    {
        var cache = GpuTestGraph.Random(68, [2, 3, 5, 2]);
        var g = new GpuTestGraph(opset: 24).Input("cache", cache)
            .Input("upd", GpuTestGraph.Random(69, [2, 3, 2, 2]))
            .Input("one", GpuTestGraph.Random(70, [2, 3, 5, 1]))
            .Input("wi", new Tensor<long>([3, 1], [2]))
            .Input("wc", new Tensor<long>([4, 0], [2]))
            .Input("w1", new Tensor<long>([1, 0], [2]))
            .Input("h", new Tensor<Half>([(Half)1f, (Half)2f, (Half)3f, (Half)4f, (Half)5f, (Half)6f], [2, 3]))
            .Input("hu", new Tensor<Half>([(Half)(-1f), (Half)(-2f)], [2, 1]))
            .Input("hw", new Tensor<int>([2, 0], [2]))
            .Node("TensorScatter", ["cache", "upd", "wi"], ["lin"])
            .Node("TensorScatter", ["cache", "upd", "wc"], ["circ"], Attr.Str("mode", "circular"))
            .Node("TensorScatter", ["cache", "upd"], ["zero"])
            .Node("TensorScatter", ["cache", "one", "w1"], ["last"], Attr.Int("axis", 3), Attr.Str("mode", "circular"))
            .Node("TensorScatter", ["h", "hu", "hw"], ["half"], Attr.Int("axis", 1))
            .Output("lin", "circ", "zero", "last", "half");
        AllOnGpu(Compare(g), "TensorScatter");
    }

    [SkippableFact]
    public void TensorScatterWriteOutsideTheCacheIsAClearError()
    {
        RequireDevice();
        var g = new GpuTestGraph(opset: 24).Input("cache", GpuTestGraph.Random(71, [1, 4, 2]))
            .Input("upd", GpuTestGraph.Random(72, [1, 2, 2])).Input("wi", new Tensor<long>([3], [1]))
            .Node("TensorScatter", ["cache", "upd", "wi"], ["y"]).Output("y");
        using var gpu = new GraphSession(g.Load(), new SessionOptions { Backend = Backend, CpuFallback = false });
        var ex = Assert.Throws<NodeExecutionException>(() => gpu.Run(g.Feeds));
        Assert.Contains("does not fit a cache of length 4", ex.ToString());
    }

    [SkippableFact]
    public void GatherIndexOutOfRangeIsAClearError() =>
        ExpectOutOfRange(new GpuTestGraph().Input("x", GpuTestGraph.Random(60, [3, 2]))
            .Input("i", new Tensor<long>([0, 3], [2])).Node("Gather", ["x", "i"], ["y"]).Output("y"), "Gather");

    [SkippableFact]
    public void GatherConstantIndexOutOfRangeIsAClearError() =>
        ExpectOutOfRange(new GpuTestGraph().Input("x", GpuTestGraph.Random(61, [3, 2]))
            .Const("i", new Tensor<int>([-3], [1])).Node("Gather", ["x", "i"], ["y"], Attr.Int("axis", 1)).Output("y"), "Gather");

    [SkippableFact]
    public void GatherElementsIndexOutOfRangeIsAClearError() =>
        ExpectOutOfRange(new GpuTestGraph().Input("x", GpuTestGraph.Random(62, [2, 2]))
            .Input("i", new Tensor<long>([0, 1, -3, 0], [2, 2])).Node("GatherElements", ["x", "i"], ["y"]).Output("y"), "GatherElements");

    [SkippableFact]
    public void GatherNdIndexOutOfRangeIsAClearError() =>
        ExpectOutOfRange(new GpuTestGraph().Input("x", GpuTestGraph.Random(63, [2, 3]))
            .Input("i", new Tensor<long>([1, 2, 1, 3], [2, 2])).Node("GatherND", ["x", "i"], ["y"]).Output("y"), "GatherND");

    [SkippableFact]
    public void ScatterElementsIndexOutOfRangeIsAClearError() =>
        ExpectOutOfRange(new GpuTestGraph().Input("x", GpuTestGraph.Random(64, [2, 2])).Input("u", GpuTestGraph.Random(65, [1, 2]))
            .Input("i", new Tensor<long>([1, 2], [1, 2])).Node("ScatterElements", ["x", "i", "u"], ["y"], Attr.Int("axis", 1)).Output("y"),
            "ScatterElements");

    [SkippableFact]
    public void ScatterNdIndexOutOfRangeIsAClearError() =>
        ExpectOutOfRange(new GpuTestGraph().Input("x", GpuTestGraph.Random(66, [2, 2])).Input("u", GpuTestGraph.Random(67, [1, 2]))
            .Input("i", new Tensor<long>([-3], [1, 1])).Node("ScatterND", ["x", "i", "u"], ["y"]).Output("y"), "ScatterND");

}

/// <summary>On ILGPU's CPU accelerator (always present).</summary>
public sealed class IlgpuCpuIndexOpsTests : GpuIndexOpsTests
{
    protected override ExecutionBackend Backend => ExecutionBackend.IlgpuCpu;
    protected override GpuDeviceKind Kind => GpuDeviceKind.Cpu;
}

/// <summary>On a CUDA GPU; skipped where there is none.</summary>
public sealed class CudaIndexOpsTests : GpuIndexOpsTests
{
    protected override ExecutionBackend Backend => ExecutionBackend.Cuda;
    protected override GpuDeviceKind Kind => GpuDeviceKind.Cuda;
}
