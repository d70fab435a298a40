using NativeInfer.IR;
using NativeInfer.Onnx.Export;
using NativeInfer.Onnx.Import;
using NativeInfer.Onnx.Proto;
using NativeInfer.Optimizer;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Optimizer;

/// <summary>
/// The transformer fusion passes (LayerNormFusion, RmsNormFusion, GeluFusion, SiluFusion, AttentionFusion): small
/// graphs written the way exporters write them run with every pass and with none and give the same outputs on random
/// inputs; node counts show each pass fired, and near-misses (another constant, another axis, an intermediate with a
/// second reader) show it did not.
/// </summary>
public class TransformerFusionTests
{
    // Relative tolerance (of the output's largest magnitude). The fused kernels compute the same formulas in another
    // order: LayerNorm/RMSNorm accumulate mean and variance in vector lanes where ReduceMean sums differently and Pow,
    // Sqrt, Div round each step; Gelu's kernel evaluates erf/tanh by its own polynomial where Erf/Tanh ops use theirs;
    // attention applies the scale as the GEMM's alpha (one rounding) where Div rounds after the MatMul, and its GEMM
    // blocks K differently. Each is a few float ulps per step; 1e-4 leaves room for the softmax's exp amplifying them.
    private const double Tolerance = 1e-4;

    private static float[] Rand(int n, int seed, float lo = -1f, float hi = 1f)
    {
        var r = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (float)r.NextDouble() * (hi - lo);
        return a;
    }

    private static Tensor<float> Tensor(int[] shape, int seed, float lo = -1f, float hi = 1f) =>
        new(Rand(shape.Aggregate(1, (a, b) => a * b), seed, lo, hi), shape);

    private static TensorProto Int64s(string name, long[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Int64 };
        t.Dims.AddRange(dims);
        t.Int64Data.AddRange(values);
        return t;
    }

