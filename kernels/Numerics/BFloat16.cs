using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Numerics;

/// <summary>
/// Brain floating point: the upper 16 bits of an IEEE binary32. Conversions from float round to nearest even,
/// NaN stays NaN. Arithmetic is done by widening to float.
/// </summary>
public readonly struct BFloat16 : IEquatable<BFloat16>, IComparable<BFloat16>
{
    public readonly ushort Bits;

    public BFloat16(ushort bits, bool _) => Bits = bits;

    public static BFloat16 FromBits(ushort bits) => new(bits, true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator BFloat16(float value)
    {
        uint u = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return FromBits((ushort)((u >> 16) | 0x40));
        uint rounding = 0x7FFFu + ((u >> 16) & 1u);
        return FromBits((ushort)((u + rounding) >> 16));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator float(BFloat16 value) => BitConverter.UInt32BitsToSingle((uint)value.Bits << 16);

    public static explicit operator double(BFloat16 value) => (float)value;
    public static explicit operator BFloat16(double value) => (BFloat16)(float)value;

    public bool Equals(BFloat16 other) => (float)this == (float)other;
    public override bool Equals(object? obj) => obj is BFloat16 b && Equals(b);
    public override int GetHashCode() => ((float)this).GetHashCode();
    public int CompareTo(BFloat16 other) => ((float)this).CompareTo((float)other);
    public override string ToString() => ((float)this).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
