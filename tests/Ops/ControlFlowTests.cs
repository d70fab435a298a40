using Google.Protobuf;
using NativeInfer.Errors;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// Loop, If and Scan with hand-computed expectations: trip counts 0/1/4, early exit, outer-scope reads, bad conditions,
/// loop-carried sequences, and one session shared by several threads.
/// </summary>
public class ControlFlowTests
{
    // ---- Loop: acc starts at 10, each iteration adds the iteration number and emits the new acc as a scan output.

    /// <summary>
    /// Main graph: Loop(M, cond, acc0) → (acc, accs). The body's cond output is <paramref name="bodyCond"/>: "pass"
    /// forwards the incoming cond, "lt2" is i &lt; 2. M and cond are left out of the node when the flags say so.
    /// </summary>
    private static ModelProto AccumulatingLoop(string bodyCond = "pass", bool withM = true, bool withCond = true)
    {
        var body = new SubgraphBuilder("body")
            .Input("i", DataType.Int64, []).Input("c_in", DataType.Bool, []).Input("acc_in", DataType.Int64, [])
            .Node("Add", ["acc_in", "i"], ["acc_out"])
            .Node("Identity", ["acc_out"], ["scan_out"]);
        if (bodyCond == "pass") body.Node("Identity", ["c_in"], ["c_out"]);
        else body.Initializer("two", Tensor<long>.Scalar(2)).Node("Less", ["i", "two"], ["c_out"]);
        body.Output("c_out", DataType.Bool, []).Output("acc_out", DataType.Int64, []).Output("scan_out", DataType.Int64, []);

        var main = new SubgraphBuilder("main");
        if (withM) main.Input("M", DataType.Int64, []);
        if (withCond) main.Input("cond", DataType.Bool, []);
        main.Input("acc0", DataType.Int64, [])
            .Node("Loop", [withM ? "M" : "", withCond ? "cond" : "", "acc0"], ["acc", "accs"], Attr.Graph("body", body.Graph))
            .Output("acc", DataType.Int64, []).Output("accs", DataType.Int64);
        return main.ToModel(13);
    }

    private static Dictionary<string, Value> LoopFeeds(long? m, bool? cond, long acc0 = 10)
    {
        var feeds = new Dictionary<string, Value> { ["acc0"] = Tensor<long>.Scalar(acc0) };
        if (m is { } mv) feeds["M"] = Tensor<long>.Scalar(mv);
        if (cond is { } c) feeds["cond"] = Tensor<bool>.Scalar(c);
        return feeds;
    }

    [Theory]
    [InlineData(0L, 10L, new long[0])]
    [InlineData(1L, 10L, new long[] { 10 })]
    [InlineData(4L, 16L, new long[] { 10, 11, 13, 16 })]
    public void LoopTripCounts(long m, long acc, long[] accs)
    {
        var r = RunModel(AccumulatingLoop(), LoopFeeds(m, true));
        TensorAssert.Equal(new[] { acc }, [], r[0]);
        TensorAssert.Equal(accs, [accs.Length], r[1]);
    }

    [Fact]
    public void LoopFalseConditionRunsNoIteration()
    {
        var r = RunModel(AccumulatingLoop(), LoopFeeds(5, false));
        TensorAssert.Equal(new[] { 10L }, [], r[0]);
        Assert.Equal(0, r[1]!.AsTensor().Length);
        Assert.Equal(0, r[1]!.AsTensor().Shape[0]);
    }

    [Fact]
    public void LoopBodyConditionEndsTheLoop()
    {
        // i = 0, 1, 2 run (the iteration that computes cond = false still counts): acc = 10 + 0 + 1 + 2.
        var r = RunModel(AccumulatingLoop("lt2"), LoopFeeds(100, true));
        TensorAssert.Equal(new[] { 13L }, [], r[0]);
        TensorAssert.Equal(new[] { 10L, 11, 13 }, [3], r[1]);
    }

