using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;

namespace NativeInfer.Tests.Support;

/// <summary>Builds a GraphProto (a Loop/If/Scan body, or a whole model's graph) node by node.</summary>
internal sealed class SubgraphBuilder(string name = "body")
{
    private int _nodes;

    public GraphProto Graph { get; } = new() { Name = name };

    /// <summary>A graph input; <paramref name="dims"/> null leaves the shape unknown, empty means a scalar.</summary>
    public SubgraphBuilder Input(string name, DataType type, long[]? dims = null)
    {
        Graph.Input.Add(new ValueInfoProto { Name = name, Type = OpHarness.TensorType(type, dims) });
        return this;
    }

    public SubgraphBuilder SequenceInput(string name, DataType elementType)
    {
        Graph.Input.Add(new ValueInfoProto { Name = name, Type = OpHarness.TypeOf(new SequenceValue(elementType)) });
        return this;
    }

    public SubgraphBuilder Output(string name, DataType type, long[]? dims = null)
    {
        Graph.Output.Add(new ValueInfoProto { Name = name, Type = OpHarness.TensorType(type, dims) });
        return this;
    }

    /// <summary>An output whose type is left for the engine to find.</summary>
    public SubgraphBuilder Output(string name)
    {
        Graph.Output.Add(new ValueInfoProto { Name = name });
        return this;
    }

    public SubgraphBuilder Initializer(string name, Tensor t)
    {
        Graph.Initializer.Add(NativeInfer.Onnx.Import.OnnxTensorReader.Write(t, name));
        return this;
    }

    public SubgraphBuilder Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = opType, Name = $"{Graph.Name}_{opType}_{_nodes++}" };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        Graph.Node.Add(n);
        return this;
    }

    /// <summary>Wraps this graph as the main graph of a model importing the default domain at <paramref name="opset"/>.</summary>
    public ModelProto ToModel(int opset)
    {
        var m = new ModelProto { IrVersion = 8, ProducerName = "nativeinfer-tests", Graph = Graph };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return m;
    }
}
