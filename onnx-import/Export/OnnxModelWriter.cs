using System.Globalization;
using Google.Protobuf;
using NativeInfer.IR;
using NativeInfer.Onnx.Import;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using NativeInfer.Tensors.LowPrecision;
using IRGraph = NativeInfer.IR.Graph;

namespace NativeInfer.Onnx.Export;

/// <summary>
/// Writes an IR <see cref="Model"/> as a standard ONNX ModelProto: the graph and its subgraphs (If/Loop/Scan bodies),
/// nodes with attributes of every kind, initializers of every element type the IR holds (constants made by optimizer
/// passes included), graph inputs and outputs with types and shapes, value_info for intermediate values (declared, and
/// inferred where <see cref="ShapeInference"/> knows them), and opset imports for every domain a node uses (so
/// <c>ai.nativeinfer</c> is imported when the graph holds fused nodes). The file reads back with
/// <see cref="OnnxModelLoader"/>, and a graph of standard ops runs in any ONNX runtime.
/// Initializers go inline unless they total more than <see cref="OnnxExportOptions.ExternalDataThreshold"/>; then the
/// large ones go to <c>&lt;model file name&gt;.data</c> next to the model (ONNX external data, relative location).
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>The IR version written for a model that does not carry one (built in code).</summary>
    public const long DefaultIrVersion = 8;

    private const int ExternalAlignment = 64;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/>; returns the external data file written, or null.</summary>
    /// <exception cref="NotSupportedException">An attribute or value of a kind ONNX cannot express.</exception>
    public static string? Save(Model model, string path, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        string full = Path.GetFullPath(path);
        string dataName = Path.GetFileName(full) + ".data";
        string dataPath = Path.Combine(Path.GetDirectoryName(full)!, dataName);
        ModelProto proto;
        string? written = null;
        if (InitializerBytes(model.Graph) > options.ExternalDataThreshold)
        {
            using var data = new ExternalDataWriter(dataPath, dataName, options.ExternalDataMinTensorBytes);
            proto = ToProto(model, options, data);
            written = dataPath;
        }
        else proto = ToProto(model, options, null);
        using (var fs = File.Create(full)) proto.WriteTo(fs);
        return written;
    }

    /// <summary>The model as ONNX bytes (all data inline).</summary>
    /// <exception cref="InvalidOperationException">The initializers exceed the external-data threshold: use <see cref="Save"/>.</exception>
    public static byte[] ToBytes(Model model, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxExportOptions();
        long bytes = InitializerBytes(model.Graph);
        if (bytes > options.ExternalDataThreshold)
            throw new InvalidOperationException(
                $"The model's initializers take {bytes} bytes, too many for one protobuf message; save it to a file (external data).");
        return ToProto(model, options, null).ToByteArray();
    }

    internal static ModelProto ToProto(Model model, OnnxExportOptions options, ExternalDataWriter? external)
    {
        long ir = model.IrVersion > 0 ? model.IrVersion : DefaultIrVersion;
        var writer = new GraphWriter(options, external, initializersAreInputs: ir < 4);
        var proto = new ModelProto
        {
            IrVersion = ir,
            ProducerName = options.ProducerName ?? model.ProducerName,
            Graph = writer.Write(model.Graph),
        };
        if (options.DocString is { } doc) proto.DocString = doc;
        foreach (var (domain, version) in OpsetImports(model))
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        foreach (var (k, v) in model.Metadata) proto.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        return proto;
    }

    /// <summary>The model's opset imports plus every domain its nodes (subgraphs included) use, default domain first.</summary>
    public static IReadOnlyList<(string Domain, int Version)> OpsetImports(Model model)
    {
        var imports = new Dictionary<string, int>();
        foreach (var (d, v) in model.OpsetImports) imports[Ops.OpRegistry.NormalizeDomain(d)] = v;
        var used = new Dictionary<string, int>();
        CollectDomains(model.Graph, used);
        foreach (var (d, v) in used)
            if (!imports.ContainsKey(d)) imports[d] = Math.Max(v, 1);
        return imports.OrderBy(kv => kv.Key.Length == 0 ? 0 : 1).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (kv.Key, kv.Value)).ToList();
    }

    private static void CollectDomains(IRGraph g, Dictionary<string, int> used)
    {
        foreach (var n in g.Nodes)
        {
            string d = Ops.OpRegistry.NormalizeDomain(n.Domain);
            used[d] = Math.Max(used.GetValueOrDefault(d), n.OpsetVersion);
            foreach (var sub in Subgraphs(n)) CollectDomains(sub, used);
        }
    }

    private static IEnumerable<IRGraph> Subgraphs(Node n)
    {
        foreach (var a in n.Attributes.All.Values)
        {
            if (a.Value is IRGraph g) yield return g;
            else if (a.Value is IRGraph[] gs) foreach (var x in gs) yield return x;
        }
    }

    /// <summary>Bytes of all initializers of the graph and its subgraphs.</summary>
    private static long InitializerBytes(IRGraph g)
    {
        long sum = 0;
        foreach (var t in g.Initializers.Values) sum += TensorBytes(t);
        foreach (var n in g.Nodes) foreach (var sub in Subgraphs(n)) sum += InitializerBytes(sub);
        return sum;
    }

    private static long TensorBytes(Tensor t) =>
        t is Tensor<string> s ? s.Span.ToArray().Sum(x => (long)(x?.Length ?? 0)) : (long)t.Length * DataTypes.SizeOf(t.DataType);

    /// <summary>Writes one graph (recursively its subgraphs).</summary>
    private sealed class GraphWriter(OnnxExportOptions options, ExternalDataWriter? external, bool initializersAreInputs)
    {
        public GraphProto Write(IRGraph g)
        {
            var gp = new GraphProto { Name = g.Name };
            foreach (var (name, t) in g.Initializers)
                gp.Initializer.Add(external is not null && external.Takes(t) ? external.Write(t, name) : OnnxTensorReader.Write(t, name));
            foreach (var i in g.Inputs) gp.Input.Add(ValueInfo(i.Name, i.Type));
            if (initializersAreInputs)
            {
                // Before IR 4 every initializer must also be a graph input; constants a pass added are not yet.
                var inputs = new HashSet<string>(g.Inputs.Select(i => i.Name));
                foreach (var (name, t) in g.Initializers)
                    if (!inputs.Contains(name))
                        gp.Input.Add(ValueInfo(name, TypeInfo.Tensor(t.DataType, t.Shape.Select(d => Dim.Known(d)).ToArray())));
            }
            foreach (var o in g.Outputs) gp.Output.Add(ValueInfo(o.Name, o.Type));
            foreach (var n in g.Nodes) gp.Node.Add(Node(n));
            WriteValueInfo(g, gp);
            return gp;
        }

        private void WriteValueInfo(IRGraph g, GraphProto gp)
        {
            Dictionary<string, TypeInfo>? inferred = null;
            if (options.InferValueInfo)
            {
                try
                {
                    inferred = ShapeInference.Run(g);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    inferred = null; // value_info is advisory: write the declared types only
                }
            }
            var skip = new HashSet<string>(g.Inputs.Select(i => i.Name));
            skip.UnionWith(g.Outputs.Select(o => o.Name));
            skip.UnionWith(g.Initializers.Keys);
            foreach (var n in g.Nodes)
                foreach (var name in n.Outputs)
                {
                    if (name.Length == 0 || !skip.Add(name)) continue;
                    var type = inferred?.GetValueOrDefault(name) ?? g.ValueInfos.GetValueOrDefault(name)?.Type;
                    if (type is not null && IsComplete(type)) gp.ValueInfo.Add(ValueInfo(name, type));
                }
        }

        /// <summary>False for types a runtime's checker would refuse in value_info (an undefined element type).</summary>
        private static bool IsComplete(TypeInfo t) => t.Kind switch
        {
            ValueKind.Tensor or ValueKind.SparseTensor => t.ElementType != DataType.Undefined,
            ValueKind.Map => t.KeyType != DataType.Undefined && t.Element is not null && IsComplete(t.Element),
            _ => t.Element is not null && IsComplete(t.Element),
        };

        private NodeProto Node(Node n)
        {
            var np = new NodeProto { Name = n.Name, OpType = n.OpType, Domain = Ops.OpRegistry.NormalizeDomain(n.Domain) };
            np.Input.AddRange(n.Inputs);
            np.Output.AddRange(n.Outputs);
            foreach (var (name, value) in n.Attributes.All) np.Attribute.Add(Attribute(n, name, value));
            if (options.NodeDocString?.Invoke(n) is { Length: > 0 } doc) np.DocString = doc;
            return np;
        }

        private AttributeProto Attribute(Node n, string name, AttributeValue a)
        {
            var p = new AttributeProto { Name = name };
            var v = a.Value;
            switch (a.Kind)
            {
                case AttributeKind.Float:
                    p.Type = AttributeProto.Types.AttributeType.Float;
                    p.F = Convert.ToSingle(v, CultureInfo.InvariantCulture);
                    break;
                case AttributeKind.Int:
                    p.Type = AttributeProto.Types.AttributeType.Int;
                    p.I = Convert.ToInt64(v, CultureInfo.InvariantCulture);
                    break;
                case AttributeKind.String:
                    p.Type = AttributeProto.Types.AttributeType.String;
                    p.S = ByteString.CopyFromUtf8((string)v);
                    break;
                case AttributeKind.Tensor:
                    p.Type = AttributeProto.Types.AttributeType.Tensor;
                    p.T = OnnxTensorReader.Write((Tensor)v);
                    break;
                case AttributeKind.Graph:
                    p.Type = AttributeProto.Types.AttributeType.Graph;
                    p.G = Write((IRGraph)v);
                    break;
                case AttributeKind.Floats:
                    p.Type = AttributeProto.Types.AttributeType.Floats;
                    p.Floats.AddRange((float[])v);
                    break;
                case AttributeKind.Ints:
                    p.Type = AttributeProto.Types.AttributeType.Ints;
                    p.Ints.AddRange((long[])v);
                    break;
                case AttributeKind.Strings:
                    p.Type = AttributeProto.Types.AttributeType.Strings;
                    p.Strings.AddRange(((string[])v).Select(ByteString.CopyFromUtf8));
                    break;
                case AttributeKind.Tensors:
                    p.Type = AttributeProto.Types.AttributeType.Tensors;
                    p.Tensors.AddRange(((Tensor[])v).Select(t => OnnxTensorReader.Write(t)));
                    break;
                case AttributeKind.Graphs:
                    p.Type = AttributeProto.Types.AttributeType.Graphs;
                    p.Graphs.AddRange(((IRGraph[])v).Select(Write));
                    break;
                case AttributeKind.Type:
                    p.Type = AttributeProto.Types.AttributeType.TypeProto;
                    p.Tp = Type((TypeInfo)v);
                    break;
                case AttributeKind.Types:
                    p.Type = AttributeProto.Types.AttributeType.TypeProtos;
                    p.TypeProtos.AddRange(((TypeInfo[])v).Select(Type));
                    break;
                case AttributeKind.SparseTensor when v is SparseTensorProto sparse:
                    p.Type = AttributeProto.Types.AttributeType.SparseTensor;
                    p.SparseTensor = sparse;
                    break;
                default:
                    throw new NotSupportedException(
                        $"Node {n}: attribute '{name}' of kind {a.Kind} ({v?.GetType().Name}) cannot be written to ONNX.");
            }
            return p;
        }
    }

    internal static ValueInfoProto ValueInfo(string name, TypeInfo? type)
    {
        var vi = new ValueInfoProto { Name = name };
        if (type is not null) vi.Type = Type(type);
        return vi;
    }

    internal static TypeProto Type(TypeInfo t)
    {
        var tp = new TypeProto();
        switch (t.Kind)
        {
            case ValueKind.Tensor:
                tp.TensorType = new TypeProto.Types.Tensor { ElemType = (int)t.ElementType };
                if (t.Shape is not null) tp.TensorType.Shape = Shape(t.Shape);
                break;
            case ValueKind.SparseTensor:
                tp.SparseTensorType = new TypeProto.Types.SparseTensor { ElemType = (int)t.ElementType };
                if (t.Shape is not null) tp.SparseTensorType.Shape = Shape(t.Shape);
                break;
            case ValueKind.Sequence:
                tp.SequenceType = new TypeProto.Types.Sequence();
                if (t.Element is not null) tp.SequenceType.ElemType = Type(t.Element);
                break;
            case ValueKind.Optional:
                tp.OptionalType = new TypeProto.Types.Optional();
                if (t.Element is not null) tp.OptionalType.ElemType = Type(t.Element);
                break;
            case ValueKind.Map:
                tp.MapType = new TypeProto.Types.Map { KeyType = (int)t.KeyType };
                if (t.Element is not null) tp.MapType.ValueType = Type(t.Element);
                break;
            default:
                throw new NotSupportedException($"Value kind {t.Kind} cannot be written to ONNX.");
        }
        return tp;
    }

    private static TensorShapeProto Shape(Dim[] dims)
    {
        var s = new TensorShapeProto();
        foreach (var d in dims)
        {
            var pd = new TensorShapeProto.Types.Dimension();
            if (d.IsKnown) pd.DimValue = d.Value;
            else if (d.Symbol is { } sym) pd.DimParam = sym;
            s.Dim.Add(pd);
        }
        return s;
    }

    /// <summary>Appends initializer bytes to one external data file (offsets aligned to 64 bytes).</summary>
    internal sealed class ExternalDataWriter(string path, string location, long minTensorBytes) : IDisposable
    {
        private readonly FileStream _file = File.Create(path);

        public bool Takes(Tensor t) => t is not Tensor<string> && TensorBytes(t) >= minTensorBytes;

        public TensorProto Write(Tensor t, string name)
        {
            long pad = (ExternalAlignment - _file.Position % ExternalAlignment) % ExternalAlignment;
            for (long i = 0; i < pad; i++) _file.WriteByte(0);
            long offset = _file.Position;
            if (DataTypes.IsLowPrecision(t.DataType)) _file.Write(SubBytePacking.Pack(t));
            else _file.Write(t.RawBytes());
            var p = new TensorProto { Name = name, DataType = (int)t.DataType, DataLocation = TensorProto.Types.DataLocation.External };
            foreach (int d in t.Shape) p.Dims.Add(d);
            p.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
            p.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
            p.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = (_file.Position - offset).ToString(CultureInfo.InvariantCulture) });
            return p;
        }

        public void Dispose() => _file.Dispose();
    }
}