    [Fact]
    public void LoopWithoutTripCount()
    {
        var r = RunModel(AccumulatingLoop("lt2", withM: false), LoopFeeds(null, true));
        TensorAssert.Equal(new[] { 10L, 11, 13 }, [3], r[1]);
    }

    [Fact]
    public void LoopWithoutCondition()
    {
        var r = RunModel(AccumulatingLoop(withCond: false), LoopFeeds(3, null));
        TensorAssert.Equal(new[] { 13L }, [], r[0]);
        TensorAssert.Equal(new[] { 10L, 11, 13 }, [3], r[1]);
    }

    [Fact]
    public void LoopConditionMustBeABoolScalar()
    {
        var model = AccumulatingLoop();
        model.Graph.Input[1].Type = TensorType(DataType.Bool); // unshaped so the session accepts a [2] tensor
        var feeds = LoopFeeds(3, null);
        feeds["cond"] = new Tensor<bool>([true, true], [2]);
        using var s = new InferenceSession(model.ToByteArray());
        var e = Assert.Throws<NodeExecutionException>(() => s.Run(feeds));
        Assert.Contains("Loop", e.Message);
        Assert.Contains("opset 13", e.Message);
        Assert.Contains("main_Loop_0", e.Message);
    }

    [Fact]
    public void LoopConditionOfWrongTypeFails()
    {
        var model = AccumulatingLoop();
        model.Graph.Input[1].Type = TensorType(DataType.Float, []);
        var feeds = LoopFeeds(3, null);
        feeds["cond"] = Tensor<float>.Scalar(1);
        using var s = new InferenceSession(model.ToByteArray());
        var e = Assert.Throws<NodeExecutionException>(() => s.Run(feeds));
        Assert.Contains("main_Loop_0", e.Message);
    }

    [Fact]
    public void LoopBodyConditionMustBeABoolScalar()
    {
        // The body returns a [2] bool as its condition.
        var body = new SubgraphBuilder("body")
            .Input("i", DataType.Int64, []).Input("c_in", DataType.Bool, [])
            .Initializer("two_true", new Tensor<bool>([true, true], [2]))
            .Node("Identity", ["two_true"], ["c_out"])
            .Output("c_out");
        var main = new SubgraphBuilder("main").Input("M", DataType.Int64, [])
            .Node("Loop", ["M", ""], [], Attr.Graph("body", body.Graph));
        main.Node("Identity", ["M"], ["y"]).Output("y");
        // The Loop has no outputs, so dead-node elimination would (rightly) remove it: run the graph unoptimized.
        using var s = new InferenceSession(main.ToModel(13).ToByteArray(),
            new NativeInfer.Session.SessionOptions { OptimizationLevel = NativeInfer.Session.GraphOptimizationLevel.None });
        var e = Assert.Throws<NodeExecutionException>(() => s.Run(new Dictionary<string, Value> { ["M"] = Tensor<long>.Scalar(2) }));
        Assert.Contains("main_Loop_0", e.Message);
    }

    [Fact]
    public void LoopScanOutputsOfChangingShapeFail()
    {
        // scan output = Range(0, i): shape [i] differs per iteration, so the outputs cannot be stacked.
        var body = new SubgraphBuilder("body")
            .Input("i", DataType.Int64, []).Input("c_in", DataType.Bool, [])
            .Initializer("zero", Tensor<long>.Scalar(0)).Initializer("one", Tensor<long>.Scalar(1))
            .Node("Identity", ["c_in"], ["c_out"])
            .Node("Range", ["zero", "i", "one"], ["r"])
            .Output("c_out", DataType.Bool, []).Output("r", DataType.Int64);
        var main = new SubgraphBuilder("main").Input("M", DataType.Int64, [])
            .Node("Loop", ["M", ""], ["rs"], Attr.Graph("body", body.Graph)).Output("rs");
        using var s = new InferenceSession(main.ToModel(13).ToByteArray());
        var e = Assert.Throws<NodeExecutionException>(() => s.Run(new Dictionary<string, Value> { ["M"] = Tensor<long>.Scalar(3) }));
        Assert.Contains("main_Loop_0", e.Message);
    }

