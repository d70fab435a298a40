using System.Diagnostics;
using NativeInfer.Onnx.Import;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Bench;

/// <summary>
/// <c>dotnet run --project bench -c Release -- transformer-fusion [layers] [seq] [embed] [heads] [threads] [iters]</c>:
/// a Stopwatch harness timing a pre-LN transformer encoder written the way an opset-13 exporter writes it (LayerNorm as
/// ReduceMean/Sub/Pow/.../Add, attention as Transpose/MatMul/Div/Add mask/Softmax/MatMul, GELU with Erf) with every
/// optimizer pass and with the transformer fusion passes (LayerNormFusion, RmsNormFusion, GeluFusion, SiluFusion,
/// AttentionFusion) switched off: two sessions in one process, runs alternating after warm-up; prints node counts, both
/// medians and their ratio (below 1: the fusions are faster). Defaults: 2 layers, seq 128, embed 256, 4 heads, batch 1.
/// </summary>
public static class TransformerFusionTimings
{
    private static readonly string[] Passes = ["LayerNormFusion", "RmsNormFusion", "GeluFusion", "SiluFusion", "AttentionFusion"];

    public static int Run(string[] args)
    {
        int Arg(int i, int d) => args.Length > i ? int.Parse(args[i]) : d;
        int layers = Arg(0, 2), seq = Arg(1, 128), embed = Arg(2, 256), heads = Arg(3, 4), threads = Arg(4, 2), iters = Arg(5, 40);
        var bytes = Encoder(layers, 1, seq, embed, heads);
        var on = new GraphSession(new OnnxModelLoader().Load(bytes), new SessionOptions { IntraOpThreads = threads });
        var offOptions = new SessionOptions { IntraOpThreads = threads };
        foreach (var p in Passes) offOptions.DisabledPasses.Add(p);
        var off = new GraphSession(new OnnxModelLoader().Load(bytes), offOptions);
        var rng = new Random(1);
        var x = new Tensor<float>([1, seq, embed]);
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 4 - 2);
        var mask = new Tensor<float>([1, 1, 1, seq]);
        for (int j = seq - seq / 8; j < seq; j++) mask[j] = -10000f;
        var feeds = new Dictionary<string, Value> { ["x"] = x, ["mask"] = mask };
        for (int i = 0; i < 3; i++) { on.Run(feeds); off.Run(feeds); }
        var tOn = new List<double>();
        var tOff = new List<double>();
        var sw = new Stopwatch();
        for (int i = 0; i < iters; i++)
        {
            for (int k = 0; k < 2; k++)
            {
                bool onTurn = (i % 2 == 0) == (k == 0);
                sw.Restart();
                (onTurn ? on : off).Run(feeds);
                sw.Stop();
                (onTurn ? tOn : tOff).Add(sw.Elapsed.TotalMilliseconds);
            }
        }
        Console.WriteLine($"encoder: {layers} layers, batch 1, seq {seq}, embed {embed}, {heads} heads, threads {threads}, {iters} alternating runs each");
        Console.WriteLine($"nodes: imported {on.Optimization!.NodesBefore}, optimized without transformer fusions {off.Optimization!.NodesAfter}, with {on.Optimization.NodesAfter}");
        double mOn = Median(tOn), mOff = Median(tOff);
        Console.WriteLine($"median ms: without {mOff:F3}, with {mOn:F3}, ratio with/without {mOn / mOff:F3}");
        return 0;
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>The encoder of tests/Optimizer/TransformerFusionTests.Encoder (opset 13), written as ONNX bytes.</summary>
    private static byte[] Encoder(int layers, int b, int s, int e, int h)
    {
        int d = e / h, f = 4 * e;
        var g = new IR.Graph { Name = "encoder" };
        var model = new IR.Model { Graph = g, IrVersion = 8, ProducerName = "nativeinfer-bench", OpsetImports = new() { [""] = 13 } };
        var rng = new Random(100);
        IR.Dim[] Dims(long[] dims) => dims.Select(IR.Dim.Known).ToArray();
        void Input(string name, params long[] dims) => g.Inputs.Add(new IR.ValueInfo(name, IR.TypeInfo.Tensor(DataType.Float, Dims(dims))));
        void Floats(string name, float lo, float hi, params long[] dims)
        {
            var t = new Tensor<float>(dims.Select(x => (int)x).ToArray());
            for (int i = 0; i < t.Length; i++) t[i] = lo + (float)rng.NextDouble() * (hi - lo);
            g.Initializers[name] = t;
        }
        void Longs(string name, long[] values) => g.Initializers[name] = new Tensor<long>(values, [values.Length]);
        void Node(string op, string[] inputs, string output, params (string Name, IR.AttributeValue Value)[] attrs)
        {
            var a = new IR.Attributes();
            foreach (var (n, v) in attrs) a.Set(n, v);
            g.Nodes.Add(new IR.Node { Name = $"{op}_{g.Nodes.Count}", OpType = op, Inputs = inputs, Outputs = [output], Attributes = a, OpsetVersion = 13 });
        }
        (string, IR.AttributeValue) Ints(string name, params long[] v) => (name, new IR.AttributeValue(IR.AttributeKind.Ints, v));
        (string, IR.AttributeValue) Int(string name, long v) => (name, new IR.AttributeValue(IR.AttributeKind.Int, v));

        Input("x", b, s, e);
        Input("mask", b, 1, 1, s);
        Floats("eps", 1e-5f, 1e-5f);
        Floats("two", 2f, 2f);
        Floats("scale", MathF.Sqrt(d), MathF.Sqrt(d));
        Floats("sqrt2", 1.4142135f, 1.4142135f);
        Floats("one", 1f, 1f);
        Floats("half", 0.5f, 0.5f);
        Longs("heads_shape", [b, s, h, d]);
        Longs("merge_shape", [b, s, e]);
        string x = "x";
        for (int l = 0; l < layers; l++)
        {
            string P(string n) => $"l{l}_{n}";
            string LayerNorm(string input, string tag)
            {
                Floats(P(tag + "_g"), 0.5f, 1.5f, e);
                Floats(P(tag + "_b"), -1f, 1f, e);
                Node("ReduceMean", [input], P(tag + "_mean"), Ints("axes", -1));
                Node("Sub", [input, P(tag + "_mean")], P(tag + "_d"));
                Node("Pow", [P(tag + "_d"), "two"], P(tag + "_sq"));
                Node("ReduceMean", [P(tag + "_sq")], P(tag + "_var"), Ints("axes", -1));
                Node("Add", [P(tag + "_var"), "eps"], P(tag + "_ve"));
                Node("Sqrt", [P(tag + "_ve")], P(tag + "_std"));
                Node("Div", [P(tag + "_d"), P(tag + "_std")], P(tag + "_n"));
                Node("Mul", [P(tag + "_n"), P(tag + "_g")], P(tag + "_gn"));
                Node("Add", [P(tag + "_gn"), P(tag + "_b")], P(tag + "_out"));
                return P(tag + "_out");
            }
            string Linear(string input, string tag, int inDim, int outDim)
            {
                float bound = 1f / MathF.Sqrt(inDim);
                Floats(P(tag + "_w"), -bound, bound, inDim, outDim);
                Floats(P(tag + "_bias"), -bound, bound, outDim);
                Node("MatMul", [input, P(tag + "_w")], P(tag + "_mm"));
                Node("Add", [P(tag + "_mm"), P(tag + "_bias")], P(tag));
                return P(tag);
            }
            string Heads(string input, string tag)
            {
                Node("Reshape", [input, "heads_shape"], P(tag + "_r"));
                Node("Transpose", [P(tag + "_r")], P(tag + "_h"), Ints("perm", 0, 2, 1, 3));
                return P(tag + "_h");
            }
            string ln1 = LayerNorm(x, "ln1");
            string q = Heads(Linear(ln1, "q", e, e), "q"), k = Heads(Linear(ln1, "k", e, e), "k"), v = Heads(Linear(ln1, "v", e, e), "v");
            Node("Transpose", [k], P("kt"), Ints("perm", 0, 1, 3, 2));
            Node("MatMul", [q, P("kt")], P("scores"));
            Node("Div", [P("scores"), "scale"], P("scaled"));
            Node("Add", [P("scaled"), "mask"], P("masked"));
            Node("Softmax", [P("masked")], P("probs"), Int("axis", -1));
            Node("MatMul", [P("probs"), v], P("ctx"));
            Node("Transpose", [P("ctx")], P("ctx_t"), Ints("perm", 0, 2, 1, 3));
            Node("Reshape", [P("ctx_t"), "merge_shape"], P("ctx_m"));
            string attnOut = Linear(P("ctx_m"), "o", e, e);
            Node("Add", [x, attnOut], P("res1"));
            string ln2 = LayerNorm(P("res1"), "ln2");
            string hidden = Linear(ln2, "fc1", e, f);
            Node("Div", [hidden, "sqrt2"], P("g_a"));
            Node("Erf", [P("g_a")], P("g_e"));
            Node("Add", [P("g_e"), "one"], P("g_p"));
            Node("Mul", [hidden, P("g_p")], P("g_xp"));
            Node("Mul", [P("g_xp"), "half"], P("gelu"));
            string mlp = Linear(P("gelu"), "fc2", f, e);
            Node("Add", [P("res1"), mlp], P("out"));
            x = P("out");
        }
        g.Outputs.Add(new IR.ValueInfo(x, IR.TypeInfo.Tensor(DataType.Float, Dims([b, s, e]))));
        return Onnx.Export.OnnxModelWriter.ToBytes(model);
    }
}
