using Google.Protobuf;
using NativeInfer.Onnx.Import;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using AttrType = NativeInfer.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace NativeInfer.Tests.Support;

/// <summary>Short constructors for ONNX attributes in tests.</summary>
internal static class Attr
{
    public static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttrType.Int, I = v };

    public static AttributeProto Float(string name, float v) => new() { Name = name, Type = AttrType.Float, F = v };

    public static AttributeProto Str(string name, string v) => new() { Name = name, Type = AttrType.String, S = ByteString.CopyFromUtf8(v) };

    public static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttrType.Ints };
        a.Ints.AddRange(v);
        return a;
    }

    public static AttributeProto Floats(string name, params float[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttrType.Floats };
        a.Floats.AddRange(v);
        return a;
    }

    public static AttributeProto Graph(string name, GraphProto g) => new() { Name = name, Type = AttrType.Graph, G = g };

    public static AttributeProto Tensor(string name, Tensor t) => new() { Name = name, Type = AttrType.Tensor, T = OnnxTensorReader.Write(t, name) };
}