    [Fact]
    public void LoopReadsOuterScopeAndCarriesSequence()
    {
        // Body: seq_out = SequenceInsert(seq_in, i * step) where step is a main-graph input.
        var body = new SubgraphBuilder("body")
            .Input("i", DataType.Int64, []).Input("c_in", DataType.Bool, []).SequenceInput("seq_in", DataType.Int64)
            .Node("Identity", ["c_in"], ["c_out"])
            .Node("Mul", ["i", "step"], ["v"])
            .Node("SequenceInsert", ["seq_in", "v"], ["seq_out"])
            .Output("c_out", DataType.Bool, []).Output("seq_out");
        var main = new SubgraphBuilder("main").Input("M", DataType.Int64, []).Input("step", DataType.Int64, [])
            .Node("SequenceEmpty", [], ["empty"], Attr.Int("dtype", (int)DataType.Int64))
            .Node("Loop", ["M", "", "empty"], ["seq"], Attr.Graph("body", body.Graph))
            .Node("ConcatFromSequence", ["seq"], ["y"], Attr.Int("axis", 0), Attr.Int("new_axis", 1))
            .Output("y");
        var r = RunModel(main.ToModel(13), new Dictionary<string, Value>
        {
            ["M"] = Tensor<long>.Scalar(4),
            ["step"] = Tensor<long>.Scalar(5),
        });
        TensorAssert.Equal(new[] { 0L, 5, 10, 15 }, [4], r[0]);
    }

    [Fact]
    public void SameLoopSessionFromEightThreads()
    {
        using var session = new InferenceSession(AccumulatingLoop().ToByteArray());
        // For trip count m: acc = 10 + m(m-1)/2 and accs[k] = 10 + k(k+1)/2.
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int rep = 0; rep < 40; rep++)
            {
                long m = (t * 7 + rep) % 23;
                var r = session.Run(LoopFeeds(m, true));
                long acc = r[0].Value!.AsTensor().As<long>()[0];
                var accs = r[1].Value!.AsTensor().As<long>().ToArray();
                var expected = Enumerable.Range(0, (int)m).Select(k => 10L + k * (k + 1) / 2).ToArray();
                if (acc != 10 + m * (m - 1) / 2 || !accs.SequenceEqual(expected))
                    failures.Add($"thread {t} rep {rep} m {m}: acc {acc}, accs [{string.Join(",", accs)}]");
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        Assert.Empty(failures);
    }

    // ---- If

    private static ModelProto IfModel(bool shapedCond = true)
    {
        // then: x + a; else: x * b — x, a and b live in the main graph.
        var thenG = new SubgraphBuilder("then").Node("Add", ["x", "a"], ["t"]).Output("t", DataType.Float);
        var elseG = new SubgraphBuilder("else").Node("Mul", ["x", "b"], ["e"]).Output("e", DataType.Float);
        var main = new SubgraphBuilder("main")
            .Input("c", DataType.Bool, shapedCond ? [] : null).Input("x", DataType.Float)
            .Initializer("a", new Tensor<float>([10, 20], [2])).Initializer("b", Tensor<float>.Scalar(3))
            .Node("If", ["c"], ["y"], Attr.Graph("then_branch", thenG.Graph), Attr.Graph("else_branch", elseG.Graph))
            .Output("y");
        return main.ToModel(13);
    }

