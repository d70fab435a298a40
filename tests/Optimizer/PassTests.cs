using NativeInfer.Onnx.Import;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Optimizer;

/// <summary>
/// Each optimizer pass on a small graph: outputs with every pass on equal those of the unoptimized graph (random
/// inputs and weights), and the node counts show the pass fired.
/// </summary>
public class PassTests
{
    private static float[] Rand(int n, int seed, float scale = 1f)
    {
        var r = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 2 - 1) * scale;
        return a;
    }

    private static float[] Positive(int n, int seed)
    {
        var r = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(0.5 + r.NextDouble());
        return a;
    }

    private static TestModel ConvModel(int c, int m, int h, string convOut = "y")
    {
        return new TestModel(17)
            .Input("x", DataType.Float, 1, c, h, h)
            .Initializer("w", Rand(m * c * 9, 1, 0.5f), m, c, 3, 3)
            .Initializer("b", Rand(m, 2), m)
            .Node("Conv", ["x", "w", "b"], [convOut], "", Attr.Ints("pads", 1, 1, 1, 1));
    }

    /// <summary>Runs the model unoptimized and with every pass (minus <paramref name="disabled"/>); returns the optimized session.</summary>
    private static GraphSession CheckEquivalent(TestModel model, Dictionary<string, Value> feeds, double tolerance = 1e-4, params string[] disabled)
    {
        var bytes = model.ToBytes();
        var reference = new GraphSession(new OnnxModelLoader().Load(bytes), new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None });
        var options = new SessionOptions();
        foreach (var d in disabled) options.DisabledPasses.Add(d);
        var optimized = new GraphSession(new OnnxModelLoader().Load(bytes), options);
        var expected = reference.Run(feeds);
        var actual = optimized.Run(feeds);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var e = ((Tensor)expected[i].Value!).ToDoubleArray();
            var a = ((Tensor)actual[i].Value!).ToDoubleArray();
            Assert.Equal(((Tensor)expected[i].Value!).Shape, ((Tensor)actual[i].Value!).Shape);
            double scale = Math.Max(1e-6, e.Max(Math.Abs));
            for (int j = 0; j < e.Length; j++)
                Assert.True(Math.Abs(e[j] - a[j]) <= tolerance * scale, $"output {i}[{j}]: expected {e[j]}, got {a[j]}");
        }
        return optimized;
    }

    private static Dictionary<string, Value> Feed(string name, int[] shape, int seed = 7) =>
        new() { [name] = new Tensor<float>(Rand(shape.Aggregate(1, (a, b) => a * b), seed), shape) };

    private static int Count(GraphSession s, string opType) => s.ExecutionGraph.Nodes.Count(n => n.OpType == opType);

    private static int Fired(GraphSession s, string pass) => s.Optimization!.Firings.GetValueOrDefault(pass);

    [Fact]
    public void ConvBatchNormFolds()
    {
        var model = ConvModel(3, 4, 6, "c")
            .Initializer("s", Positive(4, 3), 4).Initializer("bb", Rand(4, 4), 4)
            .Initializer("mean", Rand(4, 5), 4).Initializer("var", Positive(4, 6), 4)
            .Node("BatchNormalization", ["c", "s", "bb", "mean", "var"], ["y"], "", Attr.Float("epsilon", 1e-3f))
            .Output("y", DataType.Float, 1, 4, 6, 6);
        var s = CheckEquivalent(model, Feed("x", [1, 3, 6, 6]));
        Assert.Equal(1, Fired(s, "ConvBatchNormFolding"));
        Assert.Equal(0, Count(s, "BatchNormalization"));
    }

    [Fact]
    public void DisabledPassDoesNotFire()
    {
        var model = ConvModel(3, 4, 6, "c")
            .Initializer("s", Positive(4, 3), 4).Initializer("bb", Rand(4, 4), 4)
            .Initializer("mean", Rand(4, 5), 4).Initializer("var", Positive(4, 6), 4)
            .Node("BatchNormalization", ["c", "s", "bb", "mean", "var"], ["y"])
            .Output("y", DataType.Float, 1, 4, 6, 6);
        var s = CheckEquivalent(model, Feed("x", [1, 3, 6, 6]), 1e-4, "ConvBatchNormFolding");
        Assert.Equal(0, Fired(s, "ConvBatchNormFolding"));
        Assert.Equal(1, Count(s, "BatchNormalization"));
    }

    [Fact]
    public void UnknownPassNameIsRejected()
    {
        var options = new SessionOptions();
        options.DisabledPasses.Add("NoSuchPass");
        var model = new OnnxModelLoader().Load(ConvModel(1, 1, 3).Output("y", DataType.Float, 1, 1, 3, 3).ToBytes());
        var e = Assert.Throws<ArgumentException>(() => new GraphSession(model, options));
        Assert.Contains("NoSuchPass", e.Message);
        Assert.Contains("ConstantFolding", e.Message);
    }

    [Fact]
    public void ConvMulAddFoldIntoWeights()
    {
        var model = ConvModel(2, 3, 5, "c")
            .Initializer("k", Rand(3, 8), 3, 1, 1)
            .Initializer("d", Rand(3, 9), 1, 3, 1, 1)
            .Node("Mul", ["k", "c"], ["cm"])
            .Node("Add", ["cm", "d"], ["y"])
            .Output("y", DataType.Float, 1, 3, 5, 5);
        var s = CheckEquivalent(model, Feed("x", [1, 2, 5, 5]));
        Assert.Equal(2, Fired(s, "ConvAffineFolding"));
        Assert.Single(s.ExecutionGraph.Nodes);
    }

    [Fact]
    public void MulOverSpatialAxesIsNotFolded()
    {
        // k varies along the last axis: not a per-channel constant, so it must stay a Mul.
        var model = ConvModel(2, 3, 5, "c")
            .Initializer("k", Rand(5, 8), 5)
            .Node("Mul", ["c", "k"], ["y"])
            .Output("y", DataType.Float, 1, 3, 5, 5);
        var s = CheckEquivalent(model, Feed("x", [1, 2, 5, 5]), 1e-4, "ConvActivationFusion");
        Assert.Equal(0, Fired(s, "ConvAffineFolding"));
        Assert.Equal(1, Count(s, "Mul"));
    }

    [Fact]
    public void BatchNormMulAddFold()
    {
        var model = new TestModel(17)
            .Input("x", DataType.Float, 2, 3, 4, 4)
            .Initializer("s", Positive(3, 3), 3).Initializer("bb", Rand(3, 4), 3)
            .Initializer("mean", Rand(3, 5), 3).Initializer("var", Positive(3, 6), 3)
            .Initializer("k", Rand(3, 8), 3, 1, 1)
            .Initializer("d", Rand(3, 9), 3, 1, 1)
            .Node("BatchNormalization", ["x", "s", "bb", "mean", "var"], ["n"])
            .Node("Mul", ["n", "k"], ["nm"])
            .Node("Add", ["nm", "d"], ["y"])
            .Output("y", DataType.Float, 2, 3, 4, 4);
        var s = CheckEquivalent(model, Feed("x", [2, 3, 4, 4]));
        Assert.Equal(2, Fired(s, "BatchNormAffineFolding"));
        Assert.Single(s.ExecutionGraph.Nodes);
    }

    [Theory]
    [InlineData("Relu")]
    [InlineData("LeakyRelu")]
    [InlineData("HardSigmoid")]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    [InlineData("Clip")]
    public void ConvActivationFuses(string activation)
    {
        var model = ConvModel(3, 4, 6, "c");
        if (activation == "Clip")
            model.Initializer("lo", [-0.25f]).Initializer("hi", [0.5f]).Node("Clip", ["c", "lo", "hi"], ["y"]);
        else if (activation == "LeakyRelu") model.Node("LeakyRelu", ["c"], ["y"], "", Attr.Float("alpha", 0.3f));
        else model.Node(activation, ["c"], ["y"]);
        model.Output("y", DataType.Float, 1, 4, 6, 6);
        var s = CheckEquivalent(model, Feed("x", [1, 3, 6, 6]));
        Assert.Equal(1, Fired(s, "ConvActivationFusion"));
        Assert.Equal(1, Count(s, "FusedConv"));
        Assert.Single(s.ExecutionGraph.Nodes);
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Sum")]
    public void ConvResidualAddReluFuses(string add)
    {
        var model = ConvModel(4, 4, 5, "c")
            .Node(add, ["x", "c"], ["s"])
            .Node("Relu", ["s"], ["y"])
            .Output("y", DataType.Float, 1, 4, 5, 5);
        var s = CheckEquivalent(model, Feed("x", [1, 4, 5, 5]));
        Assert.Equal(1, Count(s, "FusedConv"));
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(4, s.ExecutionGraph.Nodes[0].Inputs.Length);
    }

    [Fact]
    public void BroadcastingAddIsNotFusedAsResidual()
    {
        // r is [1,4,1,1]: the Add broadcasts, so it is not a same-shape residual.
        var model = ConvModel(3, 4, 5, "c")
            .Input("r", DataType.Float, 1, 4, 1, 1)
            .Node("Add", ["c", "r"], ["y"])
            .Output("y", DataType.Float, 1, 4, 5, 5);
        var feeds = Feed("x", [1, 3, 5, 5]);
        feeds["r"] = new Tensor<float>(Rand(4, 3), [1, 4, 1, 1]);
        var s = CheckEquivalent(model, feeds);
        Assert.Equal(0, Count(s, "FusedConv"));
        Assert.Equal(1, Count(s, "Add"));
    }

    [Fact]
    public void ConstantSubgraphsFoldAndShapesFold()
    {
        // Weight built by ConstantOfShape (as the ONNX 'light' models do) and a Reshape target from Shape(x).
        var model = new TestModel(17)
            .Input("x", DataType.Float, 1, 2, 4, 4)
            .RawInitializer(OnnxTensorReader.Write(new Tensor<long>([3, 2, 3, 3], [4]), "wshape"))
            .Node("ConstantOfShape", ["wshape"], ["w"], "", Attr.Tensor("value", new Tensor<float>([0.125f], [1])))
            .Node("Conv", ["x", "w"], ["c"])
            .Node("Shape", ["c"], ["cs"])
            .Node("Reshape", ["c", "cs"], ["y"])
            .Output("y", DataType.Float, 1, 3, 2, 2);
        var s = CheckEquivalent(model, Feed("x", [1, 2, 4, 4]));
        Assert.True(Fired(s, "ConstantFolding") >= 1);
        Assert.Equal(1, Fired(s, "ShapeFolding"));
        Assert.Equal(0, Count(s, "ConstantOfShape"));
        Assert.Equal(0, Count(s, "Shape"));
    }

    [Fact]
    public void OverridableInitializersAreNotFolded()
    {
        // IR 8: an initializer that is also a graph input is a default the caller may replace.
        var model = new TestModel(17)
            .Input("x", DataType.Float, 3)
            .Input("k", DataType.Float, 3)
            .Initializer("k", [1f, 2f, 3f], 3)
            .Node("Neg", ["k"], ["nk"])
            .Node("Add", ["x", "nk"], ["y"])
            .Output("y", DataType.Float, 3);
        var s = CheckEquivalent(model, Feed("x", [3]));
        Assert.Equal(0, Fired(s, "ConstantFolding"));
        var y = (Tensor<float>)s.Run(new Dictionary<string, Value>
        {
            ["x"] = new Tensor<float>([0f, 0f, 0f], [3]),
            ["k"] = new Tensor<float>([5f, 6f, 7f], [3]),
        })[0].Value!;
        Assert.Equal([-5f, -6f, -7f], y.ToArray());
    }

    [Fact]
    public void IdentityDropoutAndDeadNodesGo()
    {
        var model = new TestModel(17)
            .Input("x", DataType.Float, 2, 3)
            .Node("Identity", ["x"], ["a"])
            .Node("Dropout", ["a"], ["b"])
            .Node("Relu", ["b"], ["r"])
            .Node("Sigmoid", ["a"], ["unused"])
            .Node("Identity", ["r"], ["y"])
            .Output("y", DataType.Float, 2, 3);
        var s = CheckEquivalent(model, Feed("x", [2, 3]));
        Assert.Equal(3, Fired(s, "IdentityElimination"));
        Assert.Equal(1, Fired(s, "DeadNodeElimination"));
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal("y", s.ExecutionGraph.Nodes[0].Outputs[0]);
    }

    [Fact]
    public void LevelNoneLeavesTheGraphAlone()
    {
        var model = new OnnxModelLoader().Load(ConvModel(1, 1, 3).Node("Relu", ["y"], ["z"]).Output("z", DataType.Float, 1, 1, 3, 3).ToBytes());
        var s = new GraphSession(model, new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None });
        Assert.Null(s.Optimization);
        Assert.Same(model.Graph, s.ExecutionGraph);
    }
}
