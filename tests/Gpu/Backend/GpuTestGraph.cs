using Google.Protobuf;
using NativeInfer.IR;
using NativeInfer.Onnx.Import;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;

namespace NativeInfer.Tests.Gpu.Backend;

/// <summary>A small ONNX graph built in code for the GPU backend tests: fed inputs, initializers, nodes, outputs.</summary>
internal sealed class GpuTestGraph
{
    private readonly ModelProto _model;
    private int _nodes;

    public GpuTestGraph(int opset = 21)
    {
        _model = new ModelProto { IrVersion = 8, ProducerName = "nativeinfer-gpu-tests", Graph = new GraphProto { Name = "gpu" } };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    public Dictionary<string, Value> Feeds { get; } = new();

    /// <summary>A fed input, declared with its element type and (unless <paramref name="declareShape"/> is false) shape.</summary>
    public GpuTestGraph Input(string name, Tensor value, bool declareShape = true)
    {
        var type = value is Tensor t && declareShape ? OpHarness.TensorType(t.DataType, t.Shape.Select(d => (long)d).ToArray()) : OpHarness.TypeOf(value);
        _model.Graph.Input.Add(new ValueInfoProto { Name = name, Type = type });
        Feeds[name] = value;
        return this;
    }

    public GpuTestGraph Const(string name, Tensor value)
    {
        _model.Graph.Initializer.Add(OnnxTensorReader.Write(value, name));
        return this;
    }

    public GpuTestGraph Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"n{_nodes++}_{opType}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _model.Graph.Node.Add(node);
        return this;
    }

    public GpuTestGraph Output(params string[] names)
    {
        foreach (var n in names) _model.Graph.Output.Add(new ValueInfoProto { Name = n });
        return this;
    }

    public byte[] Bytes => _model.ToByteArray();

    public Model Load() => new OnnxModelLoader().Load(Bytes);

    /// <summary>A float tensor of uniform values in [lo, hi) from a fixed seed.</summary>
    public static Tensor<float> Random(int seed, int[] shape, float lo = -2f, float hi = 2f)
    {
        var rng = new Random(seed);
        var data = new float[ShapeUtil.ElementCount(shape)];
        for (int i = 0; i < data.Length; i++) data[i] = lo + (hi - lo) * rng.NextSingle();
        return new Tensor<float>(data, shape);
    }
}
