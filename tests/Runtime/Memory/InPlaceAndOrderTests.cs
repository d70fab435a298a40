using Google.Protobuf;
using NativeInfer.IR;
using NativeInfer.Onnx.Import;
using NativeInfer.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Runtime.Memory;

/// <summary>
/// In-place execution (SessionOptions.InPlaceExecution) and the memory-aware execution order
/// (SessionOptions.MemoryAwareOrder): same outputs as without them, planned peaks that do not grow, and no aliasing of
/// a value that is still read later.
/// </summary>
public class InPlaceAndOrderTests
{
    private const int C = 8, H = 32, W = 32;

    private static float[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
    }

    private static SubgraphBuilder WithInput(string name = "main") => new SubgraphBuilder(name)
        .Input("x", DataType.Float, [1, C, H, W])
        .Initializer("w", new Tensor<float>(Random(C * C * 9, 1), [C, C, 3, 3]));

    private static Model Load(SubgraphBuilder b) => new OnnxModelLoader().Load(b.ToModel(17).ToByteArray());

    /// <summary>x → Conv = a → Relu = b → Sigmoid = c → Add(c, x) = d → Conv = y: b, c and d can each take their input's buffer.</summary>
    private static Model ChainModel() => Load(WithInput()
        .Node("Conv", ["x", "w"], ["a"], Attr.Ints("pads", 1, 1, 1, 1))
        .Node("Relu", ["a"], ["b"])
        .Node("Sigmoid", ["b"], ["c"])
        .Node("Add", ["c", "x"], ["d"])
        .Node("Conv", ["d", "w"], ["y"], Attr.Ints("pads", 1, 1, 1, 1))
        .Output("y"));

    /// <summary>x → Conv = a → Relu = b → Add(a, b) = c → Conv = y: Relu must not overwrite a (Add reads it later).</summary>
    private static Model ReadLaterModel() => Load(WithInput()
        .Node("Conv", ["x", "w"], ["a"], Attr.Ints("pads", 1, 1, 1, 1))
        .Node("Relu", ["a"], ["b"])
        .Node("Add", ["a", "b"], ["c"])
        .Node("Conv", ["c", "w"], ["y"], Attr.Ints("pads", 1, 1, 1, 1))
        .Output("y"));

    /// <summary>
    /// x → Conv = a → Reshape = av; Relu(a) = b; Add(b, av') where av' = Reshape(av) back: a's buffer is shared by the
    /// view av, so Relu must not overwrite it even though a itself dies at Relu.
    /// </summary>
    private static Model ViewModel() => Load(WithInput()
        .Initializer("flat", new Tensor<long>([1, C, -1], [3]))
        .Initializer("back", new Tensor<long>([1, C, H, W], [4]))
        .Node("Conv", ["x", "w"], ["a"], Attr.Ints("pads", 1, 1, 1, 1))
        .Node("Reshape", ["a", "flat"], ["av"])
        .Node("Relu", ["a"], ["b"])
        .Node("Reshape", ["av", "back"], ["ab"])
        .Node("Add", ["b", "ab"], ["c"])
        .Node("Conv", ["c", "w"], ["y"], Attr.Ints("pads", 1, 1, 1, 1))
        .Output("y"));

    private static SessionOptions Options(bool inPlace, bool order = true) => new()
    {
        IntraOpThreads = 1,
        OptimizationLevel = GraphOptimizationLevel.None, // keep the elementwise ops unfused
        InPlaceExecution = inPlace,
        MemoryAwareOrder = order,
    };

    private static Tensor<float> Input(int seed) => new(Random(C * H * W, seed), [1, C, H, W]);

    private static float[] Run(GraphSession s, Tensor<float> x) =>
        s.Run(new Dictionary<string, Value> { ["x"] = x })[0].Value!.AsTensor().As<float>().ToArray();

    /// <summary>Runs both sessions on several inputs (the first run records, later ones use the arena) and compares.</summary>
    private static void AssertSameOutputs(GraphSession expected, GraphSession actual, int runs = 4)
    {
        for (int run = 0; run < runs; run++)
        {
            var x = Input(20 + run);
            Assert.Equal(Run(expected, x), Run(actual, x));
        }
    }

