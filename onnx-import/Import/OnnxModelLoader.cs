using Google.Protobuf;
using NativeInfer.Errors;
using NativeInfer.IR;
using NativeInfer.Onnx.Proto;
using NativeInfer.Ops;
using NativeInfer.Session;
using NativeInfer.Tensors;
using IRGraph = NativeInfer.IR.Graph;

namespace NativeInfer.Onnx.Import;

/// <summary>
/// Reads an ONNX ModelProto into the IR: graphs and subgraphs, initializers, attributes of every kind, value types,
/// opset imports, model-local functions (inlined), external data. Binds every node to an op of the registry and reports
/// all unsupported ops at once.
/// </summary>
public sealed class OnnxModelLoader
{
    private readonly OpRegistry _registry;
    private readonly long _maxTensorBytes;
    private string? _baseDirectory;
    private Dictionary<string, int> _opsets = new();
    private readonly Dictionary<(string Domain, string Name), FunctionProto> _functions = new();
    private int _inlineCounter;
    private bool _skipBinding;

    /// <summary>Initializer bytes dropped from the parsed proto after which the loader collects garbage.</summary>
    private const long CollectAfterBytes = 16L << 20;

    public OnnxModelLoader(OpRegistry? registry = null, long maxTensorBytes = TensorLimits.DefaultMaxTensorBytes)
    {
        _registry = registry ?? OpRegistry.Default;
        _maxTensorBytes = maxTensorBytes;
    }

    /// <summary>Loads a model file; external data is resolved against (and confined to) its folder.</summary>
    public Model Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' not found.", path);
        using var fs = File.OpenRead(path);
        return Load(fs, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Loads a model without binding ops (for inspection of models with unsupported ops).</summary>
    public Model LoadUnbound(string path)
    {
        _skipBinding = true;
        try { return Load(path); }
        finally { _skipBinding = false; }
    }

    /// <summary>Loads model bytes without binding ops.</summary>
    public Model LoadUnbound(byte[] bytes)
    {
        _skipBinding = true;
        try { return Load(bytes); }
        finally { _skipBinding = false; }
    }

    public Model Load(byte[] bytes) => Load(new MemoryStream(bytes, writable: false), null);

    public Model Load(Stream stream, string? baseDirectory = null)
    {
        _baseDirectory = baseDirectory;
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelLoadException(ModelLoadError.Corrupt, $"Not a readable ONNX model: {e.Message}", e);
        }
        return Convert(proto);
    }

    internal Model Convert(ModelProto proto)
    {
        if (proto.Graph is null || proto.IrVersion <= 0)
            throw new ModelLoadException(ModelLoadError.Corrupt,
                "Not an ONNX model: the file has no graph or no IR version (wrong file type or truncated).");
        if (proto.IrVersion > 13)
            throw new ModelLoadException(ModelLoadError.Corrupt, $"IR version {proto.IrVersion} is newer than the supported 3..13.");
        _opsets = new Dictionary<string, int>();
        foreach (var o in proto.OpsetImport) _opsets[OpRegistry.NormalizeDomain(o.Domain)] = (int)o.Version;
        if (_opsets.Count == 0) _opsets[""] = 1; // IR v3 models without opset_import default to opset 1
        foreach (var f in proto.Functions) _functions[(OpRegistry.NormalizeDomain(f.Domain), f.Name)] = f;

        IRGraph graph;
        try
        {
            graph = ConvertGraph(proto.Graph, _opsets);
        }
        catch (TensorSizeException e)
        {
            throw new ModelLoadException(ModelLoadError.SizeLimit, e.Message, e);
        }
        if (!_skipBinding) GradientExpansion.Expand(graph, _opsets.TryGetValue("", out int v) ? v : 1);
        var unsupported = new List<string>();
        if (!_skipBinding) Bind(graph, unsupported, new HashSet<string>());
        if (unsupported.Count > 0) throw new UnsupportedOperatorException(unsupported);
        try
        {
            graph.TopologicalOrder();
        }
        catch (GraphValidationException e)
        {
            throw new ModelLoadException(ModelLoadError.InvalidGraph, e.Message, e);
        }
        return new Model
        {
            Graph = graph,
            IrVersion = proto.IrVersion,
            OpsetImports = new Dictionary<string, int>(_opsets),
            ProducerName = proto.ProducerName,
            Metadata = proto.MetadataProps.GroupBy(m => m.Key).ToDictionary(g => g.Key, g => g.Last().Value),
        };
    }

