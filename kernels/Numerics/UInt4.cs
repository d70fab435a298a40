namespace NativeInfer.Kernels.Numerics;

/// <summary>
/// ONNX UINT4: an unsigned 4-bit integer, 0..15, held unpacked as one <see cref="byte"/> per element (files pack two per byte).
/// Conversions from wider integers and from float/double (truncated toward zero) keep the low 4 bits, as integer
/// casts do; <see cref="Saturate"/> clamps instead (QuantizeLinear).
/// </summary>
public readonly struct UInt4 : IEquatable<UInt4>, IComparable<UInt4>
{
    public const int MinValue = 0;
    public const int MaxValue = 15;

    public readonly byte Value;

    private UInt4(int value) => Value = (byte)value;

    /// <summary>The low 4 bits of <paramref name="value"/> (two's complement wrap).</summary>
    public static UInt4 Wrap(long value) => new(SubByteInteger.Wrap(value, 4, false));

    /// <summary><paramref name="value"/> clamped to [<see cref="MinValue"/>, <see cref="MaxValue"/>].</summary>
    public static UInt4 Saturate(long value) => new((int)Math.Clamp(value, MinValue, MaxValue));

    /// <summary>From the 4-bit field of a packed byte (higher bits ignored).</summary>
    public static UInt4 FromBits(int bits) => Wrap(bits);

    /// <summary>The 4-bit field written to packed data.</summary>
    public byte Bits => (byte)(Value & ((1 << 4) - 1));

    public static implicit operator int(UInt4 value) => value.Value;
    public static explicit operator UInt4(long value) => Wrap(value);
    public static explicit operator UInt4(double value) => Wrap(SubByteInteger.Truncate(value));
    public static explicit operator UInt4(float value) => Wrap(SubByteInteger.Truncate(value));

    public bool Equals(UInt4 other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is UInt4 v && Equals(v);
    public override int GetHashCode() => Value;
    public int CompareTo(UInt4 other) => Value.CompareTo(other.Value);
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
