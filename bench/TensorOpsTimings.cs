using System.Diagnostics;
using NativeInfer.IR;
using NativeInfer.Ops;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Bench;

/// <summary>
/// <c>dotnet run --project bench -c Release -- tensorops [filter|*] [threads]</c>: a Stopwatch harness timing one-node models of the
/// tensor-ops family (softmax, normalizations, reductions, LRN, BatchNormalization, transposes, Concat, Resize) at
/// CNN/transformer layer sizes through <see cref="NativeInfer.InferenceSession"/> (2 threads unless given). Prints the median and
/// the lower quartile of many runs per case; compare builds by running this file against each, alternately.
/// </summary>
public static class TensorOpsTimings
{
    private sealed record Case(string Name, string Op, int Opset, int[][] Inputs, (string, AttributeValue)[] Attributes, Tensor?[] Constants);

    private static (string, AttributeValue) Int(string n, long v) => (n, new AttributeValue(AttributeKind.Int, v));
    private static (string, AttributeValue) Flt(string n, float v) => (n, new AttributeValue(AttributeKind.Float, v));
    private static (string, AttributeValue) Str(string n, string v) => (n, new AttributeValue(AttributeKind.String, v));
    private static (string, AttributeValue) Ints(string n, params long[] v) => (n, new AttributeValue(AttributeKind.Ints, v));
    private static Tensor FloatConst(float[] v) => new Tensor<float>(v, [v.Length]);
    private static Tensor LongConst(long[] v) => new Tensor<long>(v, [v.Length]);

    private static float[] Filled(int n, float scale) => Enumerable.Range(0, n).Select(i => (i * 7919 % 1000) / 1000f * scale).ToArray();

    private static IEnumerable<Case> Cases()
    {
        yield return new("Softmax [8,1000]", "Softmax", 13, [[8, 1000]], [], []);
        yield return new("Softmax [16,12,64,128] (attention)", "Softmax", 13, [[16, 12, 64, 128]], [], []);
        yield return new("LogSoftmax [64,1000]", "LogSoftmax", 13, [[64, 1000]], [], []);
        yield return new("LayerNorm [512,768]", "LayerNormalization", 17, [[512, 768]], [],
            [FloatConst(Filled(768, 1)), FloatConst(Filled(768, 0.1f))]);
        yield return new("ReduceMean [1,256,56,56] axes 2,3", "ReduceMean", 18, [[1, 256, 56, 56]], [], [LongConst([2, 3])]);
        yield return new("ReduceSum [64,64,1024] axis 1", "ReduceSum", 13, [[64, 64, 1024]], [], [LongConst([1])]);
        yield return new("ArgMax [64,1000]", "ArgMax", 13, [[64, 1000]], [Int("axis", 1)], []);
        yield return new("LRN [1,96,55,55] size 5", "LRN", 13, [[1, 96, 55, 55]], [Int("size", 5), Flt("alpha", 1e-4f), Flt("beta", 0.75f)], []);
        yield return new("BatchNorm [1,64,112,112]", "BatchNormalization", 15, [[1, 64, 112, 112]], [],
            [FloatConst(Filled(64, 1)), FloatConst(Filled(64, 1)), FloatConst(Filled(64, 1)), FloatConst(Filled(64, 1).Select(v => v + 0.5f).ToArray())]);
        yield return new("Transpose NCHW->NHWC [1,3,224,224]", "Transpose", 13, [[1, 3, 224, 224]], [Ints("perm", 0, 2, 3, 1)], []);
        yield return new("Transpose NCHW->NHWC [1,256,56,56]", "Transpose", 13, [[1, 256, 56, 56]], [Ints("perm", 0, 2, 3, 1)], []);
        yield return new("Transpose [1024,1024] swap", "Transpose", 13, [[1024, 1024]], [Ints("perm", 1, 0)], []);
        yield return new("Transpose shuffle [1,4,60,28,28]", "Transpose", 13, [[1, 4, 60, 28, 28]], [Ints("perm", 0, 2, 1, 3, 4)], []);
        yield return new("Transpose [8,128,12,64] 0,2,1,3", "Transpose", 13, [[8, 128, 12, 64]], [Ints("perm", 0, 2, 1, 3)], []);
        yield return new("Concat [1,256,28,28]+[1,32,28,28]", "Concat", 13, [[1, 256, 28, 28], [1, 32, 28, 28]], [Int("axis", 1)], []);
        yield return new("Resize nearest x2 [1,256,40,40]", "Resize", 19, [[1, 256, 40, 40]],
            [Str("mode", "nearest"), Str("coordinate_transformation_mode", "asymmetric"), Str("nearest_mode", "floor")],
            [null, FloatConst([1, 1, 2, 2])]);
        yield return new("Resize linear x2 [1,64,56,56]", "Resize", 19, [[1, 64, 56, 56]],
            [Str("mode", "linear"), Str("coordinate_transformation_mode", "half_pixel")], [null, FloatConst([1, 1, 2, 2])]);
    }

    private static int s_threads = 2;

    public static int Run(string[] args)
    {
        string? filter = args.Length > 0 && args[0] != "*" ? args[0] : null;
        s_threads = args.Length > 1 ? int.Parse(args[1]) : 2;
        Console.WriteLine($"{"case",-40} {"median ms",10} {"p25 ms",10} {"runs",6}");
        foreach (var c in Cases())
        {
            if (filter is not null && !c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
            var (median, p25, runs) = Time(c);
            Console.WriteLine($"{c.Name,-40} {median,10:F4} {p25,10:F4} {runs,6}");
        }
        return 0;
    }

    private static (double Median, double P25, int Runs) Time(Case c)
    {
        var graph = new Graph { Name = "bench" };
        var inputs = new List<string>();
        var feeds = new Dictionary<string, Value>();
        for (int i = 0; i < c.Inputs.Length; i++)
        {
            string name = $"x{i}";
            graph.Inputs.Add(new ValueInfo(name, null));
            inputs.Add(name);
            int n = c.Inputs[i].Aggregate(1, (a, b) => a * b);
            feeds[name] = new Tensor<float>(Filled(n, 4), c.Inputs[i]);
        }
        for (int i = 0; i < c.Constants.Length; i++)
        {
            if (c.Constants[i] is not { } t)
            {
                inputs.Add("");
                continue;
            }
            string name = $"c{i}";
            graph.Initializers[name] = t;
            inputs.Add(name);
        }
        var attributes = new Attributes();
        foreach (var (n, v) in c.Attributes) attributes.Set(n, v);
        var node = new Node { Name = "op", OpType = c.Op, Inputs = inputs.ToArray(), Outputs = ["y"], Attributes = attributes, OpsetVersion = c.Opset };
        // bound here as the ONNX loader would, so the harness also runs against builds whose session does not bind
        node.Op = OpRegistry.Default.Resolve("", c.Op, c.Opset)!.Factory(new OpBuildContext
        {
            Node = node,
            ConstantLookup = name => graph.Initializers.TryGetValue(name, out var t) ? t : null,
        });
        graph.Nodes.Add(node);
        graph.Outputs.Add(new ValueInfo("y", null));
        var model = new Model { Graph = graph, IrVersion = 8, OpsetImports = new() { [""] = c.Opset } };
        using var session = new InferenceSession(model, new SessionOptions { IntraOpThreads = s_threads });
        for (int i = 0; i < 5; i++) session.Run(feeds);
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 15 || total.Elapsed.TotalSeconds < 1.0 && times.Count < 5000)
        {
            long t0 = Stopwatch.GetTimestamp();
            session.Run(feeds);
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[times.Count / 4], times.Count);
    }
}
