using System.Text.RegularExpressions;
using NativeInfer.Bench.Benchmarks;
using NativeInfer.IR;
using NativeInfer.Onnx.Export;
using NativeInfer.Tensors;

namespace NativeInfer.Bench.Compare;

/// <summary>One kernel compared alone: a one-node model written to a file, and the FLOPs of one run (0 when the op is
/// not counted in FLOPs, e.g. pooling and data movement).</summary>
public sealed record OpCase(string Op, string Shape, ModelSource Model, double Flops);

/// <summary>
/// The single-op models behind <c>compare --ops</c>: each kernel family the CPU backend has, on the layer shapes of the
/// models it is tuned for (ResNet, Inception, SqueezeNet, ShuffleNet, transformer blocks), written as one-node ONNX
/// models into a folder so that both engines load the same file. Weights are constant initializers (both engines pack
/// them at session creation); the one fed input gets the comparison's seeded values.
/// </summary>
public static class OpCases
{
    /// <summary>Every case, in report order.</summary>
    public static IEnumerable<(string Op, string Shape, double Flops, Func<Model> Build)> All()
    {
        foreach (var s in ConvShapes())
            yield return ("Conv", s.Name, s.Flops, () => ConvModel(s));
        foreach (var (m, k, n) in new[] { (1024, 1024, 1024), (256, 256, 256), (128, 768, 3072), (128, 3072, 768), (1, 2048, 1000), (1, 4096, 4096) })
            yield return ("MatMul", $"[{m},{k}]×[{k},{n}]", 2.0 * m * k * n, () => MatMulModel(m, k, n));
        foreach (var (kind, c, size, k, s, p) in new[] { ("MaxPool", 64, 112, 3, 2, 1), ("AveragePool", 576, 14, 3, 1, 1), ("MaxPool", 192, 56, 3, 2, 1) })
            yield return (kind, $"{c}×{size}² {k}×{k}/{s}", 0, () => PoolModel(kind, c, size, k, s, p));
        yield return ("GlobalAveragePool", "2048×7²", 0, () => Unary("GlobalAveragePool", [1, 2048, 7, 7]));
        yield return ("Relu", "256×56²", 0, () => Unary("Relu", [1, 256, 56, 56]));
        yield return ("Add", "256×56² + 256×56²", 0, () => AddModel([1, 256, 56, 56], [1, 256, 56, 56]));
        yield return ("Add", "[128,3072] + [3072]", 0, () => AddModel([128, 3072], [3072]));
        yield return ("Softmax", "[12,128,128] axis -1", 0, () => Unary("Softmax", [12, 128, 128]));
        yield return ("LayerNormalization", "[128,768]", 0, () => LayerNormModel(128, 768));
        yield return ("Transpose", "[1,128,12,64] → perm 0,2,1,3", 0, () => TransposeModel());
        yield return ("Concat", "4 × 64×28² axis 1", 0, () => ConcatModel());
    }

    /// <summary>The conv micro-benchmark shapes plus ResNet-50's strided and 7×7 stem layers.</summary>
    public static IEnumerable<ConvShape> ConvShapes()
    {
        foreach (var s in ConvBenchmarks.Shapes) yield return s;
        yield return new ConvShape("r50 3x3s2 128-128 56", 128, 128, 56, 3, 2, 1);
        yield return new ConvShape("r50 3x3s2 256-256 28", 256, 256, 28, 3, 2, 1);
        yield return new ConvShape("r50 3x3s2 512-512 14", 512, 512, 14, 3, 2, 1);
        yield return new ConvShape("r50 1x1s2 256-512 56", 256, 512, 56, 1, 2, 1);
        yield return new ConvShape("r50 1x1s2 1024-2048 14", 1024, 2048, 14, 1, 2, 1);
    }