    /// <summary>Runs the model unoptimized and fully optimized (minus <paramref name="disabled"/>), asserts equal outputs, returns the optimized session.</summary>
    private static GraphSession CheckEquivalent(TestModel model, Dictionary<string, Value> feeds, int threads = 1, params string[] disabled)
    {
        var bytes = model.ToBytes();
        var reference = new GraphSession(new OnnxModelLoader().Load(bytes),
            new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None, IntraOpThreads = threads });
        var options = new SessionOptions { IntraOpThreads = threads };
        foreach (var d in disabled) options.DisabledPasses.Add(d);
        var optimized = new GraphSession(new OnnxModelLoader().Load(bytes), options);
        AssertClose(reference.Run(feeds), optimized.Run(feeds));
        return optimized;
    }

    private static void AssertClose(IReadOnlyList<KeyValuePair<string, Value?>> expected, IReadOnlyList<KeyValuePair<string, Value?>> actual)
    {
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
                Assert.True(Math.Abs(e[j] - a[j]) <= Tolerance * scale, $"output {i}[{j}]: expected {e[j]}, got {a[j]}");
            }
        }
    }

    private static int Fired(GraphSession s, string pass) => s.Optimization!.Firings.GetValueOrDefault(pass);

    private static Node Single(GraphSession s, string opType) => Assert.Single(s.ExecutionGraph.Nodes, n => n.OpType == opType);

    private static string[] OpTypes(GraphSession s) => s.ExecutionGraph.Nodes.Select(n => n.OpType).ToArray();

    // ---------------------------------------------------------------------------------------------------------------
    // LayerNormFusion

    /// <summary>PyTorch's layer_norm below opset 17: ReduceMean, Sub, Pow 2, ReduceMean, Add eps, Sqrt, Div, Mul, Add.</summary>
    private static TestModel TorchLayerNorm(int opset, long[] dims, long[] axes, float[] gamma, long[] gammaDims, bool pow = true,
        bool reciprocal = false, bool beta = true, float eps = 1e-5f)
    {
        var m = new TestModel(opset).Input("x", DataType.Float, dims).Initializer("eps", [eps]).Initializer("two", [2f])
            .Initializer("gamma", gamma, gammaDims);
        if (beta) m.Initializer("beta", Rand(gamma.Length, 12), gammaDims);
        string[] Reduce(string input) => opset >= 18 ? [input, "axes"] : [input];
        var axesAttr = opset >= 18 ? Array.Empty<AttributeProto>() : [Attr.Ints("axes", axes)];
        if (opset >= 18) m.RawInitializer(Int64s("axes", axes, axes.Length));
        m.Node("ReduceMean", Reduce("x"), ["mean"], "", axesAttr)
            .Node("Sub", ["x", "mean"], ["d"])
            .Node(pow ? "Pow" : "Mul", pow ? ["d", "two"] : ["d", "d"], ["sq"])
            .Node("ReduceMean", Reduce("sq"), ["var"], "", axesAttr)
            .Node("Add", ["var", "eps"], ["ve"])
            .Node("Sqrt", ["ve"], ["std"]);
        if (reciprocal) m.Node("Reciprocal", ["std"], ["inv"]).Node("Mul", ["inv", "d"], ["n"]);
        else m.Node("Div", ["d", "std"], ["n"]);
        m.Node("Mul", ["gamma", "n"], beta ? ["g"] : ["y"]);
        if (beta) m.Node("Add", ["g", "beta"], ["y"]);
        return m.Output("y", DataType.Float, dims);
    }

    [Theory]
    [InlineData(13, 1)]
    [InlineData(13, 2)]
    public void TorchLayerNormBecomesOneNodeBelowOpset17(int opset, int threads)
    {
        var s = CheckEquivalent(TorchLayerNorm(opset, [2, 5, 48], [-1], Rand(48, 3, 0.5f, 1.5f), [48]),
            new() { ["x"] = Tensor([2, 5, 48], 7, -3, 3) }, threads);
        Assert.Equal(1, Fired(s, "LayerNormFusion"));
        var ln = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(("ai.nativeinfer", "LayerNormalization"), (ln.Domain, ln.OpType));
        Assert.Equal(2, ln.Attributes.Int("axis"));
        Assert.Equal(1e-5f, ln.Attributes.Float("epsilon"));
        Assert.Equal(3, ln.Inputs.Length);
    }

    [Fact]
    public void LayerNormWithAxesInputMulSquareReciprocalAndNoBetaIsTheStandardOpFromOpset18()
    {
        var s = CheckEquivalent(TorchLayerNorm(18, [3, 4, 20], [2], Rand(20, 3, 0.5f, 1.5f), [1, 1, 20], pow: false, reciprocal: true, beta: false, eps: 1e-6f),
            new() { ["x"] = Tensor([3, 4, 20], 8, -2, 5) });
        Assert.Equal(1, Fired(s, "LayerNormFusion"));
        var ln = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(("", "LayerNormalization", 18), (ln.Domain, ln.OpType, ln.OpsetVersion));
        Assert.Equal(2, ln.Inputs.Length);
        Assert.Equal(1e-6f, ln.Attributes.Float("epsilon"));
    }

    [Fact]
    public void LayerNormOverTheLastTwoAxes()
    {
        var s = CheckEquivalent(TorchLayerNorm(13, [2, 3, 4, 5], [-2, -1], Rand(20, 3, 0.5f, 1.5f), [4, 5]),
            new() { ["x"] = Tensor([2, 3, 4, 5], 9, -2, 2) });
        Assert.Equal(1, Fired(s, "LayerNormFusion"));
        Assert.Equal(2, Single(s, "LayerNormalization").Attributes.Int("axis"));
    }

    [Fact]
    public void LayerNormOverANonTrailingAxisIsLeftAlone()
    {
        var s = CheckEquivalent(TorchLayerNorm(13, [2, 6, 5], [1], Rand(5, 3, 0.5f, 1.5f), [5]),
            new() { ["x"] = Tensor([2, 6, 5], 9, -2, 2) });
        Assert.Equal(0, Fired(s, "LayerNormFusion"));
        Assert.DoesNotContain("LayerNormalization", OpTypes(s));
    }

    [Fact]
    public void LayerNormWhoseCenteredValueHasAnotherReaderIsLeftAlone()
    {
        var model = TorchLayerNorm(13, [2, 5, 16], [-1], Rand(16, 3, 0.5f, 1.5f), [16]).Output("d", DataType.Float, 2, 5, 16);
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([2, 5, 16], 9, -2, 2) });
        Assert.Equal(0, Fired(s, "LayerNormFusion"));
    }

    [Fact]
    public void LayerNormWithAnEpsilonThatIsNoConstantIsLeftAlone()
    {
        // eps is an initializer that is also a graph input (IR 8): the caller may override it.
        var model = TorchLayerNorm(13, [2, 5, 16], [-1], Rand(16, 3, 0.5f, 1.5f), [16]);
        model.Proto.Graph.Input.Add(new ValueInfoProto
        {
            Name = "eps",
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = new TensorShapeProto() } },
        });
        model.Proto.Graph.Initializer.Single(t => t.Name == "eps").Dims.Clear();
        var s = CheckEquivalent(model, new() { ["x"] = Tensor([2, 5, 16], 9, -2, 2) });
        Assert.Equal(0, Fired(s, "LayerNormFusion"));
    }

    [Fact]
    public void LayerNormGammaOfAnotherShapeStaysAMul()
    {
        // gamma [2, 5, 1] varies along the rows, not the normalized axis: normalization fuses, the Mul and Add stay.
        var s = CheckEquivalent(TorchLayerNorm(13, [2, 5, 16], [-1], Rand(10, 3, 0.5f, 1.5f), [2, 5, 1]),
            new() { ["x"] = Tensor([2, 5, 16], 9, -2, 2) }, 1, "ElementwiseFusion");
        Assert.Equal(1, Fired(s, "LayerNormFusion"));
        Assert.Equal(["LayerNormalization", "Mul", "Add"], OpTypes(s));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // RmsNormFusion

    private static TestModel RmsNorm(int opset, bool reciprocal, bool gamma = true, float exponent = 2f, int n = 32)
    {
        var m = new TestModel(opset).Input("x", DataType.Float, 2, 3, n).Initializer("eps", [1e-6f]).Initializer("p", [exponent])
            .Initializer("w", Rand(n, 4, 0.5f, 1.5f), n);
        var axesAttr = opset >= 18 ? Array.Empty<AttributeProto>() : [Attr.Ints("axes", -1)];
        if (opset >= 18) m.RawInitializer(Int64s("axes", [-1], 1));
        m.Node("Pow", ["x", "p"], ["sq"])
            .Node("ReduceMean", opset >= 18 ? ["sq", "axes"] : ["sq"], ["var"], "", axesAttr)
            .Node("Add", ["eps", "var"], ["ve"])
            .Node("Sqrt", ["ve"], ["std"]);
        string normalized = gamma ? "n" : "y";
        if (reciprocal) m.Node("Reciprocal", ["std"], ["inv"]).Node("Mul", ["x", "inv"], [normalized]);
        else m.Node("Div", ["x", "std"], [normalized]);
        if (gamma) m.Node("Mul", ["w", "n"], ["y"]);
        return m.Output("y", DataType.Float, 2, 3, n);
    }

    [Theory]
    [InlineData(13, true, true)]
    [InlineData(18, false, true)]
    [InlineData(18, true, false)]
    public void RmsNormBecomesOneNode(int opset, bool reciprocal, bool gamma)
    {
        var s = CheckEquivalent(RmsNorm(opset, reciprocal, gamma), new() { ["x"] = Tensor([2, 3, 32], 5, -4, 4) });
        Assert.Equal(1, Fired(s, "RmsNormFusion"));
        var node = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(("ai.nativeinfer", "RMSNormalization"), (node.Domain, node.OpType));
        Assert.Equal(1e-6f, node.Attributes.Float("epsilon"));
    }

    [Fact]
    public void RmsNormIsTheStandardOpFromOpset23()
    {
        var s = CheckEquivalent(RmsNorm(23, true), new() { ["x"] = Tensor([2, 3, 32], 5, -4, 4) });
        var node = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(("", "RMSNormalization"), (node.Domain, node.OpType));
    }

    [Fact]
    public void MeanOfCubesIsNoRmsNorm()
    {
        var s = CheckEquivalent(RmsNorm(13, true, exponent: 3f), new() { ["x"] = Tensor([2, 3, 32], 5, 0.5f, 2) });
        Assert.Equal(0, Fired(s, "RmsNormFusion"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // GeluFusion

    /// <summary>x · 0.5 · (1 + erf(x / √2)) with the product associated as <paramref name="order"/>.</summary>
    private static TestModel ErfGelu(int opset, string order, bool mulBySqrtHalf = false, float half = 0.5f)
    {
        var m = new TestModel(opset).Input("x", DataType.Float, 4, 33)
            .Initializer("c", [mulBySqrtHalf ? 0.70710677f : 1.4142135f]).Initializer("one", [1f]).Initializer("half", [half])
            .Node(mulBySqrtHalf ? "Mul" : "Div", mulBySqrtHalf ? ["c", "x"] : ["x", "c"], ["a"])
            .Node("Erf", ["a"], ["e"])
            .Node("Add", ["one", "e"], ["p"]);
        switch (order)
        {
            case "(x*p)*h": m.Node("Mul", ["x", "p"], ["xp"]).Node("Mul", ["xp", "half"], ["y"]); break;
            case "(h*x)*p": m.Node("Mul", ["half", "x"], ["hx"]).Node("Mul", ["p", "hx"], ["y"]); break;
            case "x*(p*h)": m.Node("Mul", ["half", "p"], ["ph"]).Node("Mul", ["ph", "x"], ["y"]); break;
            default: throw new ArgumentException(order);
        }
        return m.Output("y", DataType.Float, 4, 33);
    }

    [Theory]
    [InlineData(13, "(x*p)*h", false)]
    [InlineData(13, "(h*x)*p", true)]
    [InlineData(20, "x*(p*h)", false)]
    public void ErfGeluBecomesGelu(int opset, string order, bool mulBySqrtHalf)
    {
        var s = CheckEquivalent(ErfGelu(opset, order, mulBySqrtHalf), new() { ["x"] = Tensor([4, 33], 3, -5, 5) });
        Assert.Equal(1, Fired(s, "GeluFusion"));
        var g = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal((opset >= 20 ? "" : "ai.nativeinfer", "Gelu"), (g.Domain, g.OpType));
        Assert.Equal("none", g.Attributes.String("approximate", "none"));
    }

    [Fact]
    public void ErfGeluWithAnotherConstantIsLeftAlone()
    {
        var s = CheckEquivalent(ErfGelu(13, "(x*p)*h", half: 0.6f), new() { ["x"] = Tensor([4, 33], 3, -5, 5) });
        Assert.Equal(0, Fired(s, "GeluFusion"));
        Assert.DoesNotContain("Gelu", OpTypes(s));
    }

    [Fact]
    public void ErfGeluWhoseErfIsAlsoAnOutputIsLeftAlone()
    {
        var s = CheckEquivalent(ErfGelu(13, "(x*p)*h").Output("e", DataType.Float, 4, 33), new() { ["x"] = Tensor([4, 33], 3, -5, 5) });
        Assert.Equal(0, Fired(s, "GeluFusion"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TanhGeluBecomesApproximateGelu(bool pow)
    {
        // 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))), as HF's gelu_new exports it.
        var m = new TestModel(17).Input("x", DataType.Float, 3, 40)
            .Initializer("three", [3f]).Initializer("k", [0.044715f]).Initializer("s", [0.7978845608f])
            .Initializer("one", [1f]).Initializer("half", [0.5f]);
        if (pow) m.Node("Pow", ["x", "three"], ["x3"]);
        else m.Node("Mul", ["x", "x"], ["x2"]).Node("Mul", ["x2", "x"], ["x3"]);
        m.Node("Mul", ["k", "x3"], ["kx3"]).Node("Add", ["x", "kx3"], ["inner"]).Node("Mul", ["inner", "s"], ["t_in"])
            .Node("Tanh", ["t_in"], ["t"]).Node("Add", ["t", "one"], ["p"])
            .Node("Mul", ["half", "x"], ["hx"]).Node("Mul", ["hx", "p"], ["y"])
            .Output("y", DataType.Float, 3, 40);
        var s = CheckEquivalent(m, new() { ["x"] = Tensor([3, 40], 3, -5, 5) });
        Assert.Equal(1, Fired(s, "GeluFusion"));
        var g = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(("ai.nativeinfer", "Gelu", "tanh"), (g.Domain, g.OpType, g.Attributes.String("approximate")));
    }

    [Fact]
    public void GeluAfterABiasAddStillJoinsAnElementwiseTree()
    {
        // MatMul → Add bias → GELU: the Gelu (an ai.nativeinfer twin at opset 13) joins the bias Add in one program.
        var m = ErfGelu(13, "(x*p)*h");
        m.Proto.Graph.Input.Clear();
        m.Input("u", DataType.Float, 4, 33).Initializer("bias", Rand(33, 2), 33);
        m.Proto.Graph.Node.Insert(0, new NodeProto { OpType = "Add", Name = "bias_add", Input = { "u", "bias" }, Output = { "x" } });
        var s = CheckEquivalent(m, new() { ["u"] = Tensor([4, 33], 3, -5, 5) });
        Assert.Equal(1, Fired(s, "GeluFusion"));
        var f = Single(s, "FusedElementwise");
        Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Contains("gelu", f.Attributes.String("expression"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // SiluFusion

    [Theory]
    [InlineData(13, false)]
    [InlineData(24, true)]
    public void XTimesSigmoidXBecomesSwish(int opset, bool sigmoidFirst)
    {
        var m = new TestModel(opset).Input("x", DataType.Float, 2, 3, 17)
            .Node("Sigmoid", ["x"], ["s"]).Node("Mul", sigmoidFirst ? ["s", "x"] : ["x", "s"], ["y"]).Output("y", DataType.Float, 2, 3, 17);
        var s = CheckEquivalent(m, new() { ["x"] = Tensor([2, 3, 17], 4, -8, 8) });
        Assert.Equal(1, Fired(s, "SiluFusion"));
        var n = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal((opset >= 24 ? "" : "ai.nativeinfer", "Swish"), (n.Domain, n.OpType));
        Assert.False(n.Attributes.Has("alpha"));
    }

    [Fact]
    public void ScaledSwishKeepsItsAlpha()
    {
        var m = new TestModel(13).Input("x", DataType.Float, 5, 19).Initializer("a", [1.702f])
            .Node("Mul", ["x", "a"], ["ax"]).Node("Sigmoid", ["ax"], ["s"]).Node("Mul", ["s", "x"], ["y"]).Output("y", DataType.Float, 5, 19);
        var s = CheckEquivalent(m, new() { ["x"] = Tensor([5, 19], 4, -8, 8) });
        Assert.Equal(1, Fired(s, "SiluFusion"));
        Assert.Equal(1.702f, Assert.Single(s.ExecutionGraph.Nodes).Attributes.Float("alpha"));
    }

    [Fact]
    public void SigmoidOfAnotherValueOrWithAnotherReaderIsNoSilu()
    {
        var m = new TestModel(13).Input("x", DataType.Float, 5, 19).Input("z", DataType.Float, 5, 19)
            .Node("Sigmoid", ["z"], ["s"]).Node("Mul", ["x", "s"], ["y"])              // x * sigmoid(z): a gate, not SiLU
            .Node("Sigmoid", ["x"], ["s2"]).Node("Mul", ["x", "s2"], ["y2"])          // SiLU, but s2 is also an output
            .Output("y", DataType.Float, 5, 19).Output("y2", DataType.Float, 5, 19).Output("s2", DataType.Float, 5, 19);
        var s = CheckEquivalent(m, new() { ["x"] = Tensor([5, 19], 4, -8, 8), ["z"] = Tensor([5, 19], 5, -8, 8) });
        Assert.Equal(0, Fired(s, "SiluFusion"));
    }

    [Fact]
    public void SiluTimesAGateIsOneElementwiseProgram()
    {
        // SwiGLU's silu(x) * z: the Swish joins the Mul in one FusedElementwise (sigmoid, mul, mul).
        var m = new TestModel(13).Input("x", DataType.Float, 4, 64).Input("z", DataType.Float, 4, 64)
            .Node("Sigmoid", ["x"], ["s"]).Node("Mul", ["x", "s"], ["silu"]).Node("Mul", ["silu", "z"], ["y"])
            .Output("y", DataType.Float, 4, 64);
        var s = CheckEquivalent(m, new() { ["x"] = Tensor([4, 64], 4, -8, 8), ["z"] = Tensor([4, 64], 5) });
        Assert.Equal(1, Fired(s, "SiluFusion"));
        var f = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal("FusedElementwise", f.OpType);
        Assert.Equal(3, f.Attributes.Ints("opcodes")!.Length);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // AttentionFusion

    /// <summary>BERT-style attention over Q, K, V [b, h, s, d] inputs: Transpose(K), MatMul, Div √d, Add mask, Softmax, MatMul.</summary>
    private static TestModel BertAttention(int opset, int b, int h, int sq, int skv, int d, long[]? maskDims, bool transposeK = true,
        bool div = true, long? softmaxAxis = -1)
    {
        var m = new TestModel(opset).Input("q", DataType.Float, b, h, sq, d)
            .Input("v", DataType.Float, b, h, skv, d + 3)
            .Initializer("c", [div ? MathF.Sqrt(d) : 1 / MathF.Sqrt(d)]);
        if (transposeK) m.Input("k", DataType.Float, b, h, skv, d).Node("Transpose", ["k"], ["kt"], "", Attr.Ints("perm", 0, 1, 3, 2));
        else m.Input("kt", DataType.Float, b, h, d, skv);
        m.Node("MatMul", ["q", "kt"], ["s"]).Node(div ? "Div" : "Mul", div ? ["s", "c"] : ["c", "s"], ["ss"]);
        string logits = "ss";
        if (maskDims is not null)
        {
            m.Input("mask", DataType.Float, maskDims).Node("Add", ["mask", "ss"], ["sm"]);
            logits = "sm";
        }
        var axis = softmaxAxis is { } a ? new[] { Attr.Int("axis", a) } : [];
        return m.Node("Softmax", [logits], ["p"], "", axis).Node("MatMul", ["p", "v"], ["y"]).Output("y", DataType.Float, b, h, sq, d + 3);
    }

    private static Dictionary<string, Value> AttentionFeeds(int b, int h, int sq, int skv, int d, long[]? maskDims, bool transposeK = true)
    {
        var feeds = new Dictionary<string, Value>
        {
            ["q"] = Tensor([b, h, sq, d], 1, -2, 2),
            ["v"] = Tensor([b, h, skv, d + 3], 3),
        };
        if (transposeK) feeds["k"] = Tensor([b, h, skv, d], 2, -2, 2);
        else feeds["kt"] = Tensor([b, h, d, skv], 2, -2, 2);
        if (maskDims is not null)
        {
            // A padding-style mask: 0 or -10000, the way BERT's extended attention mask is built.
            var shape = maskDims.Select(x => (int)x).ToArray();
            var mask = Tensor(shape, 4);
            var span = mask.Span;
            for (int i = 0; i < span.Length; i++) span[i] = span[i] > 0.6f ? -10000f : 0f;
            feeds["mask"] = mask;
        }
        return feeds;
    }

    [Theory]
    [InlineData(2, 3, 10, 10, 8, new long[] { 2, 1, 1, 10 }, 1)]
    [InlineData(1, 2, 100, 70, 16, new long[] { 1, 2, 100, 70 }, 2)]   // several row blocks, split over threads
    [InlineData(2, 2, 9, 12, 8, new long[] { 9, 12 }, 1)]                // rank-2 mask broadcast over batch and heads
    [InlineData(2, 2, 9, 12, 8, new long[] { 1, 1, 9, 1 }, 1)]           // one value per query row
    [InlineData(2, 4, 5, 7, 4, null, 2)]
    public void BertAttentionBecomesOneNode(int b, int h, int sq, int skv, int d, long[]? maskDims, int threads)
    {
        var s = CheckEquivalent(BertAttention(13, b, h, sq, skv, d, maskDims), AttentionFeeds(b, h, sq, skv, d, maskDims), threads);
        Assert.Equal(1, Fired(s, "AttentionFusion"));
        var n = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(("ai.nativeinfer", "FusedAttention"), (n.Domain, n.OpType));
        Assert.Equal(0, n.Attributes.Int("k_transposed"));
        Assert.Equal(1 / MathF.Sqrt(d), n.Attributes.Float("scale"), 6);
        Assert.Equal(maskDims is null ? 3 : 4, n.Inputs.Length);
    }

    [Fact]
    public void AttentionOnAnAlreadyTransposedKeyWithMulScaleAtOpset11()
    {
        var model = BertAttention(11, 2, 2, 6, 9, 8, [2, 1, 1, 9], transposeK: false, div: false, softmaxAxis: 3);
        var s = CheckEquivalent(model, AttentionFeeds(2, 2, 6, 9, 8, [2, 1, 1, 9], transposeK: false));
        Assert.Equal(1, Fired(s, "AttentionFusion"));
        var n = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal(1, n.Attributes.Int("k_transposed"));
    }

    [Fact]
    public void AttentionWithAMaskComputedInTheGraphFuses()
    {
        // BERT's extended mask (1 − m) · −10000 is itself a Mul by a constant, written first in the Add.
        var m = new TestModel(13).Input("q", DataType.Float, 2, 2, 5, 8).Input("k", DataType.Float, 2, 2, 5, 8)
            .Input("v", DataType.Float, 2, 2, 5, 8).Input("m", DataType.Float, 2, 1, 1, 5)
            .Initializer("c", [0.125f]).Initializer("one", [1f]).Initializer("neg", [-10000f])
            .Node("Sub", ["one", "m"], ["inv"]).Node("Mul", ["inv", "neg"], ["ext"])
            .Node("Transpose", ["k"], ["kt"], "", Attr.Ints("perm", 0, 1, 3, 2)).Node("MatMul", ["q", "kt"], ["s"])
            .Node("Mul", ["s", "c"], ["ss"]).Node("Add", ["ext", "ss"], ["sm"]).Node("Softmax", ["sm"], ["p"])
            .Node("MatMul", ["p", "v"], ["y"]).Output("y", DataType.Float, 2, 2, 5, 8);
        var mask = new Tensor<float>([1, 1, 1, 0, 0, 1, 1, 1, 1, 0], [2, 1, 1, 5]);
        var s = CheckEquivalent(m, new() { ["q"] = Tensor([2, 2, 5, 8], 1), ["k"] = Tensor([2, 2, 5, 8], 2), ["v"] = Tensor([2, 2, 5, 8], 3), ["m"] = mask });
        Assert.Equal(1, Fired(s, "AttentionFusion"));
        Assert.Equal(0.125f, Single(s, "FusedAttention").Attributes.Float("scale"));
    }

    [Theory]
    [InlineData(11, null)]   // opset 11's default axis 1 normalizes over heads·rows·keys
    [InlineData(13, 2L)]     // not the key axis
    public void SoftmaxOverAnotherAxisIsNoAttention(int opset, long? axis)
    {
        var s = CheckEquivalent(BertAttention(opset, 2, 2, 6, 6, 4, null, softmaxAxis: axis), AttentionFeeds(2, 2, 6, 6, 4, null));
        Assert.Equal(0, Fired(s, "AttentionFusion"));
        Assert.Contains("Softmax", OpTypes(s));
    }

    [Fact]
    public void AttentionWhoseProbabilitiesAreAlsoAnOutputIsLeftAlone()
    {
        var model = BertAttention(13, 1, 2, 5, 5, 4, null).Output("p", DataType.Float, 1, 2, 5, 5);
        var s = CheckEquivalent(model, AttentionFeeds(1, 2, 5, 5, 4, null));
        Assert.Equal(0, Fired(s, "AttentionFusion"));
    }

    [Fact]
    public void AttentionWithBroadcastKeysIsLeftAlone()
    {
        // K and V shared by all heads ([b, 1, s, d]): MatMul broadcasts, the fused kernel does not.
        var m = new TestModel(13).Input("q", DataType.Float, 1, 3, 4, 8).Input("k", DataType.Float, 1, 1, 6, 8).Input("v", DataType.Float, 1, 1, 6, 8)
            .Initializer("c", [0.35f])
            .Node("Transpose", ["k"], ["kt"], "", Attr.Ints("perm", 0, 1, 3, 2)).Node("MatMul", ["q", "kt"], ["s"])
            .Node("Mul", ["s", "c"], ["ss"]).Node("Softmax", ["ss"], ["p"]).Node("MatMul", ["p", "v"], ["y"]).Output("y", DataType.Float, 1, 3, 4, 8);
        var s = CheckEquivalent(m, new() { ["q"] = Tensor([1, 3, 4, 8], 1), ["k"] = Tensor([1, 1, 6, 8], 2), ["v"] = Tensor([1, 1, 6, 8], 3) });
        Assert.Equal(0, Fired(s, "AttentionFusion"));
    }

    [Fact]
    public void FusedAttentionRejectsMismatchedShapesClearly()
    {
        var m = new TestModel(13).Opset("ai.nativeinfer", 1)
            .Input("q", DataType.Float, 2, 4, 8).Input("k", DataType.Float, 2, 6, 7).Input("v", DataType.Float, 2, 6, 8)
            .Node("FusedAttention", ["q", "k", "v"], ["y"], "ai.nativeinfer").Output("y", DataType.Float, 2, 4, 8);
        var session = new GraphSession(new OnnxModelLoader().Load(m.ToBytes()), new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None });
        var e = Assert.ThrowsAny<Exception>(() => session.Run(new Dictionary<string, Value> { ["q"] = Tensor([2, 4, 8], 1), ["k"] = Tensor([2, 6, 7], 2), ["v"] = Tensor([2, 6, 8], 3) }));
        Assert.Contains("FusedAttention", e.ToString());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // A transformer encoder, as an opset-13 exporter writes it

    /// <summary>
    /// <paramref name="layers"/> post-LN-free (pre-LN) encoder blocks over x [b, s, e], h heads: LayerNorm as primitive
    /// ops, Q/K/V projections with bias, heads split by Reshape + Transpose, Kᵀ by a second Transpose, scaled masked
    /// softmax attention, output projection and residual; LayerNorm, MLP (4e) with erf GELU, residual.
    /// </summary>
    internal static TestModel Encoder(int layers, int b, int s, int e, int h)
    {
        int d = e / h, f = 4 * e;
        var m = new TestModel(13).Input("x", DataType.Float, b, s, e).Input("mask", DataType.Float, b, 1, 1, s)
            .Initializer("eps", [1e-5f]).Initializer("two", [2f]).Initializer("scale", [MathF.Sqrt(d)])
            .Initializer("sqrt2", [1.4142135f]).Initializer("one", [1f]).Initializer("half", [0.5f])
            .RawInitializer(Int64s("heads_shape", [b, s, h, d], 4)).RawInitializer(Int64s("merge_shape", [b, s, e], 3));
        int seed = 100;
        string x = "x";
        for (int l = 0; l < layers; l++)
        {
            string P(string n) => $"l{l}_{n}";
            string LayerNorm(string input, string tag)
            {
                m.Initializer(P(tag + "_g"), Rand(e, seed++, 0.5f, 1.5f), e).Initializer(P(tag + "_b"), Rand(e, seed++), e)
                    .Node("ReduceMean", [input], [P(tag + "_mean")], "", Attr.Ints("axes", -1))
                    .Node("Sub", [input, P(tag + "_mean")], [P(tag + "_d")])
                    .Node("Pow", [P(tag + "_d"), "two"], [P(tag + "_sq")])
                    .Node("ReduceMean", [P(tag + "_sq")], [P(tag + "_var")], "", Attr.Ints("axes", -1))
                    .Node("Add", [P(tag + "_var"), "eps"], [P(tag + "_ve")])
                    .Node("Sqrt", [P(tag + "_ve")], [P(tag + "_std")])
                    .Node("Div", [P(tag + "_d"), P(tag + "_std")], [P(tag + "_n")])
                    .Node("Mul", [P(tag + "_n"), P(tag + "_g")], [P(tag + "_gn")])
                    .Node("Add", [P(tag + "_gn"), P(tag + "_b")], [P(tag + "_out")]);
                return P(tag + "_out");
            }
            string Linear(string input, string tag, int inDim, int outDim)
            {
                float bound = 1f / MathF.Sqrt(inDim);
                m.Initializer(P(tag + "_w"), Rand(inDim * outDim, seed++, -bound, bound), inDim, outDim)
                    .Initializer(P(tag + "_bias"), Rand(outDim, seed++, -bound, bound), outDim)
                    .Node("MatMul", [input, P(tag + "_w")], [P(tag + "_mm")])
                    .Node("Add", [P(tag + "_mm"), P(tag + "_bias")], [P(tag)]);
                return P(tag);
            }
            string Heads(string input, string tag)
            {
                m.Node("Reshape", [input, "heads_shape"], [P(tag + "_r")])
                    .Node("Transpose", [P(tag + "_r")], [P(tag + "_h")], "", Attr.Ints("perm", 0, 2, 1, 3));
                return P(tag + "_h");
            }

            string ln1 = LayerNorm(x, "ln1");
            string q = Heads(Linear(ln1, "q", e, e), "q"), k = Heads(Linear(ln1, "k", e, e), "k"), v = Heads(Linear(ln1, "v", e, e), "v");
            m.Node("Transpose", [k], [P("kt")], "", Attr.Ints("perm", 0, 1, 3, 2))
                .Node("MatMul", [q, P("kt")], [P("scores")])
                .Node("Div", [P("scores"), "scale"], [P("scaled")])
                .Node("Add", [P("scaled"), "mask"], [P("masked")])
                .Node("Softmax", [P("masked")], [P("probs")], "", Attr.Int("axis", -1))
                .Node("MatMul", [P("probs"), v], [P("ctx")])
                .Node("Transpose", [P("ctx")], [P("ctx_t")], "", Attr.Ints("perm", 0, 2, 1, 3))
                .Node("Reshape", [P("ctx_t"), "merge_shape"], [P("ctx_m")]);
            string attnOut = Linear(P("ctx_m"), "o", e, e);
            m.Node("Add", [x, attnOut], [P("res1")]);
            string ln2 = LayerNorm(P("res1"), "ln2");
            string hidden = Linear(ln2, "fc1", e, f);
            m.Node("Div", [hidden, "sqrt2"], [P("g_a")]).Node("Erf", [P("g_a")], [P("g_e")]).Node("Add", [P("g_e"), "one"], [P("g_p")])
                .Node("Mul", [hidden, P("g_p")], [P("g_xp")]).Node("Mul", [P("g_xp"), "half"], [P("gelu")]);
            string mlp = Linear(P("gelu"), "fc2", f, e);
            m.Node("Add", [P("res1"), mlp], [P("out")]);
            x = P("out");
        }
        return m.Output(x, DataType.Float, b, s, e);
    }

    internal static Dictionary<string, Value> EncoderFeeds(int b, int s, int e)
    {
        var mask = new Tensor<float>([b, 1, 1, s]);
        for (int i = 0; i < b; i++)
            for (int j = s - i * 3; j < s; j++) mask[i * s + j] = -10000f;   // sample i has 3i padded positions
        return new() { ["x"] = Tensor([b, s, e], 11, -2, 2), ["mask"] = mask };
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TwoLayerEncoderFusesEveryBlock(int threads)
    {
        var s = CheckEquivalent(Encoder(2, 2, 16, 32, 4), EncoderFeeds(2, 16, 32), threads);
        var opt = s.Optimization!;
        Assert.Equal(4, Fired(s, "LayerNormFusion"));
        Assert.Equal(2, Fired(s, "GeluFusion"));
        Assert.Equal(2, Fired(s, "AttentionFusion"));
        Assert.Equal(2, s.ExecutionGraph.Nodes.Count(n => n.OpType == "FusedAttention"));
        Assert.Equal(4, s.ExecutionGraph.Nodes.Count(n => n.OpType == "LayerNormalization"));
        // Per layer 51 nodes: 2 LayerNorms of 9, 6 projections (MatMul + bias Add), 3 head splits (Reshape + Transpose),
        // attention 8 (Kᵀ Transpose, MatMul, Div, Add mask, Softmax, MatMul, Transpose, Reshape), GELU 5, 2 residual Adds.
        Assert.Equal(2 * 51, opt.NodesBefore);
        Assert.True(opt.NodesAfter <= 2 * 23, $"{opt.NodesBefore} nodes → {opt.NodesAfter}: {string.Join(", ", OpTypes(s))}");
    }

    [Fact]
    public void OptimizedEncoderExportsAsValidOnnxAndRunsTheSame()
    {
        var original = new OnnxModelLoader().Load(Encoder(1, 2, 8, 16, 2).ToBytes());
        var result = GraphOptimizer.Optimize(original, new SessionOptions());
        var bytes = OnnxModelWriter.ToBytes(result.Model);
        var proto = ModelProto.Parser.ParseFrom(bytes);
        Assert.Contains(proto.OpsetImport, o => o.Domain == "ai.nativeinfer" && o.Version == 1);
        Assert.Contains(proto.OpsetImport, o => o.Domain == "" && o.Version == 13);
        // Nothing standard above the model's opset: LayerNormalization (17) went to our domain.
        Assert.DoesNotContain(proto.Graph.Node, n => n.Domain == "" && n.OpType is "LayerNormalization" or "Gelu" or "RMSNormalization" or "Swish");
        Assert.Contains(proto.Graph.Node, n => n.Domain == "ai.nativeinfer" && n.OpType == "LayerNormalization");
        Assert.Contains(proto.Graph.Node, n => n.Domain == "ai.nativeinfer" && n.OpType == "FusedAttention");

        var feeds = EncoderFeeds(2, 8, 16);
        var reference = new GraphSession(original, new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None });
        var readBack = new GraphSession(new OnnxModelLoader().Load(bytes), new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None });
        AssertClose(reference.Run(feeds), readBack.Run(feeds));
    }

    [Fact]
    public void EachPassCanBeSwitchedOff()
    {
        string[] passes = ["LayerNormFusion", "RmsNormFusion", "GeluFusion", "SiluFusion", "AttentionFusion"];
        var s = CheckEquivalent(Encoder(1, 1, 8, 16, 2), EncoderFeeds(1, 8, 16), 1, passes);
        foreach (var p in passes) Assert.Equal(0, Fired(s, p));
        Assert.DoesNotContain(s.ExecutionGraph.Nodes, n => n.OpType is "LayerNormalization" or "FusedAttention" or "Gelu");
    }
}
