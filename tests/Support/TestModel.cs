using Google.Protobuf;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;

namespace NativeInfer.Tests.Support;

/// <summary>Builds small ONNX models in code for tests.</summary>
internal sealed class TestModel
{
    private readonly ModelProto _model;
    private GraphProto Graph => _model.Graph;

    public TestModel(int opset = 17, string domain = "")
    {
        _model = new ModelProto { IrVersion = 8, ProducerName = "nativeinfer-tests", Graph = new GraphProto { Name = "test" } };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = opset });
    }

    public ModelProto Proto => _model;

    public TestModel Opset(string domain, int version)
    {
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        return this;
    }

    public TestModel Input(string name, DataType type, params long[] dims) { Graph.Input.Add(Info(name, type, dims)); return this; }

    /// <summary>An input with symbolic dims: strings are dim_params, numbers dim_values.</summary>
    public TestModel InputSymbolic(string name, DataType type, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d is string s ? new TensorShapeProto.Types.Dimension { DimParam = s }
                                        : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d) });
        Graph.Input.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } });
        return this;
    }

    public TestModel Output(string name, DataType type, params long[] dims) { Graph.Output.Add(Info(name, type, dims)); return this; }

    public TestModel Initializer(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)DataType.Float };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(values);
        Graph.Initializer.Add(t);
        return this;
    }

    public TestModel RawInitializer(TensorProto t) { Graph.Initializer.Add(t); return this; }

    public TestModel Node(string opType, string[] inputs, string[] outputs, string domain = "", params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = opType, Domain = domain, Name = $"{opType}_{Graph.Node.Count}" };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        Graph.Node.Add(n);
        return this;
    }

    public static AttributeProto IntAttr(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };

    public byte[] ToBytes() => _model.ToByteArray();

    private static ValueInfoProto Info(string name, DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }
}
