using NativeInfer.IR;
using NativeInfer.Onnx.Conformance;
using NativeInfer.Onnx.Export;
using NativeInfer.Onnx.Import;
using NativeInfer.Onnx.Proto;
using NativeInfer.Optimizer;
using NativeInfer.Session;
using NativeInfer.Tensors;
using Xunit;

namespace NativeInfer.Tests.Export;

/// <summary>
/// The ONNX writer: a model written and read back with NativeInfer's own importer computes what the original computes,
/// for optimized graphs (constants made by passes, fused ai.nativeinfer nodes) and for graphs with If/Loop/Scan bodies.
/// </summary>
public class OnnxWriterRoundTripTests
{
    private static Model ReadBack(Model model, OnnxExportOptions? options = null) =>
        new OnnxModelLoader().Load(OnnxModelWriter.ToBytes(model, options));

    private static void AssertSame(Value?[] expected, Value?[] actual, double atol, double rtol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(ValueComparer.Compare(expected[i], actual[i], atol, rtol) is not { } d, $"output {i}: {ValueComparer.Compare(expected[i], actual[i], atol, rtol)}");
    }

    [SkippableTheory]
    [InlineData("squeezenet")]
    [InlineData("shufflenet")]
    public void OptimizedLightModelReadsBackAndComputesTheSame(string name)
    {
        Skip.If(ExportCases.LightModel(name) is null, ExportCases.MissingSuite);
        var original = new OnnxModelLoader().Load(ExportCases.LightModel(name)!);
        var inputs = ExportCases.LightInput(original);
        var result = GraphOptimizer.Optimize(original, new SessionOptions());
        Assert.True(result.NodesAfter < result.NodesBefore);

        // The optimized graph, written and read back, run as it is: the same kernels on the same constants as the
        // in-memory optimized graph, so the same numbers.
        var optimizedInMemory = ExportCases.Run(result.Model, inputs);
        var readBack = ReadBack(result.Model, new OnnxExportOptions { NodeDocString = OptimizationNotes.DocStrings(original, result) });
        Assert.Equal(result.Model.Graph.Nodes.Count, readBack.Graph.Nodes.Count);
        Assert.Contains(readBack.Graph.Nodes, n => n.Domain == "ai.nativeinfer" && n.OpType == "FusedConv");
        AssertSame(optimizedInMemory, ExportCases.Run(readBack, inputs), 0, 1e-6);

        // ... and what the unoptimized original computes, within the conformance tolerance.
        AssertSame(ExportCases.Run(original, inputs), ExportCases.Run(readBack, inputs), ValueComparer.DefaultAtol, ValueComparer.DefaultRtol);
    }

    [SkippableFact]
    public void UnoptimizedModelRoundTripsNodeForNode()
    {
        Skip.If(ExportCases.LightModel("inception_v1") is null, ExportCases.MissingSuite);
        var original = new OnnxModelLoader().Load(ExportCases.LightModel("inception_v1")!);
        var readBack = ReadBack(original);
        Assert.Equal(original.Graph.Nodes.Select(n => n.ToString()), readBack.Graph.Nodes.Select(n => n.ToString()));
        Assert.Equal(original.Graph.Inputs.Select(i => $"{i.Name}:{i.Type}"), readBack.Graph.Inputs.Select(i => $"{i.Name}:{i.Type}"));
        Assert.Equal(original.Graph.Outputs.Select(i => $"{i.Name}:{i.Type}"), readBack.Graph.Outputs.Select(i => $"{i.Name}:{i.Type}"));
        Assert.Equal(original.IrVersion, readBack.IrVersion);
        Assert.Equal(original.OpsetImports, readBack.OpsetImports);
        var inputs = ExportCases.LightInput(original);
        AssertSame(ExportCases.Run(original, inputs), ExportCases.Run(readBack, inputs), 0, 0);
    }