    [Theory]
    [InlineData(true, new[] { 11f, 22 })]
    [InlineData(false, new[] { 3f, 6 })]
    public void IfBranchesReadOuterScope(bool cond, float[] expected)
    {
        var r = RunModel(IfModel(), new Dictionary<string, Value> { ["c"] = Tensor<bool>.Scalar(cond), ["x"] = new Tensor<float>([1, 2], [2]) });
        TensorAssert.Equal(expected, [2], r[0]);
    }

    [Fact]
    public void IfAcceptsSingleElementCondition()
    {
        // The spec asks for a tensor holding a single element, not necessarily rank 0.
        var r = RunModel(IfModel(shapedCond: false), new Dictionary<string, Value>
        {
            ["c"] = new Tensor<bool>([false], [1, 1]),
            ["x"] = new Tensor<float>([1, 2], [2]),
        });
        TensorAssert.Equal([3f, 6], [2], r[0]);
    }

    [Fact]
    public void IfConditionWithSeveralElementsFails()
    {
        using var s = new InferenceSession(IfModel(shapedCond: false).ToByteArray());
        var e = Assert.Throws<NodeExecutionException>(() => s.Run(new Dictionary<string, Value>
        {
            ["c"] = new Tensor<bool>([true, false], [2]),
            ["x"] = new Tensor<float>([1, 2], [2]),
        }));
        Assert.Contains("main_If_0", e.Message);
        Assert.Contains("If", e.Message);
        Assert.Contains("opset 13", e.Message);
    }

    [Fact]
    public void IfBranchesMayYieldDifferentShapes()
    {
        var thenG = new SubgraphBuilder("then").Initializer("k", new Tensor<long>([1, 2, 3], [3])).Node("Identity", ["k"], ["t"]).Output("t");
        var elseG = new SubgraphBuilder("else").Initializer("k", new Tensor<long>([7], [1, 1])).Node("Identity", ["k"], ["e"]).Output("e");
        var model = new SubgraphBuilder("main").Input("c", DataType.Bool, [])
            .Node("If", ["c"], ["y"], Attr.Graph("then_branch", thenG.Graph), Attr.Graph("else_branch", elseG.Graph))
            .Output("y").ToModel(13);
        TensorAssert.Equal(new[] { 1L, 2, 3 }, [3], RunModel(model, new Dictionary<string, Value> { ["c"] = Tensor<bool>.Scalar(true) })[0]);
        TensorAssert.Equal(new[] { 7L }, [1, 1], RunModel(model, new Dictionary<string, Value> { ["c"] = Tensor<bool>.Scalar(false) })[0]);
    }

    [Fact]
    public void IfInsideLoopSeesBothScopes()
    {
        // Each iteration: acc += (i is even ? i * k : -1), where k is a main-graph input read two scopes down.
        var thenG = new SubgraphBuilder("then").Node("Mul", ["i", "k"], ["t"]).Output("t", DataType.Int64);
        var elseG = new SubgraphBuilder("else").Initializer("m1", Tensor<long>.Scalar(-1)).Node("Identity", ["m1"], ["e"]).Output("e", DataType.Int64);
        var body = new SubgraphBuilder("body")
            .Input("i", DataType.Int64, []).Input("c_in", DataType.Bool, []).Input("acc_in", DataType.Int64, [])
            .Initializer("two", Tensor<long>.Scalar(2)).Initializer("zero", Tensor<long>.Scalar(0))
            .Node("Mod", ["i", "two"], ["r"])
            .Node("Equal", ["r", "zero"], ["even"])
            .Node("If", ["even"], ["d"], Attr.Graph("then_branch", thenG.Graph), Attr.Graph("else_branch", elseG.Graph))
            .Node("Add", ["acc_in", "d"], ["acc_out"])
            .Node("Identity", ["c_in"], ["c_out"])
            .Output("c_out", DataType.Bool, []).Output("acc_out", DataType.Int64, []);
        var model = new SubgraphBuilder("main").Input("M", DataType.Int64, []).Input("k", DataType.Int64, []).Input("acc0", DataType.Int64, [])
            .Node("Loop", ["M", "", "acc0"], ["acc"], Attr.Graph("body", body.Graph)).Output("acc").ToModel(13);
        // M = 5, k = 3: i = 0..4 adds 0, -1, 6, -1, 12 → 16.
        var r = RunModel(model, new Dictionary<string, Value>
        {
            ["M"] = Tensor<long>.Scalar(5), ["k"] = Tensor<long>.Scalar(3), ["acc0"] = Tensor<long>.Scalar(0),
        });
        TensorAssert.Equal(new[] { 16L }, [], r[0]);
    }

