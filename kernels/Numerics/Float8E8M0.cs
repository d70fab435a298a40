using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Numerics;

/// <summary>
/// ONNX FLOAT8E8M0: an unsigned exponent-only scale, value 2^(Bits − 127) for Bits 0..254 (2^-127 .. 2^127),
/// 0xFF is NaN; there is no zero, no sign and no infinity. Conversions from float/double take the magnitude and round
/// to a power of two by <see cref="E8M0RoundMode"/>; values at or below 2^-127 (zero included) become 2^-127, values
/// above 2^127 (and infinities) the largest value when saturating, else NaN.
/// </summary>
public readonly struct Float8E8M0 : IEquatable<Float8E8M0>, IComparable<Float8E8M0>
{
    public const byte NaNBits = 0xFF;
    public const byte MaxBits = 0xFE;

    /// <summary>The biased exponent.</summary>
    public readonly byte Bits;

    private Float8E8M0(byte bits) => Bits = bits;

    public static Float8E8M0 FromBits(byte bits) => new(bits);

    public static Float8E8M0 FromDouble(double value, bool saturate, E8M0RoundMode mode = E8M0RoundMode.Up)
    {
        if (double.IsNaN(value)) return new(NaNBits);
        double a = Math.Abs(value);
        if (double.IsInfinity(a)) return new(saturate ? MaxBits : NaNBits);
        if (a <= Math.ScaleB(1.0, -127)) return new(0);
        int e = Math.ILogB(a);
        double fraction = Math.ScaleB(a, -e);
        if (mode == E8M0RoundMode.Up && fraction > 1 || mode == E8M0RoundMode.Nearest && fraction >= 1.5) e++;
        int code = e + 127;
        return code > MaxBits ? new(saturate ? MaxBits : NaNBits) : new((byte)code);
    }

    /// <summary>Parses an ONNX round_mode attribute ("up", "down", "nearest").</summary>
    public static E8M0RoundMode ParseRoundMode(string mode) => mode switch
    {
        "up" => E8M0RoundMode.Up,
        "down" => E8M0RoundMode.Down,
        "nearest" => E8M0RoundMode.Nearest,
        _ => throw new NotSupportedException($"round_mode '{mode}' is not one of up, down, nearest."),
    };

    public bool IsNaN => Bits == NaNBits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ToSingle() => Bits == NaNBits ? float.NaN : BitConverter.Int32BitsToSingle(Bits == 0 ? 0x00400000 : Bits << 23);

    public static explicit operator float(Float8E8M0 value) => value.ToSingle();
    public static explicit operator double(Float8E8M0 value) => value.ToSingle();
    public static explicit operator Float8E8M0(float value) => FromDouble(value, saturate: true);
    public static explicit operator Float8E8M0(double value) => FromDouble(value, saturate: true);

    public bool Equals(Float8E8M0 other) => Bits == other.Bits;
    public override bool Equals(object? obj) => obj is Float8E8M0 v && Equals(v);
    public override int GetHashCode() => Bits;
    public int CompareTo(Float8E8M0 other) => ToSingle().CompareTo(other.ToSingle());
    public override string ToString() => ToSingle().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
