using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Numerics;

/// <summary>
/// ONNX FLOAT4E2M1, stored unpacked (one value per byte, in the low 4 bits): 1 sign, 2 exponent (bias 1), 1 mantissa
/// bit, values ±{0, 0.5, 1, 1.5, 2, 3, 4, 6}; no infinity or NaN.
/// Conversions from float/double round to nearest even; the explicit operators saturate (the ONNX Cast default),
/// <see cref="FromDouble"/> takes the saturate flag. No arithmetic: widen to float.
/// </summary>
public readonly struct Float4E2M1 : IEquatable<Float4E2M1>, IComparable<Float4E2M1>
{
    /// <summary>The 4-bit encoding in the low bits.</summary>
    public readonly byte Bits;

    private Float4E2M1(byte bits) => Bits = bits;

    public static Float4E2M1 FromBits(byte bits) => new((byte)(bits & 0xF));

    /// <summary>Rounds to nearest even; out of range gives the largest finite value when <paramref name="saturate"/>,
    /// else the largest finite value too (the format has no infinity or NaN; NaN becomes 0x8).</summary>
    public static Float4E2M1 FromDouble(double value, bool saturate) => new(MiniFloatFormat.E2M1.Encode(value, saturate));

    public bool IsNaN => MiniFloatFormat.E2M1.IsNaN(Bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ToSingle() => MiniFloatFormat.E2M1.Decode(Bits);

    public static explicit operator float(Float4E2M1 value) => value.ToSingle();
    public static explicit operator double(Float4E2M1 value) => value.ToSingle();
    public static explicit operator Float4E2M1(float value) => FromDouble(value, saturate: true);
    public static explicit operator Float4E2M1(double value) => FromDouble(value, saturate: true);

    /// <summary>Bitwise equality (NaN equals the same NaN pattern).</summary>
    public bool Equals(Float4E2M1 other) => Bits == other.Bits;
    public override bool Equals(object? obj) => obj is Float4E2M1 v && Equals(v);
    public override int GetHashCode() => Bits;
    public int CompareTo(Float4E2M1 other) => ToSingle().CompareTo(other.ToSingle());
    public override string ToString() => ToSingle().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
