using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Errors;
using NativeInfer.Gpu;
using NativeInfer.Kernels.Gpu.Elementwise;
using NativeInfer.Kernels.Gpu.Gemm;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Gpu.Backend;

/// <summary>
/// The GPU backend's checks, run once per accelerator by a subclass: every GPU kernel against the CPU backend on small
/// shapes (|gpu − cpu| ≤ 1e-5 + 1e-3·|cpu|), the partitioning (what runs where, the copies a run makes), the buffer
/// pool, and the errors. Shapes are small: ILGPU's CPU accelerator simulates every GPU thread with an OS thread.
/// </summary>
public abstract class GpuBackendTests
{
    static GpuBackendTests() => GpuBackend.Register();

    protected abstract ExecutionBackend Backend { get; }

    protected abstract GpuDeviceKind Kind { get; }

    /// <summary>Skips the test when the accelerator is absent.</summary>
    protected GpuDevice RequireDevice()
    {
        var device = GpuDevices.TryGet(Kind);
        Skip.If(device is null, $"No {Kind} accelerator here (found: {string.Join("; ", GpuDevices.ListAccelerators())}).");
        return device!;
    }

    private SessionOptions Options(bool fallback = false) =>
        new() { Backend = Backend, CpuFallback = fallback, IntraOpThreads = 1 };

    /// <summary>Runs the graph on the CPU backend and on this accelerator; asserts the outputs match; returns the GPU session.</summary>
    private GraphSession Compare(GpuTestGraph g, bool fallback = false)
    {
        RequireDevice();
        using var cpu = new GraphSession(g.Load(), new SessionOptions { IntraOpThreads = 1 });
        var gpu = new GraphSession(g.Load(), Options(fallback));
        Assert.NotNull(gpu.Backend);
        var expected = cpu.Run(g.Feeds);
        var actual = gpu.Run(g.Feeds);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            AssertClose(expected[i].Value!.AsTensor().As<float>(), actual[i].Value!.AsTensor().As<float>(), expected[i].Key);
        return gpu;
    }