    [Fact]
    public void InPlaceChainGivesTheSameOutputsAndALowerPeak()
    {
        using var off = new GraphSession(ChainModel(), Options(inPlace: false));
        using var on = new GraphSession(ChainModel(), Options(inPlace: true));
        AssertSameOutputs(off, on);
        var planOff = Assert.Single(off.MemoryPlans);
        var planOn = Assert.Single(on.MemoryPlans);
        Assert.Equal(0, planOff.InPlaceOutputs);
        Assert.Equal(3, planOn.InPlaceOutputs); // Relu over a, Sigmoid over b, Add over c
        Assert.Equal(2L * C * H * W * sizeof(float), planOff.PlannedPeakBytes);
        Assert.Equal((long)C * H * W * sizeof(float), planOn.PlannedPeakBytes);
    }

    [Fact]
    public void AnInputReadLaterIsNotOverwritten()
    {
        using var off = new GraphSession(ReadLaterModel(), Options(inPlace: false));
        using var on = new GraphSession(ReadLaterModel(), Options(inPlace: true));
        AssertSameOutputs(off, on); // Relu over a would make c = 2·relu(a) instead of a + relu(a)
        var plan = Assert.Single(on.MemoryPlans);
        Assert.Equal(1, plan.InPlaceOutputs); // only Add (a and b both die there)
        Assert.True(plan.PlannedPeakBytes <= Assert.Single(off.MemoryPlans).PlannedPeakBytes);
    }

    [Fact]
    public void ABufferSharedWithAViewIsNotOverwritten()
    {
        // Topological order: Relu runs after the Reshape, so a itself dies at Relu and only the run-time check (a's
        // buffer has two live references) stops the in-place write.
        using var off = new GraphSession(ViewModel(), Options(inPlace: false, order: false));
        using var on = new GraphSession(ViewModel(), Options(inPlace: true, order: false));
        AssertSameOutputs(off, on);
        var plan = Assert.Single(on.MemoryPlans);
        Assert.Equal(1, plan.InPlaceOutputs); // Add over b or ab; never Relu over a
    }

    [Fact]
    public void GraphInputsAndInitializersAreNeverOverwritten()
    {
        // Relu(x) and Add(w2, x): x is the caller's tensor, w2 an initializer.
        var model = Load(new SubgraphBuilder("main")
            .Input("x", DataType.Float, [1, C, H, W])
            .Initializer("w2", new Tensor<float>(Random(C * H * W, 3), [1, C, H, W]))
            .Node("Relu", ["x"], ["r"])
            .Node("Add", ["w2", "r"], ["y"])
            .Output("y"));
        using var s = new GraphSession(model, Options(inPlace: true));
        var x = Input(5);
        var copy = x.ToArray();
        var w2 = model.Graph.Initializers["w2"].As<float>().ToArray();
        for (int run = 0; run < 3; run++) Run(s, x);
        Assert.Equal(copy, x.ToArray());
        Assert.Equal(w2, model.Graph.Initializers["w2"].As<float>().ToArray());
    }

    [Fact]
    public void FusedElementwiseRunsInPlaceAfterOptimization()
    {
        // At level All, Sigmoid + Add become one FusedElementwise over Relu's output, which dies there.
        var options = new SessionOptions { IntraOpThreads = 1, DisabledPasses = { "ConvActivationFusion" } };
        var reference = new SessionOptions { IntraOpThreads = 1, DisabledPasses = { "ConvActivationFusion" }, InPlaceExecution = false };
        using var on = new GraphSession(ChainModel(), options);
        using var off = new GraphSession(ChainModel(), reference);
        Assert.Contains(on.ExecutionGraph.Nodes, n => n.OpType == "FusedElementwise");
        AssertSameOutputs(off, on);
        // The pass leaves Conv, Relu, FusedElementwise(Sigmoid + Add), Conv: Relu over a, the fused node over b.
        Assert.Equal(2, Assert.Single(on.MemoryPlans).InPlaceOutputs);
    }

