using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>Checked reads of the values control-flow and sequence ops exchange: sequences, conditions, positions.</summary>
internal static class FlowValues
{
    /// <summary>Input i as a sequence; throws when it is missing or of another kind.</summary>
    public static SequenceValue Sequence(Value?[] inputs, int i, string what) =>
        (i < inputs.Length ? inputs[i] : null) switch
        {
            SequenceValue s => s,
            null => throw new ArgumentException($"Required input '{what}' is missing."),
            var other => throw new InvalidOperationException($"Input '{what}' must be a sequence, got a {Describe(other)}."),
        };

    /// <summary>Input i as a tensor, or null when omitted; throws when it is a sequence, optional or map.</summary>
    public static Tensor? OptTensor(Value?[] inputs, int i, string what) =>
        (i < inputs.Length ? inputs[i] : null) switch
        {
            null => null,
            Tensor t => t,
            var other => throw new InvalidOperationException($"Input '{what}' must be a tensor, got a {Describe(other)}."),
        };

    /// <summary>Input i as a tensor; throws when missing.</summary>
    public static Tensor Tensor(Value?[] inputs, int i, string what) =>
        OptTensor(inputs, i, what) ?? throw new ArgumentException($"Required input '{what}' is missing.");

    /// <summary>The value of a one-element bool tensor (a branch or loop condition).</summary>
    public static bool Condition(Value? v, string what)
    {
        if (v is not Tensor<bool> t)
            throw new InvalidOperationException($"'{what}' must be a bool tensor, got {(v is null ? "nothing" : Describe(v))}.");
        if (t.Length != 1) throw new ShapeMismatchException($"'{what}' must hold one element, got shape {ShapeUtil.Format(t.Shape)}.");
        return t[0];
    }

    /// <summary>The value of a one-element int32/int64 tensor (a position or count).</summary>
    public static long Integer(Tensor t, string what)
    {
        if (t.DataType is not (DataType.Int32 or DataType.Int64))
            throw new InvalidOperationException($"'{what}' must be int32 or int64, got {DataTypes.Name(t.DataType)}.");
        if (t.Length != 1) throw new ShapeMismatchException($"'{what}' must hold one element, got shape {ShapeUtil.Format(t.Shape)}.");
        return t.ToInt64Array()[0];
    }

    /// <summary>
    /// Maps a possibly negative sequence position into [0, count) (or [0, count] when <paramref name="allowEnd"/>),
    /// throwing when it is outside.
    /// </summary>
    public static int Position(long position, int count, bool allowEnd)
    {
        long p = position < 0 ? position + count : position;
        long max = allowEnd ? count : count - 1;
        if (p < 0 || p > max)
            throw new ArgumentOutOfRangeException(nameof(position),
                $"Position {position} is out of range for a sequence of {count} element(s).");
        return (int)p;
    }

    /// <summary>The type of a runtime value.</summary>
    public static TypeInfo TypeOf(Value v) => v switch
    {
        Tensors.Tensor t => TypeInfo.Tensor(t.DataType, t.Shape.Select(d => Dim.Known(d)).ToArray()),
        SequenceValue s => new TypeInfo(ValueKind.Sequence, s.ElementType, null, TypeInfo.Tensor(s.ElementType)),
        OptionalValue o => new TypeInfo(ValueKind.Optional, o.ElementType.ElementType, null, o.ElementType),
        MapValue m => new TypeInfo(ValueKind.Map, DataType.Undefined, null, null, m.KeyType),
        _ => throw new NotSupportedException($"Unknown value kind {v.GetType().Name}."),
    };

    /// <summary>A short description of a value for error messages.</summary>
    public static string Describe(Value v) => v switch
    {
        Tensors.Tensor t => $"tensor {t}",
        SequenceValue s => $"sequence of {DataTypes.Name(s.ElementType)} ({s.Items.Count} items)",
        OptionalValue o => o.HasValue ? $"optional holding a {Describe(o.Inner!)}" : "empty optional",
        _ => v.GetType().Name,
    };

    /// <summary>The element type a subgraph output declares for its tensors; float when undeclared.</summary>
    public static DataType DeclaredElementType(TypeInfo? declared) =>
        declared is { Kind: ValueKind.Tensor } t && DataTypes.IsSupported(t.ElementType) ? t.ElementType : DataType.Float;

    /// <summary>Checks that a tensor may be stored in a sequence of <paramref name="elementType"/>.</summary>
    public static void CheckElement(DataType elementType, Tensors.Tensor t, string what)
    {
        if (elementType != DataType.Undefined && t.DataType != elementType)
            throw new InvalidOperationException(
                $"{what}: a {DataTypes.Name(t.DataType)} tensor cannot join a sequence of {DataTypes.Name(elementType)}.");
    }
}
