using NativeInfer.IR;

namespace NativeInfer.Tensors;

/// <summary>Anything that flows along a graph edge: a tensor, a sequence of tensors, an optional or a map.</summary>
public abstract class Value
{
    /// <summary>This value as a tensor; throws when it is a sequence, optional or map.</summary>
    public Tensor AsTensor() => this as Tensor
        ?? throw new InvalidOperationException($"Expected a tensor but got a {GetType().Name}.");
}

/// <summary>An ordered list of tensors of one element type (ONNX seq(tensor)).</summary>
public sealed class SequenceValue : Value
{
    public SequenceValue(DataType elementType, IEnumerable<Tensor>? items = null)
    {
        ElementType = elementType;
        Items = items is null ? new List<Tensor>() : new List<Tensor>(items);
    }

    public DataType ElementType { get; }
    public List<Tensor> Items { get; }
}

/// <summary>An ONNX optional: either holds a value or is empty.</summary>
public sealed class OptionalValue : Value
{
    public OptionalValue(TypeInfo elementType, Value? inner)
    {
        ElementType = elementType;
        Inner = inner;
    }

    public TypeInfo ElementType { get; }
    public Value? Inner { get; }
    public bool HasValue => Inner is not null;
}

/// <summary>An ONNX map from integer or string keys to values.</summary>
public sealed class MapValue : Value
{
    public MapValue(DataType keyType, Tensor keys, Value values)
    {
        KeyType = keyType;
        Keys = keys;
        Values = values;
    }

    public DataType KeyType { get; }
    public Tensor Keys { get; }
    public Value Values { get; }
}
