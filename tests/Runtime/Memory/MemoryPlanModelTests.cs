using NativeInfer.Onnx.Import;
using NativeInfer.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NativeInfer.Tests.Runtime.Memory;

/// <summary>The memory planner on the light models of the ONNX backend suite (skipped when the suite is absent).</summary>
public class MemoryPlanModelTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> LightModels()
    {
        var suite = TestPaths.OnnxSuite;
        var names = suite is null || !Directory.Exists(Path.Combine(suite, "light"))
            ? ["(suite missing)"]
            : Directory.GetFiles(Path.Combine(suite, "light"), "*.onnx").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        return names.Select(n => new object[] { n! });
    }

    private static string? ModelPath(string name)
    {
        var suite = TestPaths.OnnxSuite;
        if (suite is null) return null;
        var path = Path.Combine(suite, "light", name + ".onnx");
        return File.Exists(path) ? path : null;
    }

    /// <summary>Inputs like the conformance runner's: element k of n is k/n.</summary>
    internal static Dictionary<string, Value> Inputs(InferenceSession s) => Inputs(s.InputNames, s.InputMetadata);

    internal static Dictionary<string, Value> Inputs(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata)
    {
        var feeds = new Dictionary<string, Value>();
        foreach (var name in names)
        {
            var meta = metadata[name];
            var shape = meta.Dimensions.Select(d => d is > 0 ? (int)d : 1).ToArray();
            int n = shape.Aggregate(1, (a, b) => a * b);
            feeds[name] = new Tensor<float>(Enumerable.Range(0, n).Select(k => (float)k / n).ToArray(), shape);
        }
        return feeds;
    }

    [Theory]
    [MemberData(nameof(LightModels))]
    public void PlannedPeakIsWithinTwentyPercentOfTheLowerBound(string name)
    {
        var path = ModelPath(name);
        if (path is null) return; // suite missing: nothing to check
        using var s = new InferenceSession(path, new SessionOptions { IntraOpThreads = 1 });
        var feeds = Inputs(s);
        s.Run(feeds);
        var plan = Assert.Single(s.MemoryPlans);
        output.WriteLine($"{name}: {plan}");
        Assert.True(plan.TensorsPlaced > 0);
        Assert.True(plan.PlannedPeakBytes >= plan.LowerBoundBytes);
        Assert.True(plan.Ratio <= 1.2, $"{name}: {plan}");
    }

    [Theory]
    [MemberData(nameof(LightModels))]
    public void NoTwoLiveTensorsShareBytes(string name)
    {
        var path = ModelPath(name);
        if (path is null) return;
        using var s = new GraphSession(new OnnxModelLoader().Load(path), new SessionOptions { IntraOpThreads = 1 });
        s.Run(Inputs(s.InputNames, s.InputMetadata));
        var plan = Assert.Single(GraphExecutor.PlanFor(s.ExecutionGraph).MemoryPlans.Entries).Plan!;
        for (int k = 0; k < plan.Layouts.Length; k++)
        {
            var ids = Enumerable.Range(0, plan.Buffers.Length).Where(i => plan.Placements[i].Arena == k).ToArray();
            MemoryPlanner.Verify(ids.Select(i => plan.Lifetimes[i]).ToArray(), plan.Layouts[k], plan.ArenaElements[k].Alignment);
        }
    }

    [Theory]
    [InlineData("light_squeezenet")]
    [InlineData("light_inception_v1")]
    public void ArenaRunsMatchPoolRunsAndAllocateLittle(string name)
    {
        var path = ModelPath(name);
        if (path is null) return;
        var model = new OnnxModelLoader().Load(path);
        using var planned = new GraphSession(model, new SessionOptions { IntraOpThreads = 1 });
        using var pooled = new GraphSession(model, new SessionOptions { IntraOpThreads = 1, MemoryPlanning = false });
        var feeds = Inputs(planned.InputNames, planned.InputMetadata);
        var expected = pooled.Run(feeds).Select(kv => kv.Value!.AsTensor().As<float>().ToArray()).ToArray();
        for (int run = 0; run < 4; run++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var actual = planned.Run(feeds).Select(kv => kv.Value!.AsTensor().As<float>().ToArray()).ToArray();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            for (int o = 0; o < expected.Length; o++) Assert.Equal(expected[o], actual[o]);
            var plan = Assert.Single(planned.MemoryPlans);
            output.WriteLine($"run {run}: {allocated:N0} bytes allocated; {plan}");
            // Run 0 records, run 1 allocates the arena; from then on every planned tensor comes from the arena: what is
            // still allocated is tensor objects, shapes, the outputs and kernel temporaries, far below the arena.
            if (run > 1) Assert.True(allocated < plan.PlannedPeakBytes / 8, $"run {run} allocated {allocated} bytes; arena {plan.PlannedPeakBytes}");
        }
    }
}