    private IRGraph ConvertGraph(GraphProto gp, Dictionary<string, int> opsets)
    {
        var g = new IRGraph { Name = gp.Name };
        long uncollected = 0;
        for (int i = 0; i < gp.Initializer.Count; i++)
        {
            var init = gp.Initializer[i];
            var tensor = OnnxTensorReader.Read(init, _baseDirectory, _maxTensorBytes);
            g.Initializers[init.Name] = tensor;
            // The parsed proto is this loader's own: drop each initializer's bytes once converted, so the file's copy
            // and the tensors are not held together for the whole model (collected every few MB, before the next ones).
            gp.Initializer[i] = new TensorProto { Name = init.Name };
            uncollected += init.CalculateSize();
            if (uncollected >= CollectAfterBytes)
            {
                init = null!;
                GC.Collect();
                uncollected = 0;
            }
        }
        if (gp.SparseInitializer.Count > 0)
            foreach (var sp in gp.SparseInitializer)
                g.Initializers[sp.Values.Name] = Densify(sp);
        foreach (var vi in gp.Input) g.Inputs.Add(ConvertValueInfo(vi));
        foreach (var vi in gp.Output) g.Outputs.Add(ConvertValueInfo(vi));
        foreach (var vi in gp.ValueInfo) g.ValueInfos[vi.Name] = ConvertValueInfo(vi);
        foreach (var np in gp.Node) AddNode(g, np, opsets, null, "");
        return g;
    }

    /// <summary>Adds a node, inlining it when it calls a model-local function.</summary>
    private void AddNode(IRGraph g, NodeProto np, Dictionary<string, int> opsets, Dictionary<string, AttributeProto>? outerAttrs, string prefix)
    {
        string domain = OpRegistry.NormalizeDomain(np.Domain);
        if (_functions.TryGetValue((domain, np.OpType), out var fn) && !_registry.Knows(domain, np.OpType))
        {
            InlineFunction(g, np, fn, outerAttrs, prefix);
            return;
        }
        var attrs = new Attributes();
        foreach (var a in np.Attribute)
        {
            var resolved = a;
            if (!string.IsNullOrEmpty(a.RefAttrName))
            {
                if (outerAttrs is null || !outerAttrs.TryGetValue(a.RefAttrName, out resolved!)) continue; // unset: op default
            }
            attrs.Set(a.Name, ConvertAttribute(resolved, opsets));
        }
        g.Nodes.Add(new Node
        {
            Name = np.Name,
            OpType = np.OpType,
            Domain = domain,
            Inputs = np.Input.ToArray(),
            Outputs = np.Output.ToArray(),
            Attributes = attrs,
            OpsetVersion = opsets.TryGetValue(domain, out int v) ? v : 1,
        });
    }

