using Google.Protobuf;
using NativeInfer.IR;
using NativeInfer.Onnx.Import;
using NativeInfer.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Runtime.Memory;

/// <summary>Sessions with the memory arena: same results as without it, lifetimes through views, little allocation.</summary>
public class MemoryArenaSessionTests
{
    private static float[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
    }

    /// <summary>
    /// x [1,8,32,32] → a = Relu(x) → av = Reshape(a) → b = Conv(x) → c = Relu(av) → bv = Reshape(b) → y = Add(c, bv), plus
    /// an output "z" = Sigmoid(b): the buffer of a is read through its view av after a's own last reader.
    /// </summary>
    private static Model AliasModel() => new OnnxModelLoader().Load(new SubgraphBuilder("main")
        .Input("x", DataType.Float) // no declared shape: the tests feed several
        .Initializer("w", new Tensor<float>(Random(8 * 8 * 9, 1), [8, 8, 3, 3]))
        .Initializer("shape", new Tensor<long>([1, 8, -1], [3]))
        .Node("Relu", ["x"], ["a"])
        .Node("Reshape", ["a", "shape"], ["av"])
        .Node("Conv", ["x", "w"], ["b"], Attr.Ints("pads", 1, 1, 1, 1))
        .Node("Relu", ["av"], ["c"])
        .Node("Reshape", ["b", "shape"], ["bv"])
        .Node("Add", ["c", "bv"], ["y"])
        .Node("Sigmoid", ["b"], ["z"])
        .Output("y").Output("z")
        .ToModel(17).ToByteArray());

    // In-place execution off: these tests count the arena's own buffers (in place, c and y would reuse a's buffer;
    // InPlaceAndOrderTests covers that).
    private static SessionOptions Options(bool planning) =>
        new() { IntraOpThreads = 1, MemoryPlanning = planning, InPlaceExecution = false, DisabledPasses = { "ElementwiseFusion", "ConvActivationFusion" } };

    private static float[][] Run(GraphSession s, Tensor<float> x) =>
        s.Run(new Dictionary<string, Value> { ["x"] = x }).Select(kv => kv.Value!.AsTensor().As<float>().ToArray()).ToArray();

    private static MemoryPlan OnlyPlan(GraphSession s) =>
        Assert.Single(GraphExecutor.PlanFor(s.ExecutionGraph).MemoryPlans.Entries).Plan!;

    [Fact]
    public void AViewExtendsItsBuffersLifetime()
    {
        using var s = new GraphSession(AliasModel(), Options(planning: true));
        Run(s, new Tensor<float>(Random(8 * 32 * 32, 2), [1, 8, 32, 32]));
        var plan = OnlyPlan(s);
        var order = GraphExecutor.PlanFor(s.ExecutionGraph).Order;
        int StepOf(string output) => Array.FindIndex(order, n => n.Outputs.Contains(output));
        var a = Assert.Single(plan.Buffers, b => b.Step == StepOf("a"));
        Assert.Equal(StepOf("c"), a.Last); // not StepOf("av"): the view keeps a's bytes alive
        // y and z leave the run: never placed.
        Assert.DoesNotContain(plan.Buffers, b => b.Step == StepOf("y") || b.Step == StepOf("z"));
        for (int k = 0; k < plan.Layouts.Length; k++)
        {
            var ids = Enumerable.Range(0, plan.Buffers.Length).Where(i => plan.Placements[i].Arena == k).ToArray();
            MemoryPlanner.Verify(ids.Select(i => plan.Lifetimes[i]).ToArray(), plan.Layouts[k], plan.ArenaElements[k].Alignment);
        }
    }