    [SkippableTheory]
    [InlineData("test_if")]
    [InlineData("test_if_seq")]
    [InlineData("test_if_opt")]
    [InlineData("test_loop11")]
    [InlineData("test_loop13_seq")]
    [InlineData("test_loop16_seq_none")]
    [InlineData("test_scan9_sum")]
    [InlineData("test_scan_sum")]
    [InlineData("test_range_float_type_positive_delta_expanded")]
    public void SubgraphCaseRoundTrips(string name)
    {
        Skip.If(ExportCases.NodeCase(name) is null, ExportCases.MissingSuite);
        string dir = ExportCases.NodeCase(name)!;
        var original = new OnnxModelLoader().Load(Path.Combine(dir, "model.onnx"));
        Assert.Contains(original.Graph.Nodes, n => n.Attributes.All.Values.Any(a => a.Value is Graph or Graph[]));
        var (inputs, expected) = ExportCases.NodeCaseData(dir, original);
        foreach (var model in new[] { original, GraphOptimizer.Optimize(original, new SessionOptions()).Model })
        {
            var readBack = ReadBack(model);
            AssertSame(expected, ExportCases.Run(readBack, inputs), ValueComparer.DefaultAtol, ValueComparer.DefaultRtol);
            var bodies = (Graph g) => g.Nodes.SelectMany(n => n.Attributes.All.Values).Count(a => a.Value is Graph or Graph[]);
            Assert.Equal(bodies(model.Graph), bodies(readBack.Graph));
        }
    }

    [SkippableFact]
    public void FusedNodesAreImportedAndNamedInDocStrings()
    {
        Skip.If(ExportCases.LightModel("shufflenet") is null, ExportCases.MissingSuite);
        var original = new OnnxModelLoader().Load(ExportCases.LightModel("shufflenet")!);
        var result = GraphOptimizer.Optimize(original, new SessionOptions());
        var bytes = OnnxModelWriter.ToBytes(result.Model, new OnnxExportOptions { NodeDocString = OptimizationNotes.DocStrings(original, result) });
        var proto = ModelProto.Parser.ParseFrom(bytes);
        Assert.Contains(proto.OpsetImport, o => o.Domain == "ai.nativeinfer" && o.Version == 1);
        Assert.Contains(proto.OpsetImport, o => o.Domain == "" && o.Version == 9);
        var fused = proto.Graph.Node.Where(n => n.Domain == "ai.nativeinfer").ToList();
        Assert.NotEmpty(fused);
        Assert.All(fused, n => Assert.Contains("ConvActivationFusion: ", n.DocString));
        // Conv + BatchNormalization folded first, then + Relu fused: both firings are named on the one node.
        Assert.Contains(fused, n => n.DocString.Contains("ConvBatchNormFolding: ") && n.DocString.Contains("(BatchNormalization)")
                                     && n.DocString.Contains("(Relu)"));
        // Residual adds fused too.
        Assert.Contains(fused, n => n.DocString.Contains("(Add)") || n.DocString.Contains("(Sum)"));
        // Types of intermediate values are written where known.
        Assert.True(proto.Graph.ValueInfo.Count >= proto.Graph.Node.Count - proto.Graph.Output.Count,
            $"{proto.Graph.ValueInfo.Count} value_info for {proto.Graph.Node.Count} nodes");
        Assert.All(proto.Graph.ValueInfo, v => Assert.Equal((int)DataType.Float, v.Type.TensorType.ElemType));
    }

