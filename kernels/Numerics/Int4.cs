namespace NativeInfer.Kernels.Numerics;

/// <summary>
/// ONNX INT4: a signed 4-bit integer, -8..7, held unpacked as one <see cref="sbyte"/> per element (files pack two per byte).
/// Conversions from wider integers and from float/double (truncated toward zero) keep the low 4 bits, as integer
/// casts do; <see cref="Saturate"/> clamps instead (QuantizeLinear).
/// </summary>
public readonly struct Int4 : IEquatable<Int4>, IComparable<Int4>
{
    public const int MinValue = -8;
    public const int MaxValue = 7;

    public readonly sbyte Value;

    private Int4(int value) => Value = (sbyte)value;

    /// <summary>The low 4 bits of <paramref name="value"/> (two's complement wrap).</summary>
    public static Int4 Wrap(long value) => new(SubByteInteger.Wrap(value, 4, true));

    /// <summary><paramref name="value"/> clamped to [<see cref="MinValue"/>, <see cref="MaxValue"/>].</summary>
    public static Int4 Saturate(long value) => new((int)Math.Clamp(value, MinValue, MaxValue));

    /// <summary>From the 4-bit field of a packed byte (higher bits ignored).</summary>
    public static Int4 FromBits(int bits) => Wrap(bits);

    /// <summary>The 4-bit field written to packed data.</summary>
    public byte Bits => (byte)(Value & ((1 << 4) - 1));

    public static implicit operator int(Int4 value) => value.Value;
    public static explicit operator Int4(long value) => Wrap(value);
    public static explicit operator Int4(double value) => Wrap(SubByteInteger.Truncate(value));
    public static explicit operator Int4(float value) => Wrap(SubByteInteger.Truncate(value));

    public bool Equals(Int4 other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is Int4 v && Equals(v);
    public override int GetHashCode() => Value;
    public int CompareTo(Int4 other) => Value.CompareTo(other.Value);
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
