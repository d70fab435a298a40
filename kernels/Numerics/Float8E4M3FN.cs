using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Numerics;

/// <summary>
/// ONNX FLOAT8E4M3FN: 1 sign, 4 exponent (bias 7), 3 mantissa bits; no infinity, NaN is S.1111.111, largest finite
/// value 448.
/// Conversions from float/double round to nearest even; the explicit operators saturate (the ONNX Cast default),
/// <see cref="FromDouble"/> takes the saturate flag. No arithmetic: widen to float.
/// </summary>
public readonly struct Float8E4M3FN : IEquatable<Float8E4M3FN>, IComparable<Float8E4M3FN>
{
    /// <summary>The 8-bit encoding.</summary>
    public readonly byte Bits;

    private Float8E4M3FN(byte bits) => Bits = bits;

    public static Float8E4M3FN FromBits(byte bits) => new(bits);

    /// <summary>Rounds to nearest even; out of range gives the largest finite value when <paramref name="saturate"/>,
    /// else NaN.</summary>
    public static Float8E4M3FN FromDouble(double value, bool saturate) => new(MiniFloatFormat.E4M3FN.Encode(value, saturate));

    public bool IsNaN => MiniFloatFormat.E4M3FN.IsNaN(Bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ToSingle() => MiniFloatFormat.E4M3FN.Decode(Bits);

    public static explicit operator float(Float8E4M3FN value) => value.ToSingle();
    public static explicit operator double(Float8E4M3FN value) => value.ToSingle();
    public static explicit operator Float8E4M3FN(float value) => FromDouble(value, saturate: true);
    public static explicit operator Float8E4M3FN(double value) => FromDouble(value, saturate: true);

    /// <summary>Bitwise equality (NaN equals the same NaN pattern).</summary>
    public bool Equals(Float8E4M3FN other) => Bits == other.Bits;
    public override bool Equals(object? obj) => obj is Float8E4M3FN v && Equals(v);
    public override int GetHashCode() => Bits;
    public int CompareTo(Float8E4M3FN other) => ToSingle().CompareTo(other.ToSingle());
    public override string ToString() => ToSingle().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