    [Fact]
    public void ArenaRunsGiveTheSameResultsAsPoolRuns()
    {
        using var planned = new GraphSession(AliasModel(), Options(planning: true));
        using var pooled = new GraphSession(AliasModel(), Options(planning: false));
        for (int run = 0; run < 4; run++)
        {
            var x = new Tensor<float>(Random(8 * 32 * 32, 10 + run), [1, 8, 32, 32]);
            var expected = Run(pooled, x);
            var actual = Run(planned, x);
            for (int o = 0; o < expected.Length; o++) Assert.Equal(expected[o], actual[o]);
        }
        Assert.Empty(GraphExecutor.PlanFor(pooled.ExecutionGraph).MemoryPlans.Entries);
        Assert.Equal(0, planned.PooledBufferBytes); // the arena served every planned buffer: nothing went back to the pool
    }

    [Fact]
    public void OutputsOfAnArenaRunSurviveTheNextRun()
    {
        using var s = new GraphSession(AliasModel(), Options(planning: true));
        var x1 = new Tensor<float>(Random(8 * 32 * 32, 20), [1, 8, 32, 32]);
        var x2 = new Tensor<float>(Random(8 * 32 * 32, 21), [1, 8, 32, 32]);
        Run(s, x1); // recording run
        var first = s.Run(new Dictionary<string, Value> { ["x"] = x1 }).Select(kv => kv.Value!.AsTensor()).ToArray();
        var copy = first.Select(t => t.As<float>().ToArray()).ToArray();
        Run(s, x2);
        for (int o = 0; o < first.Length; o++) Assert.Equal(copy[o], first[o].As<float>().ToArray());
    }

    [Fact]
    public void EachInputShapeGetsItsOwnPlan()
    {
        using var planned = new GraphSession(AliasModel(), Options(planning: true));
        using var pooled = new GraphSession(AliasModel(), Options(planning: false));
        foreach (int h in new[] { 32, 16, 32, 16, 8, 32 })
        {
            var x = new Tensor<float>(Random(8 * h * 32, h), [1, 8, h, 32]);
            var expected = Run(pooled, x);
            var actual = Run(planned, x);
            for (int o = 0; o < expected.Length; o++) Assert.Equal(expected[o], actual[o]);
        }
        var plans = planned.MemoryPlans;
        Assert.Equal(3, plans.Count);
        Assert.Contains(plans, p => p.Signature == "float32[1,8,16,32]");
        Assert.True(plans.Single(p => p.Signature == "float32[1,8,32,32]").PlannedPeakBytes
            > plans.Single(p => p.Signature == "float32[1,8,16,32]").PlannedPeakBytes);
    }

    [Fact]
    public void ConcurrentRunsEachUseTheirOwnArena()
    {
        using var planned = new GraphSession(AliasModel(), new SessionOptions { IntraOpThreads = 1 });
        using var pooled = new GraphSession(AliasModel(), new SessionOptions { IntraOpThreads = 1, MemoryPlanning = false });
        var inputs = Enumerable.Range(0, 8).Select(i => new Tensor<float>(Random(8 * 32 * 32, 100 + i), [1, 8, 32, 32])).ToArray();
        var expected = inputs.Select(x => Run(pooled, x)).ToArray();
        Run(planned, inputs[0]);
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var actual = Run(planned, inputs[i % inputs.Length]);
            for (int o = 0; o < actual.Length; o++) Assert.Equal(expected[i % inputs.Length][o], actual[o]);
        });
    }

    [Fact]
    public void ALaterRunAllocatesAlmostNothing()
    {
        using var s = new GraphSession(AliasModel(), Options(planning: true));
        var feeds = new Dictionary<string, Value> { ["x"] = new Tensor<float>(Random(8 * 32 * 32, 5), [1, 8, 32, 32]) };
        long first = Allocated(() => s.Run(feeds)); // records and plans
        s.Run(feeds);
        long later = Allocated(() => s.Run(feeds));
        // Per run: the two 32 KiB outputs (y, z) leave the run and are allocated afresh; a, b, c live in the arena.
        long outputs = 2 * 8 * 32 * 32 * sizeof(float);
        Assert.True(first > outputs + 2 * 32 * 1024, $"first run allocated only {first} bytes");
        Assert.True(later < outputs + 16 * 1024, $"later run allocated {later} bytes (outputs alone: {outputs})");
    }

    private static long Allocated(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
