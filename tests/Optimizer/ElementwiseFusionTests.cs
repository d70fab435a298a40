using NativeInfer.Onnx.Import;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Optimizer;

/// <summary>
/// The ElementwiseFusion pass: graphs run with every pass on and with none give the same outputs on random inputs,
/// and node counts show the trees became FusedElementwise nodes (or, where they must not, did not).
/// </summary>
public class ElementwiseFusionTests
{
    // Relative tolerance (of the output's largest magnitude). Most fused instructions are the very loops of the unfused
    // fast paths and agree exactly; the exceptions: Elu/Selu use VectorMath.Exp (a few ulp) where the unfused ops call
    // expf, Pow(x, 3) rounds twice in float where the unfused op rounds a double power once, and without FMA hardware
    // the BatchNormalization kernel's scalar tail fuses its multiply-add where the fused Affine does not.
    private const double Tolerance = 1e-5;

    private static float[] Rand(int n, int seed, float lo = -1f, float hi = 1f)
    {
        var r = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (float)r.NextDouble() * (hi - lo);
        return a;
    }

    private static Tensor<float> Tensor(int[] shape, int seed, float lo = -1f, float hi = 1f) =>
        new(Rand(shape.Aggregate(1, (a, b) => a * b), seed, lo, hi), shape);

