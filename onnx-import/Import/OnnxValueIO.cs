using Google.Protobuf;
using NativeInfer.Errors;
using NativeInfer.IR;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;

namespace NativeInfer.Onnx.Import;

/// <summary>
/// Reads and writes graph values as ONNX protobuf files: TensorProto for tensors, SequenceProto, OptionalProto and
/// MapProto for the others (the format of the ONNX test suite's input_N.pb / output_N.pb).
/// </summary>
public static class OnnxValueIO
{
    public static Tensor ReadTensor(string path) => ReadTensor(File.ReadAllBytes(path));

    public static Tensor ReadTensor(byte[] bytes)
    {
        try
        {
            return OnnxTensorReader.Read(TensorProto.Parser.ParseFrom(bytes), null, TensorLimits.DefaultMaxTensorBytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelLoadException(ModelLoadError.Corrupt, $"Not a readable TensorProto: {e.Message}", e);
        }
    }

    /// <summary>Reads a value whose expected type is <paramref name="type"/> (null = tensor).</summary>
    public static Value? ReadValue(string path, TypeInfo? type)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            return (type?.Kind ?? ValueKind.Tensor) switch
            {
                ValueKind.Sequence => FromSequence(SequenceProto.Parser.ParseFrom(bytes)),
                ValueKind.Optional => FromOptional(OptionalProto.Parser.ParseFrom(bytes), type!),
                ValueKind.Map => FromMap(MapProto.Parser.ParseFrom(bytes)),
                _ => ReadTensor(bytes),
            };
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelLoadException(ModelLoadError.Corrupt, $"'{path}' is not readable: {e.Message}", e);
        }
    }

    private static Tensor T(TensorProto p) => OnnxTensorReader.Read(p, null, TensorLimits.DefaultMaxTensorBytes);

    private static SequenceValue FromSequence(SequenceProto p)
    {
        var items = p.TensorValues.Select(T).ToList();
        var et = items.Count > 0 ? items[0].DataType : DataType.Undefined;
        return new SequenceValue(et, items);
    }

    private static OptionalValue FromOptional(OptionalProto p, TypeInfo type)
    {
        Value? inner = p.ElemType switch
        {
            (int)OptionalProto.Types.DataType.Tensor when p.TensorValue is not null => T(p.TensorValue),
            (int)OptionalProto.Types.DataType.Sequence when p.SequenceValue is not null => FromSequence(p.SequenceValue),
            _ => null,
        };
        return new OptionalValue(type.Element ?? TypeInfo.Tensor(DataType.Undefined), inner);
    }

    private static MapValue FromMap(MapProto p)
    {
        var keyType = (DataType)p.KeyType;
        Tensor keys = keyType == DataType.String
            ? new Tensor<string>(p.StringKeys.Select(s => s.ToStringUtf8()).ToArray(), new[] { p.StringKeys.Count })
            : new Tensor<long>(p.Keys.ToArray(), new[] { p.Keys.Count });
        return new MapValue(keyType, keys, FromSequence(p.Values));
    }

    /// <summary>Writes a tensor as a TensorProto file.</summary>
    public static void WriteTensor(string path, Tensor t, string name = "")
    {
        using var fs = File.Create(path);
        OnnxTensorReader.Write(t, name).WriteTo(fs);
    }

    /// <summary>Writes any value: tensors as TensorProto, sequences as SequenceProto, optionals as OptionalProto.</summary>
    public static void WriteValue(string path, Value? v, string name = "")
    {
        IMessage msg = v switch
        {
            Tensor t => OnnxTensorReader.Write(t, name),
            SequenceValue s => ToSequence(s, name),
            OptionalValue o => ToOptional(o, name),
            _ => throw new NotSupportedException($"Cannot write a {v?.GetType().Name ?? "null"} value."),
        };
        using var fs = File.Create(path);
        msg.WriteTo(fs);
    }

    private static SequenceProto ToSequence(SequenceValue s, string name)
    {
        var p = new SequenceProto { Name = name, ElemType = (int)SequenceProto.Types.DataType.Tensor };
        foreach (var t in s.Items) p.TensorValues.Add(OnnxTensorReader.Write(t));
        return p;
    }

    private static OptionalProto ToOptional(OptionalValue o, string name)
    {
        var p = new OptionalProto { Name = name };
        switch (o.Inner)
        {
            case Tensor t: p.ElemType = (int)OptionalProto.Types.DataType.Tensor; p.TensorValue = OnnxTensorReader.Write(t); break;
            case SequenceValue s: p.ElemType = (int)OptionalProto.Types.DataType.Sequence; p.SequenceValue = ToSequence(s, ""); break;
        }
        return p;
    }
}
