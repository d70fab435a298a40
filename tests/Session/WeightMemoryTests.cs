using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NativeInfer.Gpu;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.IR;
using NativeInfer.Onnx.Export;
using NativeInfer.Onnx.Import;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Session;

/// <summary>
/// Constant weights are held once: the importer and the optimizer pack nothing, the session packs each weight once
/// and releases the original when every reader packed it (<see cref="SessionOptions.ReleasePackedWeights"/>). Checked
/// here: the original array is collected after session creation, outputs are bit-identical with release on and off
/// (the same packed kernels run), weights something else reads are kept, a caller's model is not changed, and the
/// GPU backend and export still see every initializer.
/// </summary>
public class WeightMemoryTests
{
    private static float[] Rand(int n, int seed)
    {
        var r = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 2 - 1);
        return a;
    }

    /// <summary>x [1,16,8,8] → Conv(w [32,16,3,3], pad 1) → Relu → Flatten → Gemm(g [10,2048], transB) → y [1,10];
    /// both weights are above <see cref="WeightBinding.SmallConstantElements"/>.</summary>
    private static TestModel ConvGemm(bool wAlsoOutput = false, bool wAlsoAdded = false)
    {
        var m = new TestModel(13)
            .Input("x", DataType.Float, 1, 16, 8, 8)
            .Output("y", DataType.Float, 1, 10)
            .Initializer("w", Rand(32 * 16 * 9, 1), 32, 16, 3, 3)
            .Initializer("b", Rand(32, 2), 32)
            .Initializer("g", Rand(10 * 2048, 3), 10, 2048)
            .Initializer("c", Rand(10, 4), 10)
            .Node("Conv", ["x", "w", "b"], ["conv"], "", Attr.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["conv"], ["relu"])
            .Node("Flatten", ["relu"], ["flat"])
            .Node("Gemm", ["flat", "g", "c"], ["y"], "", TestModel.IntAttr("transB", 1));
        if (wAlsoOutput) m.Output("w", DataType.Float, 32, 16, 3, 3);
        if (wAlsoAdded)
        {
            m.Node("Add", ["w", "w"], ["w2"]);
            m.Output("w2", DataType.Float, 32, 16, 3, 3);
        }
        return m;
    }

    private static Dictionary<string, Value> Feeds() => new() { ["x"] = new Tensor<float>(Rand(16 * 64, 9), [1, 16, 8, 8]) };

    private static float[] Output(GraphSession s, string name = "y") =>
        s.Run(Feeds()).Single(kv => kv.Key == name).Value!.AsTensor().As<float>().ToArray();

    /// <summary>Loads the model and returns weak references to the arrays behind its initializers w and g.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Model Model, WeakReference W, WeakReference G) LoadTracked(byte[] bytes)
    {
        var model = new OnnxModelLoader().Load(bytes);
        WeakReference Track(string name) =>
            MemoryMarshal.TryGetArray<float>(model.Graph.Initializers[name].As<float>().Memory, out var seg)
                ? new WeakReference(seg.Array) : throw new InvalidOperationException("not array-backed");
        return (model, Track("w"), Track("g"));
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Theory]
    [InlineData(GraphOptimizationLevel.All)]
    [InlineData(GraphOptimizationLevel.None)]
    public void ReleasedWeightsAreCollectedAndOutputsStayBitIdentical(GraphOptimizationLevel level)
    {
        var bytes = ConvGemm().ToBytes();
        var (model, w, g) = LoadTracked(bytes);
        using var released = new GraphSession(model, new SessionOptions { OptimizationLevel = level, IntraOpThreads = 1 }, ownsModel: true);
        Collect();
        Assert.False(w.IsAlive, "the conv weight's original array is still referenced");
        Assert.False(g.IsAlive, "the gemm weight's original array is still referenced");
        Assert.Equal(2, released.ReleasedWeightCount);
        Assert.Equal((32 * 16 * 9 + 10 * 2048) * 4L, released.ReleasedWeightBytes);
        Assert.True(ReleasedWeights.IsReleased(released.ExecutionGraph.Initializers["w"]));
        Assert.True(ReleasedWeights.IsReleased(model.Graph.Initializers["w"]));
        Assert.False(ReleasedWeights.IsReleased(model.Graph.Initializers["b"])); // small: kept

        using var kept = new GraphSession(new OnnxModelLoader().Load(bytes),
            new SessionOptions { OptimizationLevel = level, IntraOpThreads = 1, ReleasePackedWeights = false }, ownsModel: true);
        Assert.Equal(0, kept.ReleasedWeightCount);
        Assert.False(ReleasedWeights.IsReleased(kept.ExecutionGraph.Initializers["w"]));
        var expected = Output(kept);
        Assert.Equal(expected, Output(released));
        Assert.Equal(expected, Output(released)); // second run: planned arena, same values
    }

    [Fact]
    public void ReadingAReleasedWeightThrowsNamingIt()
    {
        var model = new OnnxModelLoader().Load(ConvGemm().ToBytes());
        using var s = new GraphSession(model, new SessionOptions { IntraOpThreads = 1 }, ownsModel: true);
        var standIn = s.ExecutionGraph.Initializers["g"].As<float>();
        Assert.Equal(new[] { 10, 2048 }, standIn.Shape);
        var e = Assert.Throws<InvalidOperationException>(() => standIn.Span[0]);
        Assert.Contains("'g'", e.Message);
        Assert.Contains("ReleasePackedWeights", e.Message);
    }

    [Fact]
    public void ACallersModelIsNeverChanged()
    {
        var model = new OnnxModelLoader().Load(ConvGemm().ToBytes());
        var w = model.Graph.Initializers["w"];
        using var s = new GraphSession(model, new SessionOptions { IntraOpThreads = 1 });
        Assert.Same(w, model.Graph.Initializers["w"]);
        Assert.Equal(Rand(32 * 16 * 9, 1)[5], w.As<float>().Span[5]);
        // The session's own copy of the graph dropped its reference (the caller's model still holds the data).
        Assert.True(ReleasedWeights.IsReleased(s.ExecutionGraph.Initializers["w"]));
        Output(s);

        // At level None the caller's graph is the one that runs: nothing is released.
        using var none = new GraphSession(model, new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None });
        Assert.Equal(0, none.ReleasedWeightCount);
        Assert.Same(w, none.ExecutionGraph.Initializers["w"]);
        Assert.Equal(Output(s), Output(none));
    }

    [Fact]
    public void AWeightSomethingElseReadsOrAGraphOutputIsKept()
    {
        foreach (var (m, reason) in new[] { (ConvGemm(wAlsoOutput: true), "graph output"), (ConvGemm(wAlsoAdded: true), "read by Add") })
        {
            var bytes = m.ToBytes();
            using var s = new GraphSession(new OnnxModelLoader().Load(bytes), new SessionOptions { IntraOpThreads = 1 }, ownsModel: true);
            Assert.False(ReleasedWeights.IsReleased(s.ExecutionGraph.Initializers["w"]), reason);
            Assert.Equal(1, s.ReleasedWeightCount); // g only
            using var kept = new GraphSession(new OnnxModelLoader().Load(bytes),
                new SessionOptions { IntraOpThreads = 1, ReleasePackedWeights = false }, ownsModel: true);
            var a = s.Run(Feeds());
            var b = kept.Run(Feeds());
            for (int i = 0; i < a.Count; i++)
                Assert.Equal(b[i].Value!.AsTensor().As<float>().ToArray(), a[i].Value!.AsTensor().As<float>().ToArray());
        }
    }

    [Fact]
    public void MatMulWeightsAreReleasedToo()
    {
        var bytes = new TestModel(13)
            .Input("a", DataType.Float, 3, 80)
            .Output("y", DataType.Float, 3, 64)
            .Initializer("m", Rand(80 * 64, 5), 80, 64)
            .Node("MatMul", ["a", "m"], ["y"])
            .ToBytes();
        var feeds = new Dictionary<string, Value> { ["a"] = new Tensor<float>(Rand(240, 6), [3, 80]) };
        using var s = new GraphSession(new OnnxModelLoader().Load(bytes), new SessionOptions { IntraOpThreads = 1 }, ownsModel: true);
        using var kept = new GraphSession(new OnnxModelLoader().Load(bytes),
            new SessionOptions { IntraOpThreads = 1, ReleasePackedWeights = false }, ownsModel: true);
        Assert.Equal(1, s.ReleasedWeightCount);
        Assert.Equal(kept.Run(feeds)[0].Value!.AsTensor().As<float>().ToArray(), s.Run(feeds)[0].Value!.AsTensor().As<float>().ToArray());
    }

    [Fact]
    public void ImportAndOptimizerPackNothingTheSessionPacksOnce()
    {
        var model = new OnnxModelLoader().Load(ConvGemm().ToBytes());
        Assert.False(((NativeInfer.Ops.NN.Gemm)model.Graph.Nodes.Single(n => n.OpType == "Gemm").Op!).HasPackedB);
        var optimized = NativeInfer.Optimizer.GraphOptimizer.Optimize(model, new SessionOptions());
        var fused = optimized.Model.Graph.Nodes.Single(n => n.OpType == "FusedConv");
        Assert.Equal(-1, ((IPackedWeightOp)fused.Op!).PackedInput);
        using var s = new GraphSession(model, new SessionOptions { IntraOpThreads = 1 });
        var final = s.ExecutionGraph.Nodes.Single(n => n.OpType == "FusedConv");
        Assert.Equal(1, ((IPackedWeightOp)final.Op!).PackedInput);
        Assert.True(((NativeInfer.Ops.NN.Gemm)s.ExecutionGraph.Nodes.Single(n => n.OpType == "Gemm").Op!).HasPackedB);
    }

    [Fact]
    public void ExportOfTheOptimizedGraphStillReadsEveryWeight()
    {
        // The optimize command's path: GraphOptimizer alone releases nothing.
        var model = new OnnxModelLoader().Load(ConvGemm().ToBytes());
        var optimized = NativeInfer.Optimizer.GraphOptimizer.Optimize(model, new SessionOptions());
        var reloaded = new OnnxModelLoader().Load(OnnxModelWriter.ToBytes(optimized.Model));
        using var a = new GraphSession(reloaded, new SessionOptions { IntraOpThreads = 1 }, ownsModel: true);
        using var b = new GraphSession(model, new SessionOptions { IntraOpThreads = 1 });
        Assert.Equal(Output(b), Output(a));

        // A session that keeps its weights can export the graph it runs.
        using var kept = new GraphSession(new OnnxModelLoader().Load(ConvGemm().ToBytes()),
            new SessionOptions { IntraOpThreads = 1, ReleasePackedWeights = false }, ownsModel: true);
        Assert.NotEmpty(OnnxModelWriter.ToBytes(kept.Optimization!.Model));
    }

    [SkippableFact]
    public void AGpuBackendSessionKeepsEveryWeight()
    {
        GpuBackend.Register();
        Skip.If(GpuDevices.TryGet(GpuDeviceKind.Cpu) is null, "ILGPU's CPU accelerator is not available.");
        var bytes = ConvGemm().ToBytes();
        using var gpu = new GraphSession(new OnnxModelLoader().Load(bytes),
            new SessionOptions { Backend = ExecutionBackend.IlgpuCpu, IntraOpThreads = 1 }, ownsModel: true);
        Assert.NotNull(gpu.Backend);
        Assert.Equal(0, gpu.ReleasedWeightCount);
        Assert.DoesNotContain(gpu.ExecutionGraph.Initializers.Values, ReleasedWeights.IsReleased);
        using var cpu = new GraphSession(new OnnxModelLoader().Load(bytes), new SessionOptions { IntraOpThreads = 1 }, ownsModel: true);
        var e = Output(cpu);
        var a = Output(gpu);
        float max = e.Max(Math.Abs);
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4f * max, $"y[{i}]: {a[i]} vs {e[i]}");
    }

    [SkippableFact]
    public void LightModelReleasesItsFoldedWeightsWithIdenticalOutputs()
    {
        var path = Path.Combine(TestPaths.OnnxSuite ?? "", "light", "light_squeezenet.onnx");
        Skip.IfNot(File.Exists(path), "light models not available");
        using var released = new InferenceSession(path, new SessionOptions { IntraOpThreads = 1 });
        using var kept = new InferenceSession(path, new SessionOptions { IntraOpThreads = 1, ReleasePackedWeights = false });
        var feeds = Onnx.Benchmarking.BenchmarkInputs.Create(released.Model.Graph.FeedInputs.ToList(),
            Onnx.Benchmarking.DimOverrides.Parse([]), 7, released.Options.MaxTensorBytes);
        Assert.Equal(kept.Run(feeds)[0].Value!.AsTensor().As<float>().ToArray(), released.Run(feeds)[0].Value!.AsTensor().As<float>().ToArray());
    }
}