    // ---- Scan (opset 9+): running sum over the scan axis.

    private static ModelProto CumulativeScan(params AttributeProto[] extra)
    {
        var body = new SubgraphBuilder("body")
            .Input("s_in", DataType.Float).Input("x_t", DataType.Float)
            .Node("Add", ["s_in", "x_t"], ["s_out"])
            .Node("Identity", ["s_out"], ["y_t"])
            .Output("s_out", DataType.Float).Output("y_t", DataType.Float);
        var attrs = new List<AttributeProto> { Attr.Graph("body", body.Graph), Attr.Int("num_scan_inputs", 1) };
        attrs.AddRange(extra);
        return new SubgraphBuilder("main").Input("s0", DataType.Float).Input("x", DataType.Float)
            .Node("Scan", ["s0", "x"], ["s", "y"], [.. attrs])
            .Output("s").Output("y").ToModel(16);
    }

    private static Value?[] RunScan(ModelProto model, Tensor<float> s0, Tensor<float> x) =>
        RunModel(model, new Dictionary<string, Value> { ["s0"] = s0, ["x"] = x });

    private static readonly Tensor<float> Rows = new([1, 2, 3, 4, 5, 6], [3, 2]);

    [Fact]
    public void ScanForward()
    {
        var r = RunScan(CumulativeScan(), new Tensor<float>([0, 100], [2]), Rows);
        TensorAssert.Equal([9f, 112], [2], r[0]);
        TensorAssert.Equal([1f, 102, 4, 106, 9, 112], [3, 2], r[1]);
    }

    [Fact]
    public void ScanReverseInput()
    {
        // Rows visited 2, 1, 0; outputs stacked in visiting order.
        var r = RunScan(CumulativeScan(Attr.Ints("scan_input_directions", 1)), new Tensor<float>([0, 0], [2]), Rows);
        TensorAssert.Equal([9f, 12], [2], r[0]);
        TensorAssert.Equal([5f, 6, 8, 10, 9, 12], [3, 2], r[1]);
    }

    [Fact]
    public void ScanReverseOutput()
    {
        var r = RunScan(CumulativeScan(Attr.Ints("scan_output_directions", 1)), new Tensor<float>([0, 0], [2]), Rows);
        TensorAssert.Equal([9f, 12, 4, 6, 1, 2], [3, 2], r[1]);
    }

    [Fact]
    public void ScanOverAxisOneIntoOutputAxisOne()
    {
        // x [2,3] scanned along axis 1: slices are columns [1,4], [2,5], [3,6]; outputs stacked along axis 1.
        var x = new Tensor<float>([1, 2, 3, 4, 5, 6], [2, 3]);
        var r = RunScan(CumulativeScan(Attr.Ints("scan_input_axes", 1), Attr.Ints("scan_output_axes", 1)), new Tensor<float>([0, 0], [2]), x);
        TensorAssert.Equal([6f, 15], [2], r[0]);
        TensorAssert.Equal([1f, 3, 6, 4, 9, 15], [2, 3], r[1]);
    }

    [Fact]
    public void ScanOverEmptyAxisKeepsInitialState()
    {
        var r = RunScan(CumulativeScan(), new Tensor<float>([7, 8], [2]), new Tensor<float>([0, 2]));
        TensorAssert.Equal([7f, 8], [2], r[0]);
        Assert.Equal(0, r[1]!.AsTensor().Length);
    }

