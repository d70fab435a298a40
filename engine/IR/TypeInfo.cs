using NativeInfer.Tensors;

namespace NativeInfer.IR;

/// <summary>One dimension: a known size, a named symbolic size, or unknown.</summary>
public readonly record struct Dim(long Value, string? Symbol)
{
    public static Dim Known(long v) => new(v, null);
    public static Dim Named(string s) => new(-1, s);
    public static readonly Dim Unknown = new(-1, null);
    public bool IsKnown => Value >= 0;
    public override string ToString() => IsKnown ? Value.ToString() : Symbol ?? "?";
}

public enum ValueKind { Tensor, Sequence, Optional, Map, SparseTensor }

/// <summary>The type of a graph value: a tensor (element type + optional shape), a sequence, an optional or a map.</summary>
public sealed record TypeInfo(ValueKind Kind, DataType ElementType, Dim[]? Shape = null, TypeInfo? Element = null, DataType KeyType = DataType.Undefined)
{
    public static TypeInfo Tensor(DataType t, Dim[]? shape = null) => new(ValueKind.Tensor, t, shape);

    public override string ToString() => Kind switch
    {
        ValueKind.Tensor => $"{DataTypes.Name(ElementType)}{(Shape is null ? "" : "[" + string.Join(",", Shape) + "]")}",
        ValueKind.Sequence => $"seq({Element})",
        ValueKind.Optional => $"optional({Element})",
        ValueKind.Map => $"map({DataTypes.Name(KeyType)},{Element})",
        _ => Kind.ToString(),
    };
}

/// <summary>A named, typed graph value (input, output or intermediate).</summary>
public sealed record ValueInfo(string Name, TypeInfo? Type);