    /// <summary>
    /// Writes the cases whose "op shape" text matches <paramref name="filter"/> (a regular expression, case-insensitive;
    /// null: all) into <paramref name="folder"/> and returns them.
    /// </summary>
    /// <exception cref="ArgumentException">The filter is not a valid regular expression.</exception>
    public static List<OpCase> Write(string folder, string? filter)
    {
        var match = filter is null ? null : new Regex(filter, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        Directory.CreateDirectory(folder);
        var cases = new List<OpCase>();
        int i = 0;
        foreach (var (op, shape, flops, build) in All())
        {
            if (match is not null && !match.IsMatch($"{op} {shape}")) continue;
            string path = Path.Combine(folder, $"{i++:D2}_{Sanitize(op + "_" + shape)}.onnx");
            OnnxModelWriter.Save(build(), path);
            cases.Add(new OpCase(op, shape, new ModelSource($"{op} {shape}", Path.GetFullPath(path)), flops));
        }
        return cases;
    }

    private static string Sanitize(string s) => Regex.Replace(s, "[^A-Za-z0-9_-]+", "_").Trim('_');

    private const int Opset = 17;

    private static Model Single(Graph g) => new() { Graph = g, IrVersion = 8, OpsetImports = new() { [""] = Opset }, ProducerName = "nativeinfer-bench" };

    private static ValueInfo Input(string name, params int[] shape) =>
        new(name, TypeInfo.Tensor(DataType.Float, shape.Select(d => Dim.Known(d)).ToArray()));

    private static Node NodeOf(string op, string[] inputs, string output, params (string Name, AttributeValue Value)[] attributes)
    {
        var node = new Node { Name = op.ToLowerInvariant(), OpType = op, Inputs = inputs, Outputs = [output], OpsetVersion = Opset };
        foreach (var (n, v) in attributes) node.Attributes.Set(n, v);
        return node;
    }

    private static (string, AttributeValue) Ints(string name, params long[] v) => (name, new AttributeValue(AttributeKind.Ints, v));
    private static (string, AttributeValue) Int(string name, long v) => (name, new AttributeValue(AttributeKind.Int, v));

    /// <summary>Deterministic values in [−scale, scale) (the weights; the fed input comes from the comparison's seed).</summary>
    private static Tensor<float> Weights(int seed, float scale, params int[] shape)
    {
        var rng = new Random(seed);
        var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = (rng.NextSingle() * 2 - 1) * scale;
        return new Tensor<float>(data, shape);
    }

    private static Model ConvModel(ConvShape s)
    {
        var g = new Graph { Name = "conv" };
        g.Inputs.Add(Input("x", 1, s.C, s.Size, s.Size));
        int cg = s.C / s.Group;
        g.Initializers["w"] = Weights(1, 1f / MathF.Sqrt(cg * s.Kernel * s.Kernel), s.M, cg, s.Kernel, s.Kernel);
        g.Initializers["b"] = Weights(2, 0.1f, s.M);
        g.Nodes.Add(NodeOf("Conv", ["x", "w", "b"], "y", Ints("kernel_shape", s.Kernel, s.Kernel), Ints("strides", s.Stride, s.Stride),
            Ints("pads", s.Pad, s.Pad, s.Pad, s.Pad), Int("group", s.Group)));
        g.Outputs.Add(new ValueInfo("y", null));
        return Single(g);
    }

    private static Model MatMulModel(int m, int k, int n)
    {
        var g = new Graph { Name = "matmul" };
        g.Inputs.Add(Input("a", m, k));
        g.Initializers["b"] = Weights(3, 1f / MathF.Sqrt(k), k, n);
        g.Nodes.Add(NodeOf("MatMul", ["a", "b"], "y"));
        g.Outputs.Add(new ValueInfo("y", null));
        return Single(g);
    }

    private static Model PoolModel(string kind, int c, int size, int k, int stride, int pad)
    {
        var g = new Graph { Name = "pool" };
        g.Inputs.Add(Input("x", 1, c, size, size));
        g.Nodes.Add(NodeOf(kind, ["x"], "y", Ints("kernel_shape", k, k), Ints("strides", stride, stride), Ints("pads", pad, pad, pad, pad)));
        g.Outputs.Add(new ValueInfo("y", null));
        return Single(g);
    }

    private static Model Unary(string op, int[] shape)
    {
        var g = new Graph { Name = op.ToLowerInvariant() };
        g.Inputs.Add(Input("x", shape));
        g.Nodes.Add(NodeOf(op, ["x"], "y"));
        g.Outputs.Add(new ValueInfo("y", null));
        return Single(g);
    }

    private static Model AddModel(int[] a, int[] b)
    {
        var g = new Graph { Name = "add" };
        g.Inputs.Add(Input("a", a));
        if (a.SequenceEqual(b)) g.Inputs.Add(Input("b", b));
        else g.Initializers["b"] = Weights(4, 1f, b);
        g.Nodes.Add(NodeOf("Add", ["a", "b"], "y"));
        g.Outputs.Add(new ValueInfo("y", null));
        return Single(g);
    }

    private static Model LayerNormModel(int rows, int width)
    {
        var g = new Graph { Name = "layernorm" };
        g.Inputs.Add(Input("x", rows, width));
        g.Initializers["scale"] = Weights(5, 1f, width);
        g.Initializers["bias"] = Weights(6, 0.1f, width);
        g.Nodes.Add(NodeOf("LayerNormalization", ["x", "scale", "bias"], "y", Int("axis", -1)));
        g.Outputs.Add(new ValueInfo("y", null));
        return Single(g);
    }

    private static Model TransposeModel()
    {
        var g = new Graph { Name = "transpose" };
        g.Inputs.Add(Input("x", 1, 128, 12, 64));
        g.Nodes.Add(NodeOf("Transpose", ["x"], "y", Ints("perm", 0, 2, 1, 3)));
        g.Outputs.Add(new ValueInfo("y", null));
        return Single(g);
    }

    private static Model ConcatModel()
    {
        var g = new Graph { Name = "concat" };
        var names = new[] { "a", "b", "c", "d" };
        foreach (var n in names) g.Inputs.Add(Input(n, 1, 64, 28, 28));
        g.Nodes.Add(NodeOf("Concat", names, "y", Int("axis", 1)));
        g.Outputs.Add(new ValueInfo("y", null));
        return Single(g);
    }
}
