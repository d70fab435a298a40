using ILGPU;
using ILGPU.Algorithms;

namespace NativeInfer.Kernels.Gpu.Typed;

/// <summary>
/// Element access by ONNX type code over a tensor's raw bytes, for the kernels that handle every element type with one
/// compiled body (a uniform branch on the type code). Float-class types (float, double, float16, bfloat16) load exactly
/// into a double; integer-class types (the signed and unsigned integers and bool) into a long (uint64 as its bit
/// pattern). Stores convert like the CPU <c>ScalarCast</c>: float to integer truncates toward zero and keeps the low
/// bits, float16 rounds to nearest even from the double, bfloat16 rounds to nearest even from the float.
/// </summary>
public static class GpuScalar
{
    public const int Float = 1, UInt8 = 2, Int8 = 3, UInt16 = 4, Int16 = 5, Int32 = 6, Int64 = 7, Bool = 9, Float16 = 10,
        Double = 11, UInt32 = 12, UInt64 = 13, BFloat16 = 16;

    /// <summary>True for the codes the typed kernels read and write.</summary>
    public static bool Handles(int type) => type is >= Float and <= Int64 or >= Bool and <= UInt64 or BFloat16;

    /// <summary>float, double, float16, bfloat16.</summary>
    public static bool IsFloat(int type) => type is Float or Double or Float16 or BFloat16;

    /// <summary>Bytes per element.</summary>
    public static int Width(int type) => type switch
    {
        UInt8 or Int8 or Bool => 1,
        UInt16 or Int16 or Float16 or BFloat16 => 2,
        Float or Int32 or UInt32 => 4,
        _ => 8,
    };

    /// <summary>Element i as a double (exact for the float class; integers converted, uint64 as unsigned).</summary>
    public static double LoadF(ArrayView<byte> v, int type, int i)
    {
        switch (type)
        {
            case Float: return v.Cast<float>()[i];
            case Double: return v.Cast<double>()[i];
            case Float16: return HalfToFloat(v.Cast<ushort>()[i]);
            case BFloat16: return Interop.IntAsFloat((uint)v.Cast<ushort>()[i] << 16);
            case UInt64: return (ulong)v.Cast<long>()[i];
            default: return LoadI(v, type, i);
        }
    }

    /// <summary>Element i as a long (integers sign- or zero-extended, uint64 as its bits, bool 0/1, floats truncated).</summary>
    public static long LoadI(ArrayView<byte> v, int type, int i)
    {
        switch (type)
        {
            case UInt8: return v[i];
            case Int8: return (v[i] ^ 0x80) - 0x80;   // sign extension written out (narrow signed loads are not relied on)
            case Bool: return v[i] != 0 ? 1 : 0;
            case UInt16: return v.Cast<ushort>()[i];
            case Int16: return (v.Cast<ushort>()[i] ^ 0x8000) - 0x8000;
            case Int32: return v.Cast<int>()[i];
            case UInt32: return v.Cast<uint>()[i];
            case Int64:
            case UInt64: return v.Cast<long>()[i];
            default: return DoubleToInt64(LoadF(v, type, i));
        }
    }

    /// <summary>Stores a double into element i of any handled type.</summary>
    public static void StoreF(ArrayView<byte> v, int type, int i, double d)
    {
        switch (type)
        {
            case Float: v.Cast<float>()[i] = (float)d; break;
            case Double: v.Cast<double>()[i] = d; break;
            case Float16: v.Cast<ushort>()[i] = (ushort)DoubleToHalfBits(d); break;
            case BFloat16: v.Cast<ushort>()[i] = (ushort)FloatToBFloat16Bits((float)d); break;
            case Bool: v[i] = d != 0 ? (byte)1 : (byte)0; break;
            case UInt64: v.Cast<long>()[i] = d >= 9223372036854775808.0 ? (long)(ulong)d : DoubleToInt64(d); break;
            default: StoreI(v, type, i, DoubleToInt64(d)); break;
        }
    }

    /// <summary>Stores a long into element i (integers keep the low bits; float-class targets convert the value).</summary>
    public static void StoreI(ArrayView<byte> v, int type, int i, long l)
    {
        switch (type)
        {
            case UInt8:
            case Int8: v[i] = (byte)l; break;
            case Bool: v[i] = l != 0 ? (byte)1 : (byte)0; break;
            case UInt16:
            case Int16: v.Cast<ushort>()[i] = (ushort)l; break;
            case Int32:
            case UInt32: v.Cast<int>()[i] = (int)l; break;
            case Int64:
            case UInt64: v.Cast<long>()[i] = l; break;
            case Float: v.Cast<float>()[i] = l; break;
            default: StoreF(v, type, i, l); break;
        }
    }

    /// <summary>Copies element <paramref name="from"/> of x to element <paramref name="to"/> of y, both of <paramref name="width"/> bytes.</summary>
    public static void Move(ArrayView<byte> x, int from, ArrayView<byte> y, int to, int width)
    {
        switch (width)
        {
            case 1: y[to] = x[from]; break;
            case 2: y.Cast<ushort>()[to] = x.Cast<ushort>()[from]; break;
            case 4: y.Cast<int>()[to] = x.Cast<int>()[from]; break;
            default: y.Cast<long>()[to] = x.Cast<long>()[from]; break;
        }
    }

    /// <summary>Truncation toward zero; NaN gives 0 and out-of-range values saturate (as .NET and PTX do).</summary>
    public static long DoubleToInt64(double d)
    {
        if (d != d) return 0;
        if (d >= 9223372036854775807.0) return long.MaxValue;
        if (d <= -9223372036854775808.0) return long.MinValue;
        return (long)d;
    }

    public static float HalfToFloat(int h)
    {
        int exp = (h >> 10) & 0x1F, man = h & 0x3FF;
        float v;
        if (exp == 0) v = man * (1f / 16777216f);
        else if (exp == 31) v = man == 0 ? float.PositiveInfinity : float.NaN;
        else v = Interop.IntAsFloat((uint)(((exp + 112) << 23) | (man << 13)));
        return (h & 0x8000) != 0 ? -v : v;
    }

    /// <summary>IEEE binary16 bits of d, rounded to nearest even (overflow to infinity, NaN to a quiet NaN).</summary>
    public static int DoubleToHalfBits(double d)
    {
        ulong bits = Interop.FloatAsInt(d);
        int sign = (int)(bits >> 48) & 0x8000;
        double a = d < 0 ? -d : d;
        if (a != a) return sign | 0x7E00;
        if (a >= 65520.0) return sign | 0x7C00;
        if (a < 6.103515625e-05) return sign | (int)RoundHalfEven(a * 16777216.0);   // subnormal: units of 2^-24
        int e = (int)((bits >> 52) & 0x7FF) - 1023;                                    // -14..15
        double scaled = a * Interop.IntAsFloat((ulong)(1033 - e) << 52);              // a · 2^(10 − e) in [1024, 2048)
        int m = (int)RoundHalfEven(scaled);                                            // 2048 carries into the exponent
        return sign | (((e + 15) << 10) + (m - 1024));
    }

    /// <summary>bfloat16 bits of f, rounded to nearest even (NaN stays a quiet NaN).</summary>
    public static int FloatToBFloat16Bits(float f)
    {
        uint u = Interop.FloatAsInt(f);
        if (f != f) return (int)((u >> 16) | 0x40);
        return (int)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
    }

    private static double RoundHalfEven(double x)
    {
        double f = XMath.Floor(x), diff = x - f;
        if (diff > 0.5 || diff == 0.5 && ((long)f & 1) != 0) f += 1;
        return f;
    }
}