    [Fact]
    public void InitializersOfEveryElementTypeRoundTripBitForBit()
    {
        var g = new Graph { Name = "dtypes" };
        var rng = new Random(7);
        foreach (var type in Enum.GetValues<DataType>().Where(t => t != DataType.Undefined && DataTypes.IsSupported(t)))
        {
            var t = Tensor.Create(type, [2, 3]);
            if (t is Tensor<string> s) for (int i = 0; i < s.Length; i++) s[i] = $"s{i}é" + new string('x', i);
            else
            {
                var bytes = t.RawBytes();
                rng.NextBytes(bytes);
                // Bool holds 0/1; sub-byte types hold one small element per byte (0/1 is valid for all of them).
                if (type == DataType.Bool || Tensors.LowPrecision.SubBytePacking.IsPacked(type))
                    for (int i = 0; i < bytes.Length; i++) bytes[i] &= 1;
            }
            string name = "init_" + DataTypes.Name(type);
            g.Initializers[name] = t;
            g.Outputs.Add(new ValueInfo(name, TypeInfo.Tensor(type, [Dim.Known(2), Dim.Known(3)])));
        }
        var model = new Model { Graph = g, IrVersion = 11, OpsetImports = { [""] = 23 } };
        var back = new OnnxModelLoader().LoadUnbound(OnnxModelWriter.ToBytes(model));
        Assert.Equal(g.Initializers.Keys.Order(), back.Graph.Initializers.Keys.Order());
        foreach (var (name, t) in g.Initializers)
        {
            var r = back.Graph.Initializers[name];
            Assert.Equal(t.DataType, r.DataType);
            Assert.Equal(t.Shape, r.Shape);
            if (t is Tensor<string> s) Assert.Equal(s.ToArray(), r.As<string>().ToArray());
            else Assert.True(t.RawBytes().SequenceEqual(r.RawBytes()), $"{name} differs");
        }
        Assert.True(g.Initializers.Count >= 20, $"only {g.Initializers.Count} element types");
    }

    [Fact]
    public void AttributesOfEveryKindValueInfoAndMetadataRoundTrip()
    {
        var body = new Graph { Name = "body" };
        body.Inputs.Add(new ValueInfo("bx", TypeInfo.Tensor(DataType.Float, [Dim.Named("N")])));
        body.Initializers["bc"] = new Tensor<float>([2f], [1]);
        body.Nodes.Add(new Node { Name = "badd", OpType = "Add", Inputs = ["bx", "bc"], Outputs = ["by"] });
        body.Outputs.Add(new ValueInfo("by", TypeInfo.Tensor(DataType.Float, [Dim.Named("N")])));
        var seqType = new TypeInfo(ValueKind.Sequence, DataType.Int64, null, TypeInfo.Tensor(DataType.Int64, [Dim.Unknown, Dim.Known(3)]));
        var attrs = new Dictionary<string, AttributeValue>
        {
            ["f"] = new(AttributeKind.Float, 0.25f),
            ["i"] = new(AttributeKind.Int, -7L),
            ["s"] = new(AttributeKind.String, "héllo"),
            ["t"] = new(AttributeKind.Tensor, new Tensor<long>([1, 2, 3], [3])),
            ["g"] = new(AttributeKind.Graph, body),
            ["fs"] = new(AttributeKind.Floats, new[] { 1.5f, -2f }),
            ["is"] = new(AttributeKind.Ints, new[] { 4L, 5L }),
            ["ss"] = new(AttributeKind.Strings, new[] { "a", "" }),
            ["ts"] = new(AttributeKind.Tensors, new Tensor[] { new Tensor<int>([9], [1]), new Tensor<bool>([true, false], [2]) }),
            ["gs"] = new(AttributeKind.Graphs, new[] { body, body }),
            ["tp"] = new(AttributeKind.Type, seqType),
            ["tps"] = new(AttributeKind.Types, new[] { TypeInfo.Tensor(DataType.Float16, [Dim.Known(1)]), seqType }),
        };
        var g = new Graph { Name = "main" };
        g.Inputs.Add(new ValueInfo("x", TypeInfo.Tensor(DataType.Float, [Dim.Named("batch"), Dim.Unknown, Dim.Known(4)])));
        g.Nodes.Add(new Node { Name = "c", OpType = "Custom", Domain = "test.custom", Inputs = ["x", ""], Outputs = ["y", "z"], Attributes = new Attributes(attrs), OpsetVersion = 3 });
        g.Outputs.Add(new ValueInfo("y", TypeInfo.Tensor(DataType.Float, [Dim.Named("batch"), Dim.Unknown, Dim.Known(4)])));
        g.ValueInfos["z"] = new ValueInfo("z", seqType);
        var model = new Model { Graph = g, IrVersion = 9, OpsetImports = { [""] = 17 }, ProducerName = "tests", Metadata = { ["k"] = "v" } };

        var bytes = OnnxModelWriter.ToBytes(model);
        var back = new OnnxModelLoader().LoadUnbound(bytes);
        Assert.Equal(17, back.OpsetImports[""]);
        Assert.Equal(3, back.OpsetImports["test.custom"]);
        Assert.Equal("v", back.Metadata["k"]);
        Assert.Equal("tests", back.ProducerName);
        Assert.Equal("float32[batch,?,4]", back.Graph.Inputs.Single().Type!.ToString());
        Assert.Equal(seqType.ToString(), ModelProto.Parser.ParseFrom(bytes).Graph.ValueInfo.Single(v => v.Name == "z") is { } z
            ? OnnxModelLoader.ConvertType(z.Type)!.ToString() : "");
        var node = back.Graph.Nodes.Single();
        Assert.Equal(["x", ""], node.Inputs);
        Assert.Equal(["y", "z"], node.Outputs);
        Assert.Equal("test.custom", node.Domain);
        var a = node.Attributes;
        Assert.Equal(attrs.Keys.Order(), a.All.Keys.Order());
        foreach (var (k, v) in attrs) Assert.Equal(v.Kind, a.All[k].Kind);
        Assert.Equal(0.25f, a.Float("f"));
        Assert.Equal(-7L, a.Int("i"));
        Assert.Equal("héllo", a.String("s"));
        Assert.Equal([1L, 2, 3], a.Tensor("t")!.As<long>().ToArray());
        Assert.Equal([1.5f, -2f], a.Floats("fs"));
        Assert.Equal([4L, 5L], a.Ints("is"));
        Assert.Equal(["a", ""], a.Strings("ss"));
        Assert.Equal([9], a.Tensors("ts")![0].As<int>().ToArray());
        Assert.Equal([true, false], a.Tensors("ts")![1].As<bool>().ToArray());
        foreach (var sub in a.Graphs("gs")!.Append(a.Graph("g")!))
        {
            Assert.Equal("body", sub.Name);
            Assert.Equal("badd [Add v17]", sub.Nodes.Single().ToString());
            Assert.Equal([2f], sub.Initializers["bc"].As<float>().ToArray());
            Assert.Equal("float32[N]", sub.Inputs.Single().Type!.ToString());
        }
        Assert.Equal(seqType.ToString(), a.Type("tp")!.ToString());
        Assert.Equal(["float16[1]", seqType.ToString()], ((TypeInfo[])a.All["tps"].Value).Select(t => t.ToString()));
    }