    private void InlineFunction(IRGraph g, NodeProto call, FunctionProto fn, Dictionary<string, AttributeProto>? outerAttrs, string prefix)
    {
        if (++_inlineCounter > 100_000)
            throw new ModelLoadException(ModelLoadError.InvalidGraph, $"Function '{fn.Name}' expands without bound (recursive functions?).");
        string local = $"{prefix}{fn.Name}_{_inlineCounter}/";
        var rename = new Dictionary<string, string>();
        for (int i = 0; i < fn.Input.Count; i++) rename[fn.Input[i]] = i < call.Input.Count ? call.Input[i] : "";
        for (int i = 0; i < fn.Output.Count; i++) rename[fn.Output[i]] = i < call.Output.Count ? call.Output[i] : "";
        string Map(string n) => n.Length == 0 ? n : rename.TryGetValue(n, out var r) ? r : local + n;

        var attrs = new Dictionary<string, AttributeProto>();
        foreach (var a in fn.AttributeProto) attrs[a.Name] = a; // defaults
        foreach (var a in call.Attribute)
        {
            if (!string.IsNullOrEmpty(a.RefAttrName))
            {
                if (outerAttrs is not null && outerAttrs.TryGetValue(a.RefAttrName, out var outer)) attrs[a.Name] = outer;
            }
            else attrs[a.Name] = a;
        }
        var fnOpsets = new Dictionary<string, int>(_opsets);
        foreach (var o in fn.OpsetImport) fnOpsets[OpRegistry.NormalizeDomain(o.Domain)] = (int)o.Version;
        foreach (var inner in fn.Node)
        {
            var copy = inner.Clone();
            copy.Input.Clear();
            copy.Input.AddRange(inner.Input.Select(Map));
            copy.Output.Clear();
            copy.Output.AddRange(inner.Output.Select(Map));
            AddNode(g, copy, fnOpsets, attrs, local);
        }
    }

    private static Tensor Densify(SparseTensorProto sp) =>
        throw new ModelLoadException(ModelLoadError.UnsupportedType, $"Sparse initializer '{sp.Values?.Name}' is not supported.");

    private AttributeValue ConvertAttribute(AttributeProto a, Dictionary<string, int> opsets)
    {
        var type = a.Type;
        if (type == AttributeProto.Types.AttributeType.Undefined) type = GuessType(a);
        return type switch
        {
            AttributeProto.Types.AttributeType.Float => new(AttributeKind.Float, a.F),
            AttributeProto.Types.AttributeType.Int => new(AttributeKind.Int, a.I),
            AttributeProto.Types.AttributeType.String => new(AttributeKind.String, a.S.ToStringUtf8()),
            AttributeProto.Types.AttributeType.Tensor => new(AttributeKind.Tensor, OnnxTensorReader.Read(a.T, _baseDirectory, _maxTensorBytes)),
            AttributeProto.Types.AttributeType.Graph => new(AttributeKind.Graph, ConvertGraph(a.G, opsets)),
            AttributeProto.Types.AttributeType.Floats => new(AttributeKind.Floats, a.Floats.ToArray()),
            AttributeProto.Types.AttributeType.Ints => new(AttributeKind.Ints, a.Ints.ToArray()),
            AttributeProto.Types.AttributeType.Strings => new(AttributeKind.Strings, a.Strings.Select(s => s.ToStringUtf8()).ToArray()),
            AttributeProto.Types.AttributeType.Tensors => new(AttributeKind.Tensors,
                a.Tensors.Select(t => OnnxTensorReader.Read(t, _baseDirectory, _maxTensorBytes)).ToArray()),
            AttributeProto.Types.AttributeType.Graphs => new(AttributeKind.Graphs, a.Graphs.Select(x => ConvertGraph(x, opsets)).ToArray()),
            AttributeProto.Types.AttributeType.TypeProto => new(AttributeKind.Type, ConvertType(a.Tp) ?? throw Bad(a)),
            AttributeProto.Types.AttributeType.TypeProtos => new(AttributeKind.Types, a.TypeProtos.Select(t => ConvertType(t)!).ToArray()),
            AttributeProto.Types.AttributeType.SparseTensor => new(AttributeKind.SparseTensor, a.SparseTensor),
            _ => throw Bad(a),
        };

        static ModelLoadException Bad(AttributeProto a) =>
            new(ModelLoadError.Corrupt, $"Attribute '{a.Name}' has an unknown or empty type.");
    }

