using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>Output type helpers for the InferOutputs hooks of this family (never throw: unknown stays null).</summary>
internal static class MiscTypes
{
    /// <summary>Input i's type with its element type replaced by <paramref name="type"/> (when given).</summary>
    public static TypeInfo? Like(TypeInfo?[] inputs, int i, DataType? type = null)
    {
        var t = i < inputs.Length ? inputs[i] : null;
        if (t is null) return type is { } d ? TypeInfo.Tensor(d) : null;
        return type is { } e ? t with { ElementType = e } : t;
    }

    /// <summary>A tensor of <paramref name="type"/> whose rank is known but not its dims.</summary>
    public static TypeInfo OfRank(DataType type, int rank) => TypeInfo.Tensor(type, Enumerable.Repeat(Dim.Unknown, rank).ToArray());

    /// <summary>Element type and rank of input i, dims unknown (a resampled or transformed tensor).</summary>
    public static TypeInfo? SameRank(TypeInfo?[] inputs, int i, int rankDelta = 0)
    {
        var t = i < inputs.Length ? inputs[i] : null;
        if (t is null || t.Kind != ValueKind.Tensor) return null;
        return t.Shape is null ? TypeInfo.Tensor(t.ElementType) : OfRank(t.ElementType, t.Shape.Length + rankDelta);
    }

    /// <summary>The element type of input i, or null.</summary>
    public static DataType? ElementType(TypeInfo?[] inputs, int i) => i < inputs.Length ? inputs[i]?.ElementType : null;
}
