using NativeInfer.Errors;
using NativeInfer.Onnx.Export;
using NativeInfer.Onnx.Import;
using NativeInfer.Onnx.Proto;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Optimizer;

/// <summary>
/// NoOpElimination, CommonSubexpressionElimination, TransposeMatMulFolding, MatMulAddToGemm and GemmActivationFusion
/// on small graphs built in code: the optimized graph gives the outputs of the unoptimized one on random inputs, the
/// firings and node counts show the pass fired, and patterns it must not touch stay as they are.
/// Tolerance: 1e-4 of the largest output magnitude. The fused and unfused paths run the same SGEMM but may sum K in
/// another blocking and add bias and residual in another order (float32 rounding ~1e-6 relative for K ≤ 64), and
/// the epilogue's Sigmoid/Tanh/Gelu/SiLU use their own vector approximations (~1e-6 relative).
/// </summary>
public class MorePassTests
{
    private const double Tolerance = 1e-4;

    private static float[] Rand(int n, int seed, float scale = 1f)
    {
        var r = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(r.NextDouble() * 2 - 1) * scale;
        return a;
    }

    private static TestModel Int64s(TestModel m, string name, params long[] values) =>
        m.RawInitializer(OnnxTensorReader.Write(new Tensor<long>(values, [values.Length]), name));

    private static TestModel Scalar(TestModel m, string name, float v) =>
        m.RawInitializer(OnnxTensorReader.Write(new Tensor<float>([v], []), name));