    private static AttributeProto.Types.AttributeType GuessType(AttributeProto a)
    {
        if (a.Floats.Count > 0) return AttributeProto.Types.AttributeType.Floats;
        if (a.Ints.Count > 0) return AttributeProto.Types.AttributeType.Ints;
        if (a.Strings.Count > 0) return AttributeProto.Types.AttributeType.Strings;
        if (a.Tensors.Count > 0) return AttributeProto.Types.AttributeType.Tensors;
        if (a.Graphs.Count > 0) return AttributeProto.Types.AttributeType.Graphs;
        if (a.T is not null) return AttributeProto.Types.AttributeType.Tensor;
        if (a.G is not null) return AttributeProto.Types.AttributeType.Graph;
        if (a.HasS) return AttributeProto.Types.AttributeType.String;
        if (a.HasF) return AttributeProto.Types.AttributeType.Float;
        return AttributeProto.Types.AttributeType.Int;
    }

    internal static ValueInfo ConvertValueInfo(ValueInfoProto vi) => new(vi.Name, ConvertType(vi.Type));

    internal static TypeInfo? ConvertType(TypeProto? tp)
    {
        if (tp is null) return null;
        switch (tp.ValueCase)
        {
            case TypeProto.ValueOneofCase.TensorType:
                return TypeInfo.Tensor((DataType)tp.TensorType.ElemType, ConvertShape(tp.TensorType.Shape));
            case TypeProto.ValueOneofCase.SparseTensorType:
                return new TypeInfo(ValueKind.SparseTensor, (DataType)tp.SparseTensorType.ElemType, ConvertShape(tp.SparseTensorType.Shape));
            case TypeProto.ValueOneofCase.SequenceType:
                var se = ConvertType(tp.SequenceType.ElemType);
                return new TypeInfo(ValueKind.Sequence, se?.ElementType ?? DataType.Undefined, null, se);
            case TypeProto.ValueOneofCase.OptionalType:
                var oe = ConvertType(tp.OptionalType.ElemType);
                return new TypeInfo(ValueKind.Optional, oe?.ElementType ?? DataType.Undefined, null, oe);
            case TypeProto.ValueOneofCase.MapType:
                var me = ConvertType(tp.MapType.ValueType);
                return new TypeInfo(ValueKind.Map, me?.ElementType ?? DataType.Undefined, null, me, (DataType)tp.MapType.KeyType);
            default:
                return null;
        }
    }

    private static Dim[]? ConvertShape(TensorShapeProto? s) =>
        s?.Dim.Select(d => d.ValueCase switch
        {
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => Dim.Known(d.DimValue),
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => Dim.Named(d.DimParam),
            _ => Dim.Unknown,
        }).ToArray();

    /// <summary>Binds ops to every node (subgraphs included), collecting each unsupported op once.</summary>
    private void Bind(IRGraph g, List<string> unsupported, HashSet<string> seen)
    {
        foreach (var node in g.Nodes)
        {
            foreach (var attr in node.Attributes.All.Values)
            {
                if (attr.Value is IRGraph sub) Bind(sub, unsupported, seen);
                else if (attr.Value is IRGraph[] subs) foreach (var s in subs) Bind(s, unsupported, seen);
            }
            string label = $"{(node.Domain.Length == 0 ? "ai.onnx" : node.Domain)}:{node.OpType} (opset {node.OpsetVersion})";
            var reg = _registry.Resolve(node.Domain, node.OpType, node.OpsetVersion);
            if (reg is null)
            {
                if (seen.Add(label)) unsupported.Add($"{label}, first at node '{node.DisplayName}'");
                continue;
            }
            // Small constants only: nothing is packed here for a graph the optimizer rewrites; the session builds the
            // final ops over the weights (WeightBinding.BindFinalOps).
            var ctx = new OpBuildContext { Node = node, ConstantLookup = WeightBinding.SmallConstants(g) };
            try
            {
                node.Op = reg.Factory(ctx);
            }
            catch (Exception e) when (e is NotSupportedException or ArgumentException or KeyNotFoundException or InvalidOperationException or InvalidCastException)
            {
                string detail = $"{label} at node '{node.DisplayName}': {e.Message}";
                if (seen.Add(detail)) unsupported.Add(detail);
            }
        }
    }
}