    // ---- Sequences with negative positions

    private static SequenceValue Seq(params long[] items) =>
        new(DataType.Int64, items.Select(v => (Tensor)new Tensor<long>([v], [1])));

    private static long[] Items(Value? v) => Assert.IsType<SequenceValue>(v).Items.Select(t => t.As<long>()[0]).ToArray();

    [Fact]
    public void SequenceInsertPositions()
    {
        var item = new Tensor<long>([9], [1]);
        Assert.Equal([1L, 2, 3, 9], Items(Run("SequenceInsert", 11, [Seq(1, 2, 3), item])[0]));
        Assert.Equal([1L, 2, 9, 3], Items(Run("SequenceInsert", 11, [Seq(1, 2, 3), item, Tensor<long>.Scalar(-1)])[0]));
        Assert.Equal([9L, 1, 2, 3], Items(Run("SequenceInsert", 11, [Seq(1, 2, 3), item, Tensor<long>.Scalar(-3)])[0]));
        Assert.Equal([1L, 2, 3, 9], Items(Run("SequenceInsert", 11, [Seq(1, 2, 3), item, Tensor<long>.Scalar(3)])[0]));
        Assert.Equal([9L], Items(Run("SequenceInsert", 11, [Seq(), item, Tensor<long>.Scalar(0)])[0]));
    }

    [Fact]
    public void SequenceAtNegativePositions()
    {
        TensorAssert.Equal(new[] { 3L }, [1], Run1("SequenceAt", 11, [Seq(1, 2, 3), Tensor<long>.Scalar(-1)]));
        TensorAssert.Equal(new[] { 1L }, [1], Run1("SequenceAt", 11, [Seq(1, 2, 3), Tensor<long>.Scalar(-3)]));
        TensorAssert.Equal(new[] { 2L }, [1], Run1("SequenceAt", 11, [Seq(1, 2, 3), new Tensor<int>([1], [])]));
    }

    [Fact]
    public void SequenceErasePositions()
    {
        Assert.Equal([1L, 2], Items(Run("SequenceErase", 11, [Seq(1, 2, 3)])[0]));
        Assert.Equal([1L, 3], Items(Run("SequenceErase", 11, [Seq(1, 2, 3), Tensor<long>.Scalar(-2)])[0]));
        Assert.Equal([2L, 3], Items(Run("SequenceErase", 11, [Seq(1, 2, 3), Tensor<long>.Scalar(-3)])[0]));
    }

    [Fact]
    public void SequenceOpsDoNotMutateTheirInput()
    {
        var seq = Seq(1, 2, 3);
        Run("SequenceInsert", 11, [seq, new Tensor<long>([9], [1])]);
        Run("SequenceErase", 11, [seq, Tensor<long>.Scalar(0)]);
        Assert.Equal([1L, 2, 3], seq.Items.Select(t => t.As<long>()[0]).ToArray());
    }

    [Fact]
    public void SequenceLengthAndSplitToSequence()
    {
        TensorAssert.Equal(new[] { 3L }, [], Run1("SequenceLength", 11, [Seq(1, 2, 3)]));
        var parts = Assert.IsType<SequenceValue>(Run("SplitToSequence", 11, [new Tensor<float>([1, 2, 3, 4, 5], [5]), Tensor<long>.Scalar(2)])[0]);
        Assert.Equal([[2], [2], [1]], parts.Items.Select(t => t.Shape));
        var rows = Assert.IsType<SequenceValue>(Run("SplitToSequence", 11, [new Tensor<float>([1, 2, 3, 4], [2, 2])], 1, Attr.Int("keepdims", 0))[0]);
        Assert.Equal([[2], [2]], rows.Items.Select(t => t.Shape));
        Assert.Equal([3f, 4], rows.Items[1].As<float>().ToArray());
    }
}
