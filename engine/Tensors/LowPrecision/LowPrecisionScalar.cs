using NativeInfer.Kernels.Numerics;

namespace NativeInfer.Tensors.LowPrecision;

/// <summary>
/// Per-element helpers for ops that write low-precision tensors (QuantizeLinear) or read them (DequantizeLinear:
/// <see cref="Tensor.GetDouble"/> already gives every low-precision element's exact value).
/// </summary>
public static class LowPrecisionScalar
{
    /// <summary>Smallest and largest value of an integer type, the 2- and 4-bit ones included.</summary>
    public static (long Min, long Max) IntegerRange(DataType t) => t switch
    {
        DataType.Int2 => (Int2.MinValue, Int2.MaxValue),
        DataType.UInt2 => (UInt2.MinValue, UInt2.MaxValue),
        DataType.Int4 => (Int4.MinValue, Int4.MaxValue),
        DataType.UInt4 => (UInt4.MinValue, UInt4.MaxValue),
        DataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        DataType.UInt8 => (byte.MinValue, byte.MaxValue),
        DataType.Int16 => (short.MinValue, short.MaxValue),
        DataType.UInt16 => (ushort.MinValue, ushort.MaxValue),
        DataType.Int32 => (int.MinValue, int.MaxValue),
        DataType.UInt32 => (uint.MinValue, uint.MaxValue),
        DataType.Int64 => (long.MinValue, long.MaxValue),
        _ => throw new NotSupportedException($"{DataTypes.Name(t)} is not an integer type with a range."),
    };

    /// <summary>
    /// Stores <paramref name="value"/> into element <paramref name="index"/> with Cast semantics: float8/float4 round to
    /// nearest even and saturate per the flag, e8m0 rounds by <paramref name="roundMode"/>, integers truncate and wrap.
    /// Any other element type: <see cref="Tensor.SetDouble"/>.
    /// </summary>
    public static void SetCast(Tensor dst, int index, double value, bool saturate, E8M0RoundMode roundMode = E8M0RoundMode.Up)
    {
        if (!DataTypes.IsLowPrecision(dst.DataType)) { dst.SetDouble(index, value); return; }
        SubBytePacking.ElementBytes(dst)[index] = DataTypes.IsInteger(dst.DataType)
            ? LowPrecisionCast.EncodeInteger(dst.DataType, LowPrecisionCast.TruncateToInt64(value))
            : LowPrecisionCast.EncodeFloat(dst.DataType, value, saturate, roundMode);
    }

    /// <summary>
    /// Stores <paramref name="value"/> with QuantizeLinear semantics: integer types (every width) round half to even
    /// and clamp to their range (NaN stores 0); float types convert as <see cref="SetCast"/> does.
    /// </summary>
    public static void SetQuantized(Tensor dst, int index, double value, bool saturate)
    {
        if (!DataTypes.IsInteger(dst.DataType)) { SetCast(dst, index, value, saturate); return; }
        var (min, max) = IntegerRange(dst.DataType);
        double r = double.IsNaN(value) ? 0 : Math.Clamp(Math.Round(value, MidpointRounding.ToEven), min, max);
        if (DataTypes.IsLowPrecision(dst.DataType))
            SubBytePacking.ElementBytes(dst)[index] = LowPrecisionCast.EncodeInteger(dst.DataType, (long)r);
        else dst.SetDouble(index, r);
    }
}