    private static GraphSession CheckEquivalent(TestModel model, Dictionary<string, Value> feeds, int threads = 1, params string[] disabled)
    {
        var bytes = model.ToBytes();
        var reference = new GraphSession(new OnnxModelLoader().Load(bytes),
            new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None, IntraOpThreads = threads });
        var options = new SessionOptions { IntraOpThreads = threads };
        foreach (var d in disabled) options.DisabledPasses.Add(d);
        var optimized = new GraphSession(new OnnxModelLoader().Load(bytes), options);
        var expected = reference.Run(feeds);
        var actual = optimized.Run(feeds);
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var et = (Tensor)expected[i].Value!;
            var at = (Tensor)actual[i].Value!;
            Assert.Equal(et.Shape, at.Shape);
            var e = et.ToDoubleArray();
            var a = at.ToDoubleArray();
            double scale = Math.Max(1e-6, e.Where(double.IsFinite).DefaultIfEmpty(0).Max(Math.Abs));
            for (int j = 0; j < e.Length; j++)
            {
                if (double.IsNaN(e[j])) { Assert.True(double.IsNaN(a[j]), $"output {i}[{j}]: expected NaN, got {a[j]}"); continue; }
                if (double.IsInfinity(e[j])) { Assert.Equal(e[j], a[j]); continue; }
                Assert.True(Math.Abs(e[j] - a[j]) <= Tolerance * scale, $"output {i}[{j}]: expected {e[j]}, got {a[j]}");
            }
        }
        return optimized;
    }

    private static int Count(GraphSession s, string opType) => s.ExecutionGraph.Nodes.Count(n => n.OpType == opType);

    private static int Fired(GraphSession s) => s.Optimization!.Firings.GetValueOrDefault("ElementwiseFusion");

    private static string Expression(GraphSession s) =>
        s.ExecutionGraph.Nodes.Single(n => n.OpType == "FusedElementwise").Attributes.String("expression");

    private static int Instructions(GraphSession s) =>
        s.ExecutionGraph.Nodes.Single(n => n.OpType == "FusedElementwise").Attributes.Ints("opcodes")!.Length;

    private static TestModel BatchNormRelu(int n, int c, int h, int w)
    {
        return new TestModel(15)
            .Input("x", DataType.Float, n, c, h, w)
            .Initializer("s", Rand(c, 3, 0.5f, 1.5f), c).Initializer("bb", Rand(c, 4), c)
            .Initializer("mean", Rand(c, 5), c).Initializer("var", Rand(c, 6, 0.5f, 1.5f), c)
            .Node("BatchNormalization", ["x", "s", "bb", "mean", "var"], ["n"], "", Attr.Float("epsilon", 1e-3f))
            .Node("Relu", ["n"], ["y"])
            .Output("y", DataType.Float, n, c, h, w);
    }

    [Theory]
    [InlineData(2, 3, 5, 5, 1)]
    [InlineData(1, 16, 7, 7, 1)]
    [InlineData(2, 5, 3, 1, 1)]
    [InlineData(1, 64, 40, 40, 2)]   // large enough to split across threads
    public void BatchNormReluBecomesOneNode(int n, int c, int h, int w, int threads)
    {
        var s = CheckEquivalent(BatchNormRelu(n, c, h, w), new() { ["x"] = Tensor([n, c, h, w], 7, -2, 2) }, threads);
        Assert.Equal(1, Fired(s));
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(2, Instructions(s));
        Assert.Equal("relu(x0*c1[ch]+c2[ch])", Expression(s));
    }

    [Fact]
    public void BatchNormOnRank2IsAPerColumnAffine()
    {
        var model = new TestModel(15)
            .Input("x", DataType.Float, 6, 37)
            .Initializer("s", Rand(37, 3, 0.5f, 1.5f), 37).Initializer("bb", Rand(37, 4), 37)
            .Initializer("mean", Rand(37, 5), 37).Initializer("var", Rand(37, 6, 0.5f, 1.5f), 37)
            .Node("BatchNormalization", ["x", "s", "bb", "mean", "var"], ["n"])
            .Node("Sigmoid", ["n"], ["y"])
            .Output("y", DataType.Float, 6, 37);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([6, 37], 7, -3, 3) });
        Assert.Equal(1, Count(s, "FusedElementwise"));
        Assert.Single(s.ExecutionGraph.Nodes);
    }

    [Fact]
    public void ChainWithScalarsAndPerChannelConstantsFuses()
    {
        var model = new TestModel(17)
            .Input("x", DataType.Float, 2, 4, 6, 5)
            .Initializer("half", [0.5f])
            .Initializer("k", Rand(4, 8), 4, 1, 1)
            .Initializer("d", Rand(4, 9), 1, 4, 1, 1)
            .Node("Sigmoid", ["x"], ["a"])
            .Node("Mul", ["half", "a"], ["b"])
            .Node("Sub", ["b", "k"], ["c"])
            .Node("Div", ["c", "d"], ["e"])
            .Node("Tanh", ["e"], ["y"])
            .Output("y", DataType.Float, 2, 4, 6, 5);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([2, 4, 6, 5], 7, -3, 3) });
        Assert.Equal(1, Fired(s));
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(5, Instructions(s));
        Assert.Equal("tanh((0.5*sigmoid(x0)-c1[ch])/c2[ch])", Expression(s));
        // The scalar became an immediate; the two per-channel constants stay inputs.
        Assert.Equal(3, s.ExecutionGraph.Nodes[0].Inputs.Length);
    }

    [Fact]
    public void TreeOfTwoFullShapeInputsFuses()
    {
        // y = relu((x + z) * sigmoid(z)) - |x| / 3, with x and z read twice.
        var model = new TestModel(17)
            .Input("x", DataType.Float, 3, 2, 9, 11)
            .Input("z", DataType.Float, 3, 2, 9, 11)
            .Initializer("three", [3f])
            .Node("Add", ["x", "z"], ["s"])
            .Node("Sigmoid", ["z"], ["g"])
            .Node("Mul", ["s", "g"], ["m"])
            .Node("Relu", ["m"], ["r"])
            .Node("Abs", ["x"], ["ax"])
            .Node("Div", ["ax", "three"], ["q"])
            .Node("Sub", ["r", "q"], ["y"])
            .Output("y", DataType.Float, 3, 2, 9, 11);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([3, 2, 9, 11], 7, -2, 2), ["z"] = Tensor([3, 2, 9, 11], 8, -2, 2) });
        Assert.Equal(1, Fired(s));
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(7, Instructions(s));
        Assert.Equal(2, s.ExecutionGraph.Nodes[0].Inputs.Length);
    }

    [Fact]
    public void SharedValueInsideTheTreeIsComputedOnce()
    {
        // t = x * 2 feeds both operands of one Mul: one reader, so it joins the tree, and is evaluated once.
        var model = new TestModel(17)
            .Input("x", DataType.Float, 4, 33)
            .Initializer("two", [2f])
            .Node("Mul", ["x", "two"], ["t"])
            .Node("Mul", ["t", "t"], ["y"])
            .Output("y", DataType.Float, 4, 33);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([4, 33], 7) });
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(2, Instructions(s));
        Assert.Equal("t0=x0*2; t0*t0", Expression(s));
    }

    [Fact]
    public void ValueWithAnOutsideReaderEndsTheTree()
    {
        // a = relu(x) is also read by a Flatten: it stays a node of its own, and the tree above it reads it as an input.
        var model = new TestModel(17)
            .Input("x", DataType.Float, 2, 3, 4, 4)
            .Node("Relu", ["x"], ["a"])
            .Node("Sigmoid", ["a"], ["b"])
            .Node("Tanh", ["b"], ["y"])
            .Node("Flatten", ["a"], ["f"])
            .Output("y", DataType.Float, 2, 3, 4, 4)
            .Output("f", DataType.Float, 2, 48);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([2, 3, 4, 4], 7) });
        Assert.Equal(1, Count(s, "Relu"));
        Assert.Equal(1, Count(s, "FusedElementwise"));
        Assert.Equal("tanh(sigmoid(x0))", Expression(s));
        Assert.Equal(["a"], s.ExecutionGraph.Nodes.Single(n => n.OpType == "FusedElementwise").Inputs);
    }

    [Fact]
    public void ValueReadOnlyInsideOneTreeJoinsItNextRound()
    {
        // a = relu(x) has two readers, Sigmoid and Tanh; once both are one fused node, a has one reader and joins it.
        var model = new TestModel(17)
            .Input("x", DataType.Float, 2, 3, 4, 4)
            .Node("Relu", ["x"], ["a"])
            .Node("Sigmoid", ["a"], ["b"])
            .Node("Tanh", ["a"], ["c"])
            .Node("Add", ["b", "c"], ["y"])
            .Output("y", DataType.Float, 2, 3, 4, 4);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([2, 3, 4, 4], 7) });
        Assert.Equal(2, Fired(s));
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal("t0=relu(x0); sigmoid(t0)+tanh(t0)", Expression(s));
    }

    [Fact]
    public void GraphOutputEndsTheTree()
    {
        var model = new TestModel(17)
            .Input("x", DataType.Float, 2, 8)
            .Node("Exp", ["x"], ["a"])
            .Node("Neg", ["a"], ["b"])
            .Node("Sigmoid", ["b"], ["y"])
            .Output("a", DataType.Float, 2, 8)
            .Output("y", DataType.Float, 2, 8);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([2, 8], 7) });
        Assert.Equal(1, Count(s, "Exp"));
        Assert.Equal(1, Count(s, "FusedElementwise"));
        Assert.Equal("sigmoid(-x0)", Expression(s));
    }

    [Fact]
    public void SingleOpIsNotFused()
    {
        var model = new TestModel(17)
            .Input("x", DataType.Float, 2, 8)
            .Node("Relu", ["x"], ["y"])
            .Output("y", DataType.Float, 2, 8);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([2, 8], 7) });
        Assert.Equal(0, Fired(s));
        Assert.Equal(1, Count(s, "Relu"));
    }

    [Fact]
    public void DisabledPassDoesNotFire()
    {
        var s = CheckEquivalent(BatchNormRelu(1, 3, 4, 4), new() { ["x"] = Tensor([1, 3, 4, 4], 7) }, 1, "ElementwiseFusion");
        Assert.Equal(0, Fired(s));
        Assert.Equal(2, s.ExecutionGraph.Nodes.Count);
    }

    [Fact]
    public void RuntimePerChannelTensorIsStreamed()
    {
        // Squeeze-excitation style: relu(x * sigmoid(g)) with g a [N,C,1,1] graph input; sigmoid(g) has another shape,
        // so it is a tree (too small) of its own and the [N,C,1,1] value is an input of the fused node.
        var model = new TestModel(17)
            .Input("x", DataType.Float, 2, 5, 3, 7)
            .Input("g", DataType.Float, 2, 5, 1, 1)
            .Node("Sigmoid", ["g"], ["gs"])
            .Node("Mul", ["x", "gs"], ["m"])
            .Node("Relu", ["m"], ["y"])
            .Output("y", DataType.Float, 2, 5, 3, 7);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([2, 5, 3, 7], 7), ["g"] = Tensor([2, 5, 1, 1], 8) });
        Assert.Equal(1, Count(s, "FusedElementwise"));
        Assert.Equal(1, Count(s, "Sigmoid"));
        Assert.Equal("relu(x0*b1[bcast])", Expression(s));
    }

    [Fact]
    public void LastAxisVectorIsStreamed()
    {
        var model = new TestModel(17)
            .Input("x", DataType.Float, 3, 4, 13)
            .Initializer("v", Rand(13, 8), 13)
            .Node("Add", ["x", "v"], ["a"])
            .Node("Elu", ["a"], ["y"], "", Attr.Float("alpha", 0.7f))
            .Output("y", DataType.Float, 3, 4, 13);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([3, 4, 13], 7) });
        Assert.Equal(1, Count(s, "FusedElementwise"));
        Assert.Single(s.ExecutionGraph.Nodes);
    }

    [Fact]
    public void BroadcastOverTwoSeparateAxesIsNotTaken()
    {
        // [C,1,W] against [N,C,H,W] varies along two axes that are not adjacent: the Add stays, the Relu→Neg pair fuses.
        var model = new TestModel(17)
            .Input("x", DataType.Float, 2, 3, 4, 5)
            .Initializer("v", Rand(15, 8), 3, 1, 5)
            .Node("Add", ["x", "v"], ["a"])
            .Node("Relu", ["a"], ["b"])
            .Node("Neg", ["b"], ["y"])
            .Output("y", DataType.Float, 2, 3, 4, 5);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([2, 3, 4, 5], 7) });
        Assert.Equal(1, Count(s, "Add"));
        Assert.Equal(1, Count(s, "FusedElementwise"));
        Assert.Equal("-relu(x0)", Expression(s));
    }

    [Fact]
    public void ConvActivationIsLeftToConvFusion()
    {
        // Conv → Relu is FusedConv's; the Sigmoid after it has nothing left to fuse with.
        var model = new TestModel(17)
            .Input("x", DataType.Float, 1, 2, 6, 6)
            .Initializer("w", Rand(3 * 2 * 9, 1, -0.5f, 0.5f), 3, 2, 3, 3)
            .Node("Conv", ["x", "w"], ["c"], "", Attr.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c"], ["r"])
            .Node("Sigmoid", ["r"], ["y"])
            .Output("y", DataType.Float, 1, 3, 6, 6);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([1, 2, 6, 6], 7) });
        Assert.Equal(1, Count(s, "FusedConv"));
        Assert.Equal(0, Count(s, "FusedElementwise"));
        Assert.Equal(1, Count(s, "Sigmoid"));
    }

    [Fact]
    public void ConvResidualAddIsLeftToConvFusion()
    {
        // Conv + residual + Relu go to FusedConv; the trailing Mul·Tanh pair fuses on its own.
        var model = new TestModel(17)
            .Input("x", DataType.Float, 1, 3, 5, 5)
            .Initializer("w", Rand(3 * 3 * 9, 1, -0.5f, 0.5f), 3, 3, 3, 3)
            .Initializer("k", [1.5f])
            .Node("Conv", ["x", "w"], ["c"], "", Attr.Ints("pads", 1, 1, 1, 1))
            .Node("Add", ["c", "x"], ["s"])
            .Node("Relu", ["s"], ["r"])
            .Node("Mul", ["r", "k"], ["m"])
            .Node("Tanh", ["m"], ["y"])
            .Output("y", DataType.Float, 1, 3, 5, 5);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([1, 3, 5, 5], 7) });
        Assert.Equal(1, Count(s, "FusedConv"));
        Assert.Equal(4, s.ExecutionGraph.Nodes.Single(n => n.OpType == "FusedConv").Inputs.Length);
        Assert.Equal("tanh(x0*1.5)", Expression(s));
    }

    [Fact]
    public void BroadcastAddAfterConvFuses()
    {
        // Conv → Add of a [1,C,1,1] graph input → Relu: no residual for ConvActivationFusion (it broadcasts) and no
        // constant for ConvAffineFolding, so the Add and Relu fuse here.
        var model = new TestModel(17)
            .Input("x", DataType.Float, 1, 2, 5, 5)
            .Input("r", DataType.Float, 1, 3, 1, 1)
            .Initializer("w", Rand(3 * 2 * 9, 1, -0.5f, 0.5f), 3, 2, 3, 3)
            .Node("Conv", ["x", "w"], ["c"], "", Attr.Ints("pads", 1, 1, 1, 1))
            .Node("Add", ["c", "r"], ["s"])
            .Node("Relu", ["s"], ["y"])
            .Output("y", DataType.Float, 1, 3, 5, 5);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([1, 2, 5, 5], 7), ["r"] = Tensor([1, 3, 1, 1], 8) });
        Assert.Equal(1, Count(s, "Conv"));
        Assert.Equal("relu(x0+b1[ch])", Expression(s));
    }

    [Fact]
    public void BatchNormScaleIsLeftToBatchNormFolding()
    {
        // BN → Mul(per-channel) → Relu: BatchNormAffineFolding folds the Mul first; then BN + Relu fuse.
        var model = new TestModel(15)
            .Input("x", DataType.Float, 1, 3, 4, 4)
            .Initializer("s", Rand(3, 3, 0.5f, 1.5f), 3).Initializer("bb", Rand(3, 4), 3)
            .Initializer("mean", Rand(3, 5), 3).Initializer("var", Rand(3, 6, 0.5f, 1.5f), 3)
            .Initializer("k", Rand(3, 8), 3, 1, 1)
            .Node("BatchNormalization", ["x", "s", "bb", "mean", "var"], ["n"])
            .Node("Mul", ["n", "k"], ["m"])
            .Node("Relu", ["m"], ["y"])
            .Output("y", DataType.Float, 1, 3, 4, 4);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([1, 3, 4, 4], 7) });
        Assert.Equal(1, s.Optimization!.Firings.GetValueOrDefault("BatchNormAffineFolding"));
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal("relu(x0*c1[ch]+c2[ch])", Expression(s));
    }

    public static TheoryData<string> UnaryOps => new()
    {
        "Relu", "LeakyRelu", "Elu", "Selu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Exp", "Log", "Abs", "Neg", "Sqrt",
        "Reciprocal", "Floor", "Ceil", "Erf", "Softplus", "Gelu", "GeluTanh", "Mish", "Clip", "ClipAttributes", "Cast",
        "Pow0.5", "Pow2", "Pow3", "Pow-1",
    };

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void EachUnaryOpFuses(string op)
    {
        // y = op(x * 1.25 [+ 0.25]) * -0.75: the op between two instructions, over 3·37 values (every tail width).
        bool positive = op is "Log" or "Sqrt" or "Reciprocal" or "Pow0.5" or "Pow-1";
        var model = new TestModel(op == "ClipAttributes" ? 6 : 20)
            .Input("x", DataType.Float, 3, 37)
            .Initializer("k", [1.25f])
            .Initializer("m", [-0.75f])
            .Node("Mul", ["x", "k"], ["a"]);
        switch (op)
        {
            case "LeakyRelu": model.Node(op, ["a"], ["b"], "", Attr.Float("alpha", 0.2f)); break;
            case "Elu": model.Node(op, ["a"], ["b"], "", Attr.Float("alpha", 0.8f)); break;
            case "Selu": model.Node(op, ["a"], ["b"]); break;
            case "HardSigmoid": model.Node(op, ["a"], ["b"], "", Attr.Float("alpha", 0.3f), Attr.Float("beta", 0.4f)); break;
            case "Gelu": model.Node(op, ["a"], ["b"]); break;
            case "GeluTanh": model.Node("Gelu", ["a"], ["b"], "", Attr.Str("approximate", "tanh")); break;
            case "Clip": model.Initializer("lo", [-0.5f]).Initializer("hi", [0.75f]).Node(op, ["a", "lo", "hi"], ["b"]); break;
            case "ClipAttributes": model.Node("Clip", ["a"], ["b"], "", Attr.Float("min", -0.5f), Attr.Float("max", 0.75f)); break;
            case "Cast": model.Node(op, ["a"], ["b"], "", Attr.Int("to", (long)DataType.Float)); break;
            case var p when p.StartsWith("Pow"):
                model.Initializer("e", [float.Parse(p[3..], System.Globalization.CultureInfo.InvariantCulture)]).Node("Pow", ["a", "e"], ["b"]);
                break;
            default: model.Node(op, ["a"], ["b"]); break;
        }
        model.Node("Mul", ["b", "m"], ["y"]).Output("y", DataType.Float, 3, 37);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([3, 37], 7, positive ? 0.1f : -3f, 3f) });
        Assert.Equal(1, Fired(s));
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(op == "Cast" ? 2 : 3, Instructions(s));
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    [InlineData("Div")]
    [InlineData("Max")]
    [InlineData("Min")]
    [InlineData("Sum")]
    [InlineData("PRelu")]
    public void EachBinaryOpFuses(string op)
    {
        // y = relu?(op(tanh(x), z[, w])) with z full shape, and (for PRelu) a per-channel slope.
        var model = new TestModel(17)
            .Input("x", DataType.Float, 2, 3, 5, 7)
            .Input("z", DataType.Float, 2, 3, 5, 7)
            .Input("w", DataType.Float, 2, 3, 5, 7)
            .Initializer("slope", Rand(3, 9), 3, 1, 1)
            .Node("Tanh", ["x"], ["t"]);
        if (op == "Sum") model.Node(op, ["t", "z", "w"], ["b"]);
        else if (op == "PRelu") model.Node(op, ["t", "slope"], ["b"]);
        else model.Node(op, ["t", "z"], ["b"]);
        model.Node("Exp", ["b"], ["y"]).Output("y", DataType.Float, 2, 3, 5, 7);
        var feeds = new Dictionary<string, Value>
        {
            ["x"] = Tensor([2, 3, 5, 7], 7, -2, 2),
            ["z"] = Tensor([2, 3, 5, 7], 8, op == "Div" ? 0.5f : -1f, 1f),
            ["w"] = Tensor([2, 3, 5, 7], 9),
        };
        var s = CheckEquivalent(model, feeds);
        Assert.Equal(1, Fired(s));
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(op == "Sum" ? 4 : 3, Instructions(s));
    }

    [Fact]
    public void UnsupportedExponentStaysAPow()
    {
        var model = new TestModel(17)
            .Input("x", DataType.Float, 2, 8)
            .Initializer("e", [1.7f])
            .Node("Pow", ["x", "e"], ["a"])
            .Node("Relu", ["a"], ["y"])
            .Output("y", DataType.Float, 2, 8);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([2, 8], 7, 0.1f, 2f) });
        Assert.Equal(0, Fired(s));
        Assert.Equal(1, Count(s, "Pow"));
    }

    [Fact]
    public void SpecialValuesMatchTheUnfusedOps()
    {
        // NaN, ±Inf, ±0 through a chain of ops with special cases of their own.
        var values = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-30f, -1e-30f, 100f, -100f, 0.5f, -0.5f, 3f };
        var model = new TestModel(17)
            .Input("x", DataType.Float, values.Length)
            .Initializer("h", [0.5f])
            .Node("Pow", ["x", "h"], ["a"])
            .Node("Abs", ["x"], ["b"])
            .Node("Add", ["a", "b"], ["c"])
            .Node("Max", ["c", "x"], ["d"])
            .Node("Softplus", ["d"], ["y"])
            .Output("y", DataType.Float, values.Length);
        var s = CheckEquivalent(model, new() { ["x"] = new Tensor<float>(values, [values.Length]) });
        Assert.Equal(1, Count(s, "FusedElementwise"));
        Assert.Single(s.ExecutionGraph.Nodes);
    }

    [Fact]
    public void SymbolicBatchFuses()
    {
        var model = new TestModel(17)
            .InputSymbolic("x", DataType.Float, "N", 4, 3, 3)
            .Initializer("k", Rand(4, 8), 4, 1, 1)
            .Node("Mul", ["x", "k"], ["a"])
            .Node("Sigmoid", ["a"], ["y"]);
        var shape = new NativeInfer.Onnx.Proto.TensorShapeProto();
        shape.Dim.Add(new NativeInfer.Onnx.Proto.TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (long d in new long[] { 4, 3, 3 }) shape.Dim.Add(new NativeInfer.Onnx.Proto.TensorShapeProto.Types.Dimension { DimValue = d });
        model.Proto.Graph.Output.Add(new NativeInfer.Onnx.Proto.ValueInfoProto
        {
            Name = "y",
            Type = new NativeInfer.Onnx.Proto.TypeProto { TensorType = new NativeInfer.Onnx.Proto.TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = shape } },
        });
        var bytes = model.ToBytes();
        var s = new GraphSession(new OnnxModelLoader().Load(bytes), new SessionOptions());
        Assert.Equal(1, Fired(s));
        var reference = new GraphSession(new OnnxModelLoader().Load(bytes), new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None });
        foreach (int n in new[] { 1, 3 })
        {
            var feeds = new Dictionary<string, Value> { ["x"] = Tensor([n, 4, 3, 3], n) };
            Assert.Equal(((Tensor<float>)reference.Run(feeds)[0].Value!).ToArray(), ((Tensor<float>)s.Run(feeds)[0].Value!).ToArray());
        }
    }

    [Fact]
    public void ExistingFusedNodeIsExtended()
    {
        // A FusedElementwise node in the model (as written back by an exporter) followed by a Relu: one program.
        var model = new TestModel(17)
            .Opset("ai.nativeinfer", 1)
            .Input("x", DataType.Float, 2, 3, 4)
            .Input("z", DataType.Float, 2, 3, 4)
            .Node("FusedElementwise", ["x", "z"], ["f"], "ai.nativeinfer",
                Attr.Ints("opcodes", 3, 24), Attr.Ints("operands", 0, 1, 0, 2, 0, 0), Attr.Str("expression", "sigmoid(x0*x1)"))
            .Node("Relu", ["f"], ["r"])
            .Node("Neg", ["r"], ["y"])
            .Output("y", DataType.Float, 2, 3, 4);
        var feeds = new Dictionary<string, Value> { ["x"] = Tensor([2, 3, 4], 7), ["z"] = Tensor([2, 3, 4], 8) };
        var s = CheckEquivalent(model, feeds);
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal("-relu(sigmoid(x0*x1))", Expression(s));
        // The unfused reference: sigmoid(x*z), relu, negate.
        var x = ((Tensor<float>)feeds["x"]).ToArray();
        var z = ((Tensor<float>)feeds["z"]).ToArray();
        var y = ((Tensor<float>)s.Run(feeds)[0].Value!).ToArray();
        for (int i = 0; i < y.Length; i++)
            Assert.Equal(-Math.Max(0, 1 / (1 + Math.Exp(-(double)(x[i] * z[i])))), y[i], 1e-6);
    }
}
