using System.Diagnostics;
using NativeInfer.IR;
using NativeInfer.Ops;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Bench;

/// <summary>
/// <c>dotnet run --project bench -c Release -- gemm-fusion [threads]</c>: a Stopwatch harness timing small graphs
/// with all optimizer passes on and with GemmActivationFusion and MatMulAddToGemm off, alternately in one process
/// (medians of many runs, and their ratio): a transformer feed-forward block (MatMul + bias + Gelu, MatMul + bias +
/// residual) and a two-layer MLP (MatMul + bias + Relu).
/// </summary>
public static class GemmFusionTimings
{
    private static float[] Filled(int n, float scale) => Enumerable.Range(0, n).Select(i => ((i * 7919 % 1000) / 1000f - 0.5f) * scale).ToArray();

    private sealed class Builder
    {
        public readonly Graph Graph = new() { Name = "bench" };
        public readonly Dictionary<string, Value> Feeds = new();
        public int Opset = 20;

        public Builder Input(string name, params int[] shape)
        {
            Graph.Inputs.Add(new ValueInfo(name, TypeInfo.Tensor(DataType.Float, shape.Select(d => Dim.Known(d)).ToArray())));
            Feeds[name] = new Tensor<float>(Filled(shape.Aggregate(1, (a, b) => a * b), 2), shape);
            return this;
        }

        public Builder Const(string name, float scale, params int[] shape)
        {
            Graph.Initializers[name] = new Tensor<float>(Filled(shape.Aggregate(1, (a, b) => a * b), scale), shape);
            return this;
        }

        public Builder Node(string op, string[] inputs, string output)
        {
            var node = new Node { Name = output, OpType = op, Inputs = inputs, Outputs = [output], OpsetVersion = Opset };
            node.Op = OpRegistry.Default.Resolve("", op, Opset)!.Factory(new OpBuildContext
            {
                Node = node,
                ConstantLookup = name => Graph.Initializers.TryGetValue(name, out var t) ? t : null,
            });
            Graph.Nodes.Add(node);
            return this;
        }

        public Model Output(string name)
        {
            Graph.Outputs.Add(new ValueInfo(name, null));
            return new Model { Graph = Graph, IrVersion = 8, OpsetImports = new() { [""] = Opset } };
        }
    }

    private static IEnumerable<(string Name, Model Model, Dictionary<string, Value> Feeds)> Cases()
    {
        foreach (int tokens in new[] { 32, 256 })
        {
            var ffn = new Builder().Input("x", 1, tokens, 768)
                .Const("w1", 0.05f, 768, 3072).Const("b1", 0.1f, 3072).Const("w2", 0.05f, 3072, 768).Const("b2", 0.1f, 768)
                .Node("MatMul", ["x", "w1"], "h").Node("Add", ["h", "b1"], "hb").Node("Gelu", ["hb"], "g")
                .Node("MatMul", ["g", "w2"], "o").Node("Add", ["o", "b2"], "ob").Node("Add", ["ob", "x"], "y");
            yield return ($"FFN [1,{tokens},768] 768->3072->768 Gelu", ffn.Output("y"), ffn.Feeds);
        }
        foreach (int batch in new[] { 1, 64 })
        {
            var mlp = new Builder().Input("x", batch, 1024)
                .Const("w1", 0.05f, 1024, 1024).Const("b1", 0.1f, 1024).Const("w2", 0.05f, 1024, 1024).Const("b2", 0.1f, 1024)
                .Node("MatMul", ["x", "w1"], "h").Node("Add", ["h", "b1"], "hb").Node("Relu", ["hb"], "r")
                .Node("MatMul", ["r", "w2"], "o").Node("Add", ["o", "b2"], "ob").Node("Relu", ["ob"], "y");
            yield return ($"MLP [{batch},1024] 2x(MatMul+Add+Relu)", mlp.Output("y"), mlp.Feeds);
        }
    }

    public static int Run(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0]) : 2;
        Console.WriteLine($"{"case",-42} {"fused ms",10} {"unfused ms",11} {"ratio",7} {"nodes",8}");
        foreach (var (name, model, feeds) in Cases())
        {
            var on = new SessionOptions { IntraOpThreads = threads };
            var off = new SessionOptions { IntraOpThreads = threads };
            off.DisabledPasses.Add("GemmActivationFusion");
            off.DisabledPasses.Add("MatMulAddToGemm");
            var fused = new GraphSession(model, on);
            var unfused = new GraphSession(model, off);
            for (int i = 0; i < 5; i++)
            {
                fused.Run(feeds);
                unfused.Run(feeds);
            }
            var a = new List<double>();
            var b = new List<double>();
            var total = Stopwatch.StartNew();
            while (a.Count < 20 || total.Elapsed.TotalSeconds < 4.0 && a.Count < 2000)
            {
                long t0 = Stopwatch.GetTimestamp();
                fused.Run(feeds);
                a.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                t0 = Stopwatch.GetTimestamp();
                unfused.Run(feeds);
                b.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            a.Sort();
            b.Sort();
            double ma = a[a.Count / 2], mb = b[b.Count / 2];
            Console.WriteLine($"{name,-42} {ma,10:F3} {mb,11:F3} {ma / mb,7:F3} {fused.ExecutionGraph.Nodes.Count,3} vs {unfused.ExecutionGraph.Nodes.Count,2}");
        }
        return 0;
    }
}