    [SkippableFact]
    public void LargeInitializersGoToExternalDataWhenOverTheThreshold()
    {
        Skip.If(ExportCases.LightModel("squeezenet") is null, ExportCases.MissingSuite);
        var original = new OnnxModelLoader().Load(ExportCases.LightModel("squeezenet")!);
        var result = GraphOptimizer.Optimize(original, new SessionOptions());
        string dir = Path.Combine(Path.GetTempPath(), $"nativeinfer-export-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "sq.onnx");
            var options = new OnnxExportOptions { ExternalDataThreshold = 1000, ExternalDataMinTensorBytes = 256 };
            string? data = OnnxModelWriter.Save(result.Model, path, options);
            Assert.Equal(Path.Combine(dir, "sq.onnx.data"), data);
            var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            var external = proto.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External).ToList();
            Assert.NotEmpty(external);
            Assert.All(external, t => Assert.Contains(t.ExternalData, e => e.Key == "location" && e.Value == "sq.onnx.data"));
            Assert.True(new FileInfo(path).Length < new FileInfo(data!).Length);
            var inputs = ExportCases.LightInput(original);
            AssertSame(ExportCases.Run(result.Model, inputs), ExportCases.Run(new OnnxModelLoader().Load(path), inputs), 0, 1e-6);
            // Below the threshold everything stays inline.
            Assert.Null(OnnxModelWriter.Save(result.Model, Path.Combine(dir, "inline.onnx")));
            Assert.Throws<InvalidOperationException>(() => OnnxModelWriter.ToBytes(result.Model, options));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