    [Fact]
    public void ConcurrentRunsWithInPlaceMatchSequentialOnes()
    {
        using var off = new GraphSession(ReadLaterModel(), Options(inPlace: false));
        using var on = new GraphSession(ReadLaterModel(), Options(inPlace: true));
        var inputs = Enumerable.Range(0, 8).Select(i => Input(40 + i)).ToArray();
        var expected = inputs.Select(x => Run(off, x)).ToArray();
        Run(on, inputs[0]); // record the plan
        var actual = new float[inputs.Length][];
        Parallel.For(0, inputs.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var y = Run(on, inputs[i % inputs.Length]);
            if (i >= inputs.Length * 3) actual[i % inputs.Length] = y;
            else Assert.Equal(expected[i % inputs.Length], y);
        });
        for (int i = 0; i < inputs.Length; i++) Assert.Equal(expected[i], actual[i]);
    }

    /// <summary>
    /// Two branches from x, each a big activation (Conv to 8·C channels) reduced by a 1×1 Conv to C channels, joined by
    /// an Add. Breadth-first (the topological order) keeps both big activations live at once; finishing one branch
    /// before starting the other keeps one.
    /// </summary>
    private static Model BranchModel()
    {
        const int Wide = 8 * C;
        return Load(WithInput()
            .Initializer("up1", new Tensor<float>(Random(Wide * C, 7), [Wide, C, 1, 1]))
            .Initializer("up2", new Tensor<float>(Random(Wide * C, 8), [Wide, C, 1, 1]))
            .Initializer("down1", new Tensor<float>(Random(C * Wide, 9), [C, Wide, 1, 1]))
            .Initializer("down2", new Tensor<float>(Random(C * Wide, 10), [C, Wide, 1, 1]))
            .Node("Conv", ["x", "w"], ["a"], Attr.Ints("pads", 1, 1, 1, 1))
            .Node("Conv", ["a", "up1"], ["b1"])
            .Node("Conv", ["a", "up2"], ["b2"])
            .Node("Conv", ["b1", "down1"], ["c1"])
            .Node("Conv", ["b2", "down2"], ["c2"])
            .Node("Add", ["c1", "c2"], ["d"])
            .Node("Conv", ["d", "w"], ["y"], Attr.Ints("pads", 1, 1, 1, 1))
            .Output("y"));
    }

    [Fact]
    public void MemoryAwareOrderLowersThePeakOfBranchesAndKeepsOutputs()
    {
        using var topo = new GraphSession(BranchModel(), Options(inPlace: true, order: false));
        using var ordered = new GraphSession(BranchModel(), Options(inPlace: true, order: true));
        AssertSameOutputs(topo, ordered);
        var before = Assert.Single(topo.MemoryPlans);
        var after = Assert.Single(ordered.MemoryPlans);
        Assert.Equal("topological", before.Order);
        Assert.NotEqual("topological", after.Order);
        long big = 8L * C * H * W * sizeof(float), small = (long)C * H * W * sizeof(float);
        Assert.Equal(2 * big + small, before.PlannedPeakBytes); // a, b1, b2 at the first down conv
        Assert.True(after.PlannedPeakBytes < before.PlannedPeakBytes, $"{after.PlannedPeakBytes} vs {before.PlannedPeakBytes}");
        Assert.True(after.ChosenEstimateBytes < after.TopologicalEstimateBytes);
        Assert.Equal(after.ChosenEstimateBytes, after.PlannedPeakBytes); // the estimate is what the recorded run plans
    }

    [Fact]
    public void OrderChoiceNeverRaisesTheEstimate()
    {
        foreach (var model in new[] { ChainModel(), ReadLaterModel(), ViewModel(), BranchModel() })
        {
            using var s = new GraphSession(model, Options(inPlace: true));
            Run(s, Input(1));
            var plan = Assert.Single(s.MemoryPlans);
            Assert.True(plan.ChosenEstimateBytes <= plan.TopologicalEstimateBytes);
            var order = GraphExecutor.PlanFor(s.ExecutionGraph, s.Options).Order;
            Assert.Equal(model.Graph.Nodes.Count, order.Distinct().Count());
            // Every node after the producers of what it reads.
            var done = new HashSet<string>(model.Graph.Initializers.Keys.Concat(model.Graph.Inputs.Select(i => i.Name)));
            foreach (var node in order)
            {
                Assert.All(node.Inputs.Where(i => i.Length > 0), i => Assert.Contains(i, done));
                done.UnionWith(node.Outputs);
            }
        }
    }
}