    /// <summary>Runs the model unoptimized and with every pass but <paramref name="disabled"/>; returns the optimized session.</summary>
    private static GraphSession CheckEquivalent(TestModel model, Dictionary<string, Value> feeds, params string[] disabled)
    {
        var bytes = model.ToBytes();
        var reference = new GraphSession(new OnnxModelLoader().Load(bytes), new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None });
        var options = new SessionOptions();
        foreach (var d in disabled) options.DisabledPasses.Add(d);
        var optimized = new GraphSession(new OnnxModelLoader().Load(bytes), options);
        AssertSame(reference.Run(feeds), optimized.Run(feeds));
        return optimized;
    }

    private static void AssertSame(IReadOnlyList<KeyValuePair<string, Value?>> expected, IReadOnlyList<KeyValuePair<string, Value?>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            var et = (Tensor)expected[i].Value!;
            var at = (Tensor)actual[i].Value!;
            Assert.Equal(et.DataType, at.DataType);
            Assert.Equal(et.Shape, at.Shape);
            var e = et.ToDoubleArray();
            var a = at.ToDoubleArray();
            double scale = Math.Max(1e-6, e.Max(Math.Abs));
            for (int j = 0; j < e.Length; j++)
                Assert.True(Math.Abs(e[j] - a[j]) <= Tolerance * scale, $"output {i}[{j}]: expected {e[j]}, got {a[j]}");
        }
    }

    private static Dictionary<string, Value> Feeds(params (string Name, int[] Shape)[] inputs)
    {
        var feeds = new Dictionary<string, Value>();
        int seed = 11;
        foreach (var (name, shape) in inputs)
            feeds[name] = new Tensor<float>(Rand(shape.Aggregate(1, (a, b) => a * b), seed++), shape);
        return feeds;
    }

    private static int Count(GraphSession s, string opType) => s.ExecutionGraph.Nodes.Count(n => n.OpType == opType);

    private static int Fired(GraphSession s, string pass) => s.Optimization!.Firings.GetValueOrDefault(pass);

    // ---- NoOpElimination

    [Fact]
    public void NoOpsAreRemoved()
    {
        var m = new TestModel(17)
            .Input("x", DataType.Float, 2, 3, 4)
            .Node("Cast", ["x"], ["c"], "", Attr.Int("to", (int)DataType.Float))
            .Node("Transpose", ["c"], ["t"], "", Attr.Ints("perm", 0, 1, 2))
            .Node("Reshape", ["t", "shape"], ["r"])
            .Node("Expand", ["r", "shape"], ["e"])
            .Node("Slice", ["e", "starts", "ends", "axes"], ["s"])
            .Node("Pad", ["s", "pads"], ["p"])
            .Node("Mul", ["one", "p"], ["m1"])
            .Node("Add", ["m1", "zero"], ["a0"])
            .Node("Div", ["a0", "ones"], ["d1"])
            .Node("Sub", ["d1", "zero"], ["s0"])
            .Node("Relu", ["s0"], ["y"])
            .Output("y", DataType.Float, 2, 3, 4);
        Int64s(m, "shape", 2, 3, 4);
        Int64s(m, "starts", 0, 0);
        Int64s(m, "ends", long.MaxValue, 100);
        Int64s(m, "axes", 0, 2);
        Int64s(m, "pads", 0, 0, 0, 0, 0, 0);
        Scalar(m, "one", 1f);
        Scalar(m, "zero", 0f);
        m.Initializer("ones", [1f, 1f, 1f, 1f], 1, 4);
        var s = CheckEquivalent(m, Feeds(("x", [2, 3, 4])));
        Assert.True(s.ExecutionGraph.Nodes.Count == 1, string.Join("; ", s.Optimization!.Log) + " | " + string.Join("; ", s.ExecutionGraph.Nodes));
        Assert.Equal(10, Fired(s, "NoOpElimination"));
        Assert.Equal(1, Count(s, "Relu"));
    }

    [Fact]
    public void NoOpAtGraphOutputRenamesTheProducer()
    {
        var m = new TestModel(17)
            .Input("x", DataType.Float, 3, 5)
            .Node("Relu", ["x"], ["r"])
            .Node("Mul", ["r", "one"], ["y"])
            .Output("y", DataType.Float, 3, 5);
        Scalar(m, "one", 1f);
        var s = CheckEquivalent(m, Feeds(("x", [3, 5])));
        Assert.Equal(1, Fired(s, "NoOpElimination"));
        Assert.Equal("y", Assert.Single(s.ExecutionGraph.Nodes).Outputs[0]);
    }

    [Fact]
    public void OpsThatChangeValuesAreKept()
    {
        var m = new TestModel(17)
            .Input("x", DataType.Float, 2, 3)
            .Node("Cast", ["x"], ["c"], "", Attr.Int("to", (int)DataType.Double))      // another type
            .Node("Cast", ["c"], ["c2"], "", Attr.Int("to", (int)DataType.Float))
            .Node("Transpose", ["c2"], ["t"], "", Attr.Ints("perm", 1, 0))            // a real transpose
            .Node("Mul", ["t", "ones23"], ["m"])                                     // broadcasts [3,2] x [2,3,2] to [2,3,2]
            .Node("Slice", ["m", "starts", "ends", "axes", "steps"], ["sl"])         // full range, reversed
            .Node("Pad", ["sl", "pads"], ["p"])                                       // real padding
            .Node("Add", ["p", "half"], ["y"])                                        // adds 0.5, not 0
            .Output("y", DataType.Float, 2, 4, 2);
        m.Initializer("ones23", Enumerable.Repeat(1f, 12).ToArray(), 2, 3, 2);
        Int64s(m, "starts", -1);
        Int64s(m, "ends", long.MinValue);
        Int64s(m, "axes", 1);
        Int64s(m, "steps", -1);
        Int64s(m, "pads", 0, 0, 0, 0, 1, 0);
        Scalar(m, "half", 0.5f);
        var s = CheckEquivalent(m, Feeds(("x", [2, 3])), "ElementwiseFusion");
        Assert.Equal(0, Fired(s, "NoOpElimination"));
        Assert.Equal(2, Count(s, "Cast"));
        foreach (var op in new[] { "Transpose", "Mul", "Slice", "Pad", "Add" }) Assert.Equal(1, Count(s, op));
    }

    // ---- CommonSubexpressionElimination

    [Fact]
    public void DuplicateNodesAndConstantsMerge()
    {
        // Two Reshapes of x by equal (separate) shape constants, and two identical LeakyRelus of the result.
        var m = new TestModel(17)
            .Input("x", DataType.Float, 4, 6)
            .Node("Reshape", ["x", "s1"], ["r1"])
            .Node("Reshape", ["x", "s2"], ["r2"])
            .Node("LeakyRelu", ["r1"], ["l1"], "", Attr.Float("alpha", 0.2f))
            .Node("LeakyRelu", ["r2"], ["l2"], "", Attr.Float("alpha", 0.2f))
            .Node("Sub", ["l1", "l2"], ["d"])
            .Node("Mul", ["l1", "l2"], ["y"])
            .Output("d", DataType.Float, 3, 8)
            .Output("y", DataType.Float, 3, 8);
        Int64s(m, "s1", 3, 8);
        Int64s(m, "s2", 3, 8);
        var s = CheckEquivalent(m, Feeds(("x", [4, 6])), "ElementwiseFusion");
        Assert.Equal(3, Fired(s, "CommonSubexpressionElimination")); // the constant, the Reshape, the LeakyRelu
        Assert.Equal(1, Count(s, "Reshape"));
        Assert.Equal(1, Count(s, "LeakyRelu"));
        Assert.Equal(4, s.ExecutionGraph.Nodes.Count);
    }

    [Fact]
    public void NodesThatDifferAreNotMerged()
    {
        var m = new TestModel(17)
            .Input("x", DataType.Float, 4, 6)
            .Node("LeakyRelu", ["x"], ["l1"], "", Attr.Float("alpha", 0.2f))
            .Node("LeakyRelu", ["x"], ["l2"], "", Attr.Float("alpha", 0.3f))   // another attribute
            .Node("Sub", ["l1", "l2"], ["a"])
            .Node("Sub", ["l2", "l1"], ["b"])                                     // other input order
            .Node("Add", ["a", "b"], ["y"])
            .Output("y", DataType.Float, 4, 6);
        var s = CheckEquivalent(m, Feeds(("x", [4, 6])), "ElementwiseFusion");
        Assert.Equal(0, Fired(s, "CommonSubexpressionElimination"));
        Assert.Equal(5, s.ExecutionGraph.Nodes.Count);
    }

    [Fact]
    public void RandomOpsAreNotMerged()
    {
        var m = new TestModel(17)
            .Input("x", DataType.Float, 4, 6)
            .Node("RandomUniformLike", ["x"], ["u1"])
            .Node("RandomUniformLike", ["x"], ["u2"])
            .Node("Sub", ["u1", "u2"], ["y"])
            .Output("y", DataType.Float, 4, 6);
        var s = new GraphSession(new OnnxModelLoader().Load(m.ToBytes()), new SessionOptions());
        Assert.Equal(0, Fired(s, "CommonSubexpressionElimination"));
        Assert.Equal(2, Count(s, "RandomUniformLike"));
    }

    [Fact]
    public void DuplicateGraphOutputsAreKept()
    {
        var m = new TestModel(17)
            .Input("x", DataType.Float, 5)
            .Node("Relu", ["x"], ["y1"])
            .Node("Relu", ["x"], ["y2"])
            .Output("y1", DataType.Float, 5)
            .Output("y2", DataType.Float, 5);
        var s = CheckEquivalent(m, Feeds(("x", [5])));
        Assert.Equal(0, Fired(s, "CommonSubexpressionElimination"));
        Assert.Equal(2, Count(s, "Relu"));
    }

    // ---- TransposeMatMulFolding

    [Fact]
    public void TransposesFoldIntoMatMulAndGemm()
    {
        var m = new TestModel(17)
            .Input("a", DataType.Float, 8, 5)      // used as Aᵀ [5, 8]
            .Input("b", DataType.Float, 7, 8)      // used as Bᵀ [8, 7]
            .Input("c", DataType.Float, 6, 7)
            .Node("Transpose", ["a"], ["at"], "", Attr.Ints("perm", 1, 0))
            .Node("Transpose", ["b"], ["bt"])
            .Node("MatMul", ["at", "bt"], ["p"])                         // [5, 7]
            .Node("Transpose", ["c"], ["ct"], "", Attr.Ints("perm", 1, 0))
            .Node("Gemm", ["p", "ct", "bias"], ["y"], "", Attr.Float("alpha", 0.5f))   // [5, 7]·[7, 6]
            .Output("y", DataType.Float, 5, 6);
        m.Initializer("bias", Rand(6, 3), 6);
        var s = CheckEquivalent(m, Feeds(("a", [8, 5]), ("b", [7, 8]), ("c", [6, 7])));
        Assert.Equal(2, Fired(s, "TransposeMatMulFolding"));
        Assert.Equal(0, Count(s, "Transpose"));
        Assert.Equal(0, Count(s, "MatMul"));
        Assert.Equal(2, Count(s, "Gemm"));
        var gemms = s.ExecutionGraph.Nodes.Where(n => n.OpType == "Gemm").ToList();
        Assert.Contains(gemms, g => g.Attributes.Int("transA", 0) == 1 && g.Attributes.Int("transB", 0) == 1);
        Assert.Contains(gemms, g => g.Attributes.Int("transA", 0) == 0 && g.Attributes.Int("transB", 0) == 1);
    }

    [Fact]
    public void ConsecutiveTransposesCompose()
    {
        var m = new TestModel(17)
            .Input("x", DataType.Float, 2, 3, 4)
            .Node("Transpose", ["x"], ["t1"], "", Attr.Ints("perm", 1, 2, 0))
            .Node("Transpose", ["t1"], ["t2"], "", Attr.Ints("perm", 2, 0, 1))   // cancels t1
            .Node("Transpose", ["t2"], ["t3"], "", Attr.Ints("perm", 0, 2, 1))
            .Node("Transpose", ["t3"], ["y"], "", Attr.Ints("perm", 1, 0, 2))    // with t3: [2, 0, 1]
            .Output("y", DataType.Float, 4, 2, 3);
        var s = CheckEquivalent(m, Feeds(("x", [2, 3, 4])));
        Assert.True(Fired(s, "TransposeMatMulFolding") >= 2);
        var t = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal("Transpose", t.OpType);
        Assert.Equal(new long[] { 2, 0, 1 }, t.Attributes.Ints("perm"));
        Assert.Equal("x", t.Inputs[0]);
    }

    [Fact]
    public void BatchedTransposeIntoMatMulIsKept()
    {
        var m = new TestModel(17)
            .Input("a", DataType.Float, 2, 4, 3)
            .Input("b", DataType.Float, 2, 4, 5)
            .Node("Transpose", ["a"], ["at"], "", Attr.Ints("perm", 0, 2, 1))
            .Node("MatMul", ["at", "b"], ["y"])
            .Output("y", DataType.Float, 2, 3, 5);
        var s = CheckEquivalent(m, Feeds(("a", [2, 4, 3]), ("b", [2, 4, 5])));
        Assert.Equal(0, Fired(s, "TransposeMatMulFolding"));
        Assert.Equal(1, Count(s, "Transpose"));
        Assert.Equal(1, Count(s, "MatMul"));
    }

    // ---- MatMulAddToGemm

    [Theory]
    [InlineData(new long[] { 5 })]
    [InlineData(new long[] { 1, 5 })]
    [InlineData(new long[] { 4, 1 })]
    [InlineData(new long[] { 4, 5 })]
    public void MatMulAddBecomesGemm(long[] biasShape)
    {
        int biasLength = (int)biasShape.Aggregate(1L, (a, b) => a * b);
        var m = new TestModel(17)
            .Input("a", DataType.Float, 4, 8)
            .Initializer("w", Rand(40, 2), 8, 5)
            .Initializer("bias", Rand(biasLength, 3), biasShape)
            .Node("MatMul", ["a", "w"], ["p"])
            .Node("Add", ["bias", "p"], ["y"])
            .Output("y", DataType.Float, 4, 5);
        var s = CheckEquivalent(m, Feeds(("a", [4, 8])));
        Assert.Equal(1, Fired(s, "MatMulAddToGemm"));
        var g = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal("Gemm", g.OpType);
        Assert.Equal(["a", "w", "bias"], g.Inputs);
    }

    [Fact]
    public void MatMulAddWithGrowingBiasIsKept()
    {
        // The bias [2, 4, 5] broadcasts the product [4, 5] up to [2, 4, 5]: Gemm cannot express that.
        var m = new TestModel(17)
            .Input("a", DataType.Float, 4, 8)
            .Initializer("w", Rand(40, 2), 8, 5)
            .Initializer("bias", Rand(40, 3), 2, 4, 5)
            .Node("MatMul", ["a", "w"], ["p"])
            .Node("Add", ["p", "bias"], ["y"])
            .Output("y", DataType.Float, 2, 4, 5);
        var s = CheckEquivalent(m, Feeds(("a", [4, 8])));
        Assert.Equal(0, Fired(s, "MatMulAddToGemm"));
        Assert.Equal(0, Fired(s, "GemmActivationFusion"));
        Assert.Equal(1, Count(s, "MatMul"));
        Assert.Equal(1, Count(s, "Add"));
    }

    [Fact]
    public void MatMulAddWithBatchedAIsLeftToTheFusion()
    {
        var m = new TestModel(17)
            .Input("a", DataType.Float, 2, 3, 8)
            .Initializer("w", Rand(40, 2), 8, 5)
            .Initializer("bias", Rand(5, 3), 5)
            .Node("MatMul", ["a", "w"], ["p"])
            .Node("Add", ["p", "bias"], ["y"])
            .Output("y", DataType.Float, 2, 3, 5);
        var s = CheckEquivalent(m, Feeds(("a", [2, 3, 8])));
        Assert.Equal(0, Fired(s, "MatMulAddToGemm"));
        Assert.Equal(1, Fired(s, "GemmActivationFusion"));
        Assert.Equal("FusedGemm", Assert.Single(s.ExecutionGraph.Nodes).OpType);
        // Without the fusion the graph stays MatMul + Add.
        s = CheckEquivalent(m, Feeds(("a", [2, 3, 8])), "GemmActivationFusion");
        Assert.Equal(1, Count(s, "MatMul"));
        Assert.Equal(1, Count(s, "Add"));
    }

    // ---- GemmActivationFusion

    public static TheoryData<string, int> Activations => new()
    {
        { "Relu", 17 }, { "LeakyRelu", 17 }, { "Clip", 17 }, { "HardSigmoid", 17 }, { "Sigmoid", 17 }, { "Tanh", 17 },
        { "Gelu", 20 }, { "GeluTanh", 20 }, { "Silu", 17 }, { "Swish", 24 },
    };

    private static TestModel WithActivation(TestModel m, string kind, string x, string y)
    {
        switch (kind)
        {
            case "LeakyRelu": return m.Node("LeakyRelu", [x], [y], "", Attr.Float("alpha", 0.15f));
            case "HardSigmoid": return m.Node("HardSigmoid", [x], [y], "", Attr.Float("alpha", 0.3f), Attr.Float("beta", 0.4f));
            case "Clip":
                Scalar(m, "lo", -0.25f);
                Scalar(m, "hi", 0.5f);
                return m.Node("Clip", [x, "lo", "hi"], [y]);
            case "GeluTanh": return m.Node("Gelu", [x], [y], "", Attr.Str("approximate", "tanh"));
            case "Silu": return m.Node("Sigmoid", [x], [x + "_sig"]).Node("Mul", [x + "_sig", x], [y]);
            default: return m.Node(kind, [x], [y]);
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void MatMulBiasResidualActivationFuse(string activation, int opset)
    {
        var m = new TestModel(opset)
            .Input("a", DataType.Float, 6, 16)
            .Input("res", DataType.Float, 6, 8)
            .Initializer("w", Rand(128, 2, 0.5f), 16, 8)
            .Initializer("bias", Rand(8, 3), 8)
            .Node("MatMul", ["a", "w"], ["p"])
            .Node("Add", ["p", "bias"], ["pb"])
            .Node("Add", ["res", "pb"], ["sum"])
            .Output("y", DataType.Float, 6, 8);
        WithActivation(m, activation, "sum", "y");
        var s = CheckEquivalent(m, Feeds(("a", [6, 16]), ("res", [6, 8])));
        Assert.Equal(1, Fired(s, "GemmActivationFusion"));
        var f = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal("FusedGemm", f.OpType);
        Assert.Equal("ai.nativeinfer", f.Domain);
        Assert.Equal(["a", "w", "bias", "res"], f.Inputs);
        string expected = activation switch { "Gelu" => "GeluErf", "Swish" => "Silu", _ => activation };
        Assert.Equal(expected, f.Attributes.String("activation"));
    }

    [Fact]
    public void BatchedMatMulBiasGeluFuses()
    {
        var m = new TestModel(20)
            .Input("a", DataType.Float, 2, 5, 16)
            .Initializer("w", Rand(16 * 24, 2, 0.5f), 16, 24)
            .Initializer("bias", Rand(24, 3), 24)
            .Node("MatMul", ["a", "w"], ["p"])
            .Node("Add", ["p", "bias"], ["pb"])
            .Node("Gelu", ["pb"], ["y"])
            .Output("y", DataType.Float, 2, 5, 24);
        var s = CheckEquivalent(m, Feeds(("a", [2, 5, 16])));
        Assert.Equal("FusedGemm", Assert.Single(s.ExecutionGraph.Nodes).OpType);
    }

    [Fact]
    public void GemmWithTransBAndActivationFuses()
    {
        var m = new TestModel(17)
            .Input("a", DataType.Float, 7, 12)
            .Initializer("w", Rand(9 * 12, 2, 0.5f), 9, 12)
            .Initializer("c", Rand(9, 3), 9)
            .Node("Gemm", ["a", "w", "c"], ["p"], "", Attr.Int("transB", 1), Attr.Float("alpha", 0.7f), Attr.Float("beta", 1.5f))
            .Node("Tanh", ["p"], ["y"])
            .Output("y", DataType.Float, 7, 9);
        var s = CheckEquivalent(m, Feeds(("a", [7, 12])));
        var f = Assert.Single(s.ExecutionGraph.Nodes);
        Assert.Equal("FusedGemm", f.OpType);
        Assert.Equal(1, f.Attributes.Int("transB"));
        Assert.Equal(1.5f, f.Attributes.Float("beta"));
    }

    [Fact]
    public void ProductReadTwiceIsNotFused()
    {
        // p also feeds a graph output, and q is read by two nodes that are no SiLU: nothing may be fused.
        var m = new TestModel(17)
            .Input("a", DataType.Float, 4, 8)
            .Input("b", DataType.Float, 4, 8)
            .Initializer("w", Rand(40, 2), 8, 5)
            .Node("MatMul", ["a", "w"], ["p"])
            .Node("Relu", ["p"], ["y"])
            .Node("MatMul", ["b", "w"], ["q"])
            .Node("Sigmoid", ["q"], ["qs"])
            .Node("Add", ["q", "qs"], ["z"])
            .Output("p", DataType.Float, 4, 5)
            .Output("y", DataType.Float, 4, 5)
            .Output("z", DataType.Float, 4, 5);
        var s = CheckEquivalent(m, Feeds(("a", [4, 8]), ("b", [4, 8])), "ElementwiseFusion");
        Assert.Equal(0, Fired(s, "GemmActivationFusion"));
        Assert.Equal(2, Count(s, "MatMul"));
        Assert.Equal(1, Count(s, "Relu"));
    }

    [Fact]
    public void NonFloatMatMulIsNotFused()
    {
        var m = new TestModel(17)
            .Input("a", DataType.Double, 4, 8)
            .Input("w", DataType.Double, 8, 5)
            .Node("MatMul", ["a", "w"], ["p"])
            .Node("Relu", ["p"], ["y"])
            .Output("y", DataType.Double, 4, 5);
        var r = new Random(5);
        var feeds = new Dictionary<string, Value>
        {
            ["a"] = new Tensor<double>(Enumerable.Range(0, 32).Select(_ => r.NextDouble() - 0.5).ToArray(), [4, 8]),
            ["w"] = new Tensor<double>(Enumerable.Range(0, 40).Select(_ => r.NextDouble() - 0.5).ToArray(), [8, 5]),
        };
        var s = CheckEquivalent(m, feeds);
        Assert.Equal(0, Fired(s, "GemmActivationFusion"));
        Assert.Equal(1, Count(s, "MatMul"));
    }

    [Fact]
    public void FusedGemmExportsAsAValidNodeAndRunsAfterReload()
    {
        var m = new TestModel(17)
            .Input("a", DataType.Float, 3, 2, 10)
            .Input("res", DataType.Float, 3, 2, 6)
            .Initializer("w", Rand(60, 2, 0.5f), 10, 6)
            .Initializer("bias", Rand(6, 3), 6)
            .Node("MatMul", ["a", "w"], ["p"])
            .Node("Add", ["p", "bias"], ["pb"])
            .Node("Add", ["pb", "res"], ["sum"])
            .Node("LeakyRelu", ["sum"], ["y"], "", Attr.Float("alpha", 0.1f))
            .Output("y", DataType.Float, 3, 2, 6);
        var original = new OnnxModelLoader().Load(m.ToBytes());
        var result = NativeInfer.Optimizer.GraphOptimizer.Optimize(original, new SessionOptions());
        var bytes = OnnxModelWriter.ToBytes(result.Model);
        var proto = ModelProto.Parser.ParseFrom(bytes);
        Assert.Contains(proto.OpsetImport, o => o.Domain == "ai.nativeinfer" && o.Version == 1);
        var node = Assert.Single(proto.Graph.Node);
        Assert.Equal("FusedGemm", node.OpType);
        Assert.Equal("ai.nativeinfer", node.Domain);
        var feeds = Feeds(("a", [3, 2, 10]), ("res", [3, 2, 6]));
        var reference = new GraphSession(original, new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None });
        var reloaded = new GraphSession(new OnnxModelLoader().Load(bytes), new SessionOptions { OptimizationLevel = GraphOptimizationLevel.None });
        AssertSame(reference.Run(feeds), reloaded.Run(feeds));
    }

    [Fact]
    public void FusedGemmRejectsABadResidualShape()
    {
        var m = new TestModel(17)
            .Opset("ai.nativeinfer", 1)
            .Input("a", DataType.Float, 4, 8)
            .Input("w", DataType.Float, 8, 5)
            .Input("res", DataType.Float, 4, 4)
            .Node("FusedGemm", ["a", "w", "", "res"], ["y"], "ai.nativeinfer", Attr.Str("activation", "Relu"))
            .Output("y", DataType.Float, 4, 5);
        var s = new GraphSession(new OnnxModelLoader().Load(m.ToBytes()), new SessionOptions());
        var e = Assert.Throws<NodeExecutionException>(() => s.Run(Feeds(("a", [4, 8]), ("w", [8, 5]), ("res", [4, 4]))));
        Assert.IsType<ShapeMismatchException>(e.InnerException);
        Assert.Contains("residual", e.InnerException!.Message);
    }
}
