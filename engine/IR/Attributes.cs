using NativeInfer.Tensors;

namespace NativeInfer.IR;

public enum AttributeKind { Float, Int, String, Tensor, Graph, Floats, Ints, Strings, Tensors, Graphs, Type, Types, SparseTensor }

/// <summary>One node attribute, already decoded from the model format.</summary>
public sealed record AttributeValue(AttributeKind Kind, object Value)
{
    public override string ToString() => Value switch
    {
        long[] a => "[" + string.Join(",", a) + "]",
        float[] a => "[" + string.Join(",", a) + "]",
        string[] a => "[" + string.Join(",", a) + "]",
        _ => Value?.ToString() ?? "",
    };
}

/// <summary>A node's attributes with typed accessors; missing attributes fall back to the given default.</summary>
public sealed class Attributes
{
    private readonly Dictionary<string, AttributeValue> _values;

    public Attributes(Dictionary<string, AttributeValue>? values = null) => _values = values ?? new();

    public static Attributes Empty => new();

    public IReadOnlyDictionary<string, AttributeValue> All => _values;

    public bool Has(string name) => _values.ContainsKey(name);

    public void Set(string name, AttributeValue value) => _values[name] = value;

    public long Int(string name, long defaultValue) => _values.TryGetValue(name, out var v) ? (long)v.Value : defaultValue;
    public long Int(string name) => (long)Required(name).Value;
    public float Float(string name, float defaultValue) => _values.TryGetValue(name, out var v) ? (float)v.Value : defaultValue;
    public float Float(string name) => (float)Required(name).Value;
    public string String(string name, string defaultValue) => _values.TryGetValue(name, out var v) ? (string)v.Value : defaultValue;
    public string String(string name) => (string)Required(name).Value;
    public long[]? Ints(string name) => _values.TryGetValue(name, out var v) ? (long[])v.Value : null;
    public float[]? Floats(string name) => _values.TryGetValue(name, out var v) ? (float[])v.Value : null;
    public string[]? Strings(string name) => _values.TryGetValue(name, out var v) ? (string[])v.Value : null;
    public Tensor? Tensor(string name) => _values.TryGetValue(name, out var v) ? (Tensor)v.Value : null;
    public Tensor[]? Tensors(string name) => _values.TryGetValue(name, out var v) ? (Tensor[])v.Value : null;
    public Graph? Graph(string name) => _values.TryGetValue(name, out var v) ? (Graph)v.Value : null;
    public Graph[]? Graphs(string name) => _values.TryGetValue(name, out var v) ? (Graph[])v.Value : null;
    public TypeInfo? Type(string name) => _values.TryGetValue(name, out var v) ? (TypeInfo)v.Value : null;

    private AttributeValue Required(string name) =>
        _values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"Required attribute '{name}' is missing.");
}
