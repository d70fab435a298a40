using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Numerics;

/// <summary>
/// ONNX FLOAT8E5M2: 1 sign, 5 exponent (bias 15), 2 mantissa bits, IEEE-like with infinities and NaNs; largest finite
/// value 57344.
/// Conversions from float/double round to nearest even; the explicit operators saturate (the ONNX Cast default),
/// <see cref="FromDouble"/> takes the saturate flag. No arithmetic: widen to float.
/// </summary>
public readonly struct Float8E5M2 : IEquatable<Float8E5M2>, IComparable<Float8E5M2>
{
    /// <summary>The 8-bit encoding.</summary>
    public readonly byte Bits;

    private Float8E5M2(byte bits) => Bits = bits;

    public static Float8E5M2 FromBits(byte bits) => new(bits);

    /// <summary>Rounds to nearest even; out of range gives the largest finite value when <paramref name="saturate"/>,
    /// else infinity.</summary>
    public static Float8E5M2 FromDouble(double value, bool saturate) => new(MiniFloatFormat.E5M2.Encode(value, saturate));

    public bool IsNaN => MiniFloatFormat.E5M2.IsNaN(Bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ToSingle() => MiniFloatFormat.E5M2.Decode(Bits);

    public static explicit operator float(Float8E5M2 value) => value.ToSingle();
    public static explicit operator double(Float8E5M2 value) => value.ToSingle();
    public static explicit operator Float8E5M2(float value) => FromDouble(value, saturate: true);
    public static explicit operator Float8E5M2(double value) => FromDouble(value, saturate: true);

    /// <summary>Bitwise equality (NaN equals the same NaN pattern).</summary>
    public bool Equals(Float8E5M2 other) => Bits == other.Bits;
    public override bool Equals(object? obj) => obj is Float8E5M2 v && Equals(v);
    public override int GetHashCode() => Bits;
    public int CompareTo(Float8E5M2 other) => ToSingle().CompareTo(other.ToSingle());
    public override string ToString() => ToSingle().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
