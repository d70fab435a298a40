namespace NativeInfer.Kernels.Numerics;

/// <summary>
/// ONNX INT2: a signed 2-bit integer, -2..1, held unpacked as one <see cref="sbyte"/> per element (files pack four per byte).
/// Conversions from wider integers and from float/double (truncated toward zero) keep the low 2 bits, as integer
/// casts do; <see cref="Saturate"/> clamps instead (QuantizeLinear).
/// </summary>
public readonly struct Int2 : IEquatable<Int2>, IComparable<Int2>
{
    public const int MinValue = -2;
    public const int MaxValue = 1;

    public readonly sbyte Value;

    private Int2(int value) => Value = (sbyte)value;

    /// <summary>The low 2 bits of <paramref name="value"/> (two's complement wrap).</summary>
    public static Int2 Wrap(long value) => new(SubByteInteger.Wrap(value, 2, true));

    /// <summary><paramref name="value"/> clamped to [<see cref="MinValue"/>, <see cref="MaxValue"/>].</summary>
    public static Int2 Saturate(long value) => new((int)Math.Clamp(value, MinValue, MaxValue));

    /// <summary>From the 2-bit field of a packed byte (higher bits ignored).</summary>
    public static Int2 FromBits(int bits) => Wrap(bits);

    /// <summary>The 2-bit field written to packed data.</summary>
    public byte Bits => (byte)(Value & ((1 << 2) - 1));

    public static implicit operator int(Int2 value) => value.Value;
    public static explicit operator Int2(long value) => Wrap(value);
    public static explicit operator Int2(double value) => Wrap(SubByteInteger.Truncate(value));
    public static explicit operator Int2(float value) => Wrap(SubByteInteger.Truncate(value));

    public bool Equals(Int2 other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is Int2 v && Equals(v);
    public override int GetHashCode() => Value;
    public int CompareTo(Int2 other) => Value.CompareTo(other.Value);
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