    private static void AssertClose(Tensor<float> expected, Tensor<float> actual, string name)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.Span;
        var a = actual.Span;
        for (int i = 0; i < e.Length; i++)
        {
            if (float.IsNaN(e[i]) && float.IsNaN(a[i])) continue;
            if (e[i] == a[i]) continue;
            Assert.True(Math.Abs(a[i] - e[i]) <= 1e-5 + 1e-3 * Math.Abs(e[i]),
                $"{name}[{i}]: GPU {a[i]} vs CPU {e[i]}");
        }
    }

    private static GpuGraphRunner Runner(GraphSession s) => Assert.IsType<GpuGraphRunner>(s.Backend);

    public static TheoryData<string, string> UnaryCases => new()
    {
        { "Relu", "" }, { "Sigmoid", "" }, { "Tanh", "" }, { "Exp", "" }, { "Log", "positive" }, { "Sqrt", "positive" },
        { "Abs", "" }, { "Neg", "" }, { "Erf", "" }, { "Reciprocal", "positive" }, { "Floor", "" }, { "Ceil", "" },
        { "Softplus", "" }, { "Softsign", "" }, { "Sign", "" }, { "Sin", "" }, { "Cos", "" }, { "HardSwish", "" }, { "Mish", "" },
        { "Gelu", "" }, { "Gelu", "tanh" }, { "LeakyRelu", "" }, { "Elu", "" }, { "Selu", "" }, { "HardSigmoid", "" },
        { "ThresholdedRelu", "" }, { "Celu", "" }, { "Round", "" },
    };

    [SkippableTheory]
    [MemberData(nameof(UnaryCases))]
    public void UnaryOpMatchesCpu(string op, string variant)
    {
        var x = GpuTestGraph.Random(1, [2, 3, 7], variant == "positive" ? 0.05f : -5f, 5f);
        var attrs = op switch
        {
            "Gelu" when variant == "tanh" => new[] { Attr.Str("approximate", "tanh") },
            "LeakyRelu" => [Attr.Float("alpha", 0.2f)],
            "Elu" or "Celu" => [Attr.Float("alpha", 0.7f)],
            "HardSigmoid" => [Attr.Float("alpha", 0.3f), Attr.Float("beta", 0.4f)],
            "ThresholdedRelu" => [Attr.Float("alpha", 0.5f)],
            _ => [],
        };
        var g = new GpuTestGraph().Input("x", x).Node(op, ["x"], ["y"], attrs).Output("y");
        using var s = Compare(g);
        Assert.All(Runner(s).Assignment, a => Assert.True(a.OnGpu));
    }

    [SkippableTheory]
    [InlineData("Add", new[] { 2, 3, 4 }, new[] { 3, 1 })]
    [InlineData("Sub", new[] { 4 }, new[] { 2, 3, 4 })]
    [InlineData("Mul", new[] { 2, 1, 4 }, new[] { 1, 3, 1 })]
    [InlineData("Div", new[] { 2, 3, 4 }, new int[0])]
    [InlineData("Max", new[] { 5, 6 }, new[] { 5, 6 })]
    [InlineData("Min", new[] { 1, 2, 1, 3, 1, 2 }, new[] { 2, 1, 3, 1, 2, 1 })]
    [InlineData("Pow", new[] { 3, 4 }, new[] { 4 })]
    [InlineData("PRelu", new[] { 2, 3, 4 }, new[] { 3, 1 })]
    public void BinaryOpBroadcastsLikeCpu(string op, int[] a, int[] b)
    {
        var x = GpuTestGraph.Random(2, a, op == "Pow" ? 0.1f : -3f, 3f);
        var y = GpuTestGraph.Random(3, b, op == "Div" ? 0.5f : -3f, 3f);
        var g = new GpuTestGraph().Input("a", x).Input("b", y).Node(op, ["a", "b"], ["y"]).Output("y");
        using var s = Compare(g);
        Assert.All(Runner(s).Assignment, a => Assert.True(a.OnGpu));
    }

    [SkippableFact]
    public void ClipReadsItsBoundsOnTheHost()
    {
        var g = new GpuTestGraph().Input("x", GpuTestGraph.Random(4, [3, 5])).Const("lo", Tensor<float>.Scalar(-0.5f))
            .Input("hi", Tensor<float>.Scalar(1.25f)).Node("Clip", ["x", "lo", "hi"], ["y"]).Output("y");
        using var s = Compare(g);
        Assert.Equal(1, Runner(s).UploadsPerRun);   // x; the bounds are read where they are (host)
    }

    [SkippableTheory]
    [InlineData(new[] { 5, 7 }, new[] { 7, 9 })]
    [InlineData(new[] { 2, 70, 33 }, new[] { 33, 65 })]        // edge tiles and a K tail
    [InlineData(new[] { 2, 1, 4, 5 }, new[] { 3, 5, 6 })]      // batch dims broadcast both ways
    [InlineData(new[] { 3, 4, 5 }, new[] { 3, 5, 2 })]
    [InlineData(new[] { 7 }, new[] { 7, 3 })]
    [InlineData(new[] { 2, 7 }, new[] { 7 })]
    public void MatMulMatchesCpu(int[] a, int[] b)
    {
        var g = new GpuTestGraph().Input("a", GpuTestGraph.Random(5, a)).Input("b", GpuTestGraph.Random(6, b))
            .Node("MatMul", ["a", "b"], ["y"]).Output("y");
        using var s = Compare(g);
        Assert.All(Runner(s).Assignment, x => Assert.True(x.OnGpu));
    }

    [SkippableTheory]
    [InlineData(false, false, new[] { 9 })]
    [InlineData(true, false, new[] { 6, 1 })]
    [InlineData(false, true, new[] { 6, 9 })]
    [InlineData(true, true, new int[0])]
    public void GemmMatchesCpu(bool transA, bool transB, int[] c)
    {
        int m = 6, n = 9, k = 20;
        var g = new GpuTestGraph()
            .Input("a", GpuTestGraph.Random(7, transA ? [k, m] : [m, k])).Const("b", GpuTestGraph.Random(8, transB ? [n, k] : [k, n]))
            .Const("c", GpuTestGraph.Random(9, c))
            .Node("Gemm", ["a", "b", "c"], ["y"], Attr.Int("transA", transA ? 1 : 0), Attr.Int("transB", transB ? 1 : 0),
                Attr.Float("alpha", 0.5f), Attr.Float("beta", 2f))
            .Output("y");
        using var s = Compare(g);
        Assert.Equal(2, Runner(s).WeightCount);
    }

    [SkippableTheory]
    [InlineData(GpuOpCode.Identity, 0f, 0f)]
    [InlineData(GpuOpCode.Relu, 0f, 0f)]
    [InlineData(GpuOpCode.Clip, -1f, 2f)]
    [InlineData(GpuOpCode.Sigmoid, 0f, 0f)]
    [InlineData(GpuOpCode.Tanh, 0f, 0f)]
    [InlineData(GpuOpCode.Gelu, 0f, 0f)]
    [InlineData(GpuOpCode.LeakyRelu, 0.1f, 0f)]
    [InlineData(GpuOpCode.HardSigmoid, 0.2f, 0.5f)]
    [InlineData(GpuOpCode.Silu, 0f, 0f)]
    public void GemmEpilogueAppliesBiasResidualAndActivation(int activation, float p0, float p1)
    {
        var device = RequireDevice();
        int m = 67, n = 19, k = 18;
        var a = GpuTestGraph.Random(10, [m, k]).ToArray();
        var b = GpuTestGraph.Random(11, [k, n]).ToArray();
        var bias = GpuTestGraph.Random(12, [n]).ToArray();
        var res = GpuTestGraph.Random(13, [m, n]).ToArray();
        var acc = device.Accelerator;
        using var da = acc.Allocate1D(a);
        using var db = acc.Allocate1D(b);
        using var dbias = acc.Allocate1D(bias);
        using var dres = acc.Allocate1D(res);
        using var dc = acc.Allocate1D<float>(m * n);
        var p = GemmParams.Create(m, n, k);
        p.Alpha = 0.75f;
        p.HasBias = 1; p.BiasScale = 1f; p.BiasM = 0; p.BiasN = 1;
        p.HasResidual = 1; p.ResidualScale = 0.5f; p.ResidualM = n; p.ResidualN = 1;
        p.Activation = activation; p.ActP0 = p0; p.ActP1 = p1;
        using var stream = acc.CreateStream();
        GpuGemm.Run(device, stream, da.View, db.View, dc.View, dbias.View, dres.View, p);
        stream.Synchronize();
        var c = dc.GetAsArray1D();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int q = 0; q < k; q++) dot += (double)a[i * k + q] * b[q * n + j];
                float v = (float)(0.75 * dot + bias[j] + 0.5 * res[i * n + j]);
                float expected = GpuMath.Unary(activation, v, p0, p1);
                Assert.True(Math.Abs(c[i * n + j] - expected) <= 1e-5 + 1e-3 * Math.Abs(expected), $"C[{i},{j}] = {c[i * n + j]}, expected {expected}");
            }
    }

    [SkippableFact]
    public void FusedElementwiseChainRunsOnTheGpu()
    {
        // x*scale + shift (per channel) -> Relu -> + x -> Sigmoid: the optimizer fuses the chain into one node.
        var g = new GpuTestGraph().Input("x", GpuTestGraph.Random(14, [2, 3, 4, 5]))
            .Const("scale", GpuTestGraph.Random(15, [3, 1, 1])).Const("shift", GpuTestGraph.Random(16, [3, 1, 1]))
            .Const("row", GpuTestGraph.Random(17, [3, 1, 5]))
            .Node("Mul", ["x", "scale"], ["t0"]).Node("Add", ["t0", "shift"], ["t1"]).Node("Relu", ["t1"], ["t2"])
            .Node("Add", ["t2", "x"], ["t3"]).Node("Mul", ["t3", "row"], ["t4"]).Node("Tanh", ["t4"], ["y"]).Output("y");
        using var s = Compare(g);
        var runner = Runner(s);
        Assert.Contains(runner.Assignment, a => a.Node.OpType == "FusedElementwise" && a.OnGpu);
        Assert.All(runner.Assignment, a => Assert.True(a.OnGpu));
    }

    /// <summary>A small MLP: only the input goes up and the output comes down; the weights are uploaded once.</summary>
    [SkippableFact]
    public void WholeGraphCopiesOnlyAtItsEdgesAndReusesDeviceBuffers()
    {
        var g = new GpuTestGraph().Input("x", GpuTestGraph.Random(18, [4, 32]))
            .Const("w1", GpuTestGraph.Random(19, [32, 48], -0.3f, 0.3f)).Const("b1", GpuTestGraph.Random(20, [48]))
            .Const("w2", GpuTestGraph.Random(21, [48, 10], -0.3f, 0.3f)).Const("shape", new Tensor<long>([2, 2, 10], [3]))
            .Node("MatMul", ["x", "w1"], ["h0"]).Node("Add", ["h0", "b1"], ["h1"]).Node("Relu", ["h1"], ["h2"])
            .Node("MatMul", ["h2", "w2"], ["h3"]).Node("Sigmoid", ["h3"], ["h4"]).Node("Reshape", ["h4", "shape"], ["y"]).Output("y");
        using var s = Compare(g);
        var runner = Runner(s);
        Assert.All(runner.Assignment, a => Assert.True(a.OnGpu));
        Assert.Equal(1, runner.UploadsPerRun);
        Assert.Equal(1, runner.DownloadsPerRun);
        Assert.Equal(2, runner.LastRunTransfers);
        Assert.Equal(3, runner.WeightCount);   // w1, b1, w2 (the shape stays on the host)
        int allocations = runner.DeviceAllocations;
        s.Run(g.Feeds);
        Assert.Equal(allocations, runner.DeviceAllocations);
        Assert.Contains("transfers per run: 2", runner.DescribePartition());
    }

    [SkippableFact]
    public void NodesWithoutAGpuKernelRunOnTheCpuWithCopiesAtTheBoundary()
    {
        var g = new GpuTestGraph().Input("x", GpuTestGraph.Random(22, [3, 6]))
            .Node("Relu", ["x"], ["a"]).Node("Hardmax", ["a"], ["b"]).Node("Add", ["b", "x"], ["y"]).Output("y");
        using var s = Compare(g, fallback: true);
        var runner = Runner(s);
        Assert.Equal([true, false, true], runner.Assignment.Select(a => a.OnGpu));
        Assert.Equal(1, runner.CpuPartitions);
        // x up; a down (for Hardmax); b up; y down.
        Assert.Equal(2, runner.UploadsPerRun);
        Assert.Equal(2, runner.DownloadsPerRun);
        Assert.Equal(4, runner.LastRunTransfers);
        Assert.Contains("CPU  n1_Hardmax (Hardmax)", runner.DescribePartition());
    }

    [SkippableFact]
    public void WithoutFallbackSessionCreationNamesTheOpsLackingAKernel()
    {
        RequireDevice();
        var g = new GpuTestGraph().Input("x", GpuTestGraph.Random(23, [3, 6])).Node("Hardmax", ["x"], ["y"]).Output("y");
        var e = Assert.Throws<NotSupportedException>(() => new GraphSession(g.Load(), Options(fallback: false)));
        Assert.Contains("n0_Hardmax (Hardmax)", e.Message);
    }

    [SkippableFact]
    public void AKernelErrorSurfacesFromRunNamingTheNode()
    {
        RequireDevice();
        var g = new GpuTestGraph().Input("a", GpuTestGraph.Random(24, [3, 4]), declareShape: false)
            .Input("b", GpuTestGraph.Random(25, [5, 2]), declareShape: false)
            .Node("MatMul", ["a", "b"], ["y"]).Output("y");
        using var s = new GraphSession(g.Load(), Options());
        var e = Assert.Throws<NodeExecutionException>(() => s.Run(g.Feeds));
        Assert.Contains("n0_MatMul", e.Message);
        Assert.Contains("inner dimensions", e.Message);
        // The session still works afterwards.
        var ok = new Dictionary<string, Value> { ["a"] = GpuTestGraph.Random(26, [3, 5]), ["b"] = GpuTestGraph.Random(27, [5, 2]) };
        Assert.Equal([3, 2], s.Run(ok)[0].Value!.AsTensor().Shape);
    }
}

/// <summary>The checks on ILGPU's CPU accelerator (always present).</summary>
public sealed class IlgpuCpuBackendTests : GpuBackendTests
{
    protected override ExecutionBackend Backend => ExecutionBackend.IlgpuCpu;
    protected override GpuDeviceKind Kind => GpuDeviceKind.Cpu;
}

/// <summary>The checks on a CUDA GPU; skipped (with the accelerators found) where there is none.</summary>
public sealed class CudaBackendTests : GpuBackendTests
{
    protected override ExecutionBackend Backend => ExecutionBackend.Cuda;
    protected override GpuDeviceKind Kind => GpuDeviceKind.Cuda;
}
