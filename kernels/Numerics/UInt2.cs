namespace NativeInfer.Kernels.Numerics;

/// <summary>
/// ONNX UINT2: an unsigned 2-bit integer, 0..3, held unpacked as one <see cref="byte"/> per element (files pack four per byte).
/// Conversions from wider integers and from float/double (truncated toward zero) keep the low 2 bits, as integer
/// casts do; <see cref="Saturate"/> clamps instead (QuantizeLinear).
/// </summary>
public readonly struct UInt2 : IEquatable<UInt2>, IComparable<UInt2>
{
    public const int MinValue = 0;
    public const int MaxValue = 3;

    public readonly byte Value;

    private UInt2(int value) => Value = (byte)value;

    /// <summary>The low 2 bits of <paramref name="value"/> (two's complement wrap).</summary>
    public static UInt2 Wrap(long value) => new(SubByteInteger.Wrap(value, 2, false));

    /// <summary><paramref name="value"/> clamped to [<see cref="MinValue"/>, <see cref="MaxValue"/>].</summary>
    public static UInt2 Saturate(long value) => new((int)Math.Clamp(value, MinValue, MaxValue));

    /// <summary>From the 2-bit field of a packed byte (higher bits ignored).</summary>
    public static UInt2 FromBits(int bits) => Wrap(bits);

    /// <summary>The 2-bit field written to packed data.</summary>
    public byte Bits => (byte)(Value & ((1 << 2) - 1));

    public static implicit operator int(UInt2 value) => value.Value;
    public static explicit operator UInt2(long value) => Wrap(value);
    public static explicit operator UInt2(double value) => Wrap(SubByteInteger.Truncate(value));
    public static explicit operator UInt2(float value) => Wrap(SubByteInteger.Truncate(value));

    public bool Equals(UInt2 other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is UInt2 v && Equals(v);
    public override int GetHashCode() => Value;
    public int CompareTo(UInt2 other) => Value.CompareTo(other.Value);
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
