using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Direct element conversion between the numeric types, bfloat16 and bool, exact wherever the target can hold the
/// value: integers go through long/ulong, floats through float or double, never a lossy detour. Float to integer
/// truncates toward zero; out-of-range values wrap through int64 like a C cast on x64. The type tests are JIT-time
/// constants, so each (source, target) pair compiles to its single conversion.
/// </summary>
internal static class ScalarCast
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TD Convert<TS, TD>(TS v)
    {
        if (typeof(TS) == typeof(TD)) return Unsafe.As<TS, TD>(ref v);
        if (typeof(TS) == typeof(float)) return FromSingle<TD>(Unsafe.As<TS, float>(ref v));
        if (typeof(TS) == typeof(double)) return FromDouble<TD>(Unsafe.As<TS, double>(ref v));
        if (typeof(TS) == typeof(Half)) return FromSingle<TD>((float)Unsafe.As<TS, Half>(ref v));
        if (typeof(TS) == typeof(BFloat16)) return FromSingle<TD>((float)Unsafe.As<TS, BFloat16>(ref v));
        if (typeof(TS) == typeof(sbyte)) return FromInt64<TD>(Unsafe.As<TS, sbyte>(ref v));
        if (typeof(TS) == typeof(short)) return FromInt64<TD>(Unsafe.As<TS, short>(ref v));
        if (typeof(TS) == typeof(int)) return FromInt64<TD>(Unsafe.As<TS, int>(ref v));
        if (typeof(TS) == typeof(long)) return FromInt64<TD>(Unsafe.As<TS, long>(ref v));
        if (typeof(TS) == typeof(byte)) return FromInt64<TD>(Unsafe.As<TS, byte>(ref v));
        if (typeof(TS) == typeof(ushort)) return FromInt64<TD>(Unsafe.As<TS, ushort>(ref v));
        if (typeof(TS) == typeof(uint)) return FromInt64<TD>(Unsafe.As<TS, uint>(ref v));
        if (typeof(TS) == typeof(ulong)) return FromUInt64<TD>(Unsafe.As<TS, ulong>(ref v));
        if (typeof(TS) == typeof(bool)) return FromInt64<TD>(Unsafe.As<TS, bool>(ref v) ? 1 : 0);
        throw new NotSupportedException($"Cannot convert from {typeof(TS).Name}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TD FromInt64<TD>(long x)
    {
        if (typeof(TD) == typeof(float)) return As<float, TD>((float)x);
        if (typeof(TD) == typeof(double)) return As<double, TD>(x);
        if (typeof(TD) == typeof(Half)) return As<Half, TD>((Half)x);
        if (typeof(TD) == typeof(BFloat16)) return As<BFloat16, TD>((BFloat16)(float)x);
        if (typeof(TD) == typeof(sbyte)) return As<sbyte, TD>(unchecked((sbyte)x));
        if (typeof(TD) == typeof(short)) return As<short, TD>(unchecked((short)x));
        if (typeof(TD) == typeof(int)) return As<int, TD>(unchecked((int)x));
        if (typeof(TD) == typeof(long)) return As<long, TD>(x);
        if (typeof(TD) == typeof(byte)) return As<byte, TD>(unchecked((byte)x));
        if (typeof(TD) == typeof(ushort)) return As<ushort, TD>(unchecked((ushort)x));
        if (typeof(TD) == typeof(uint)) return As<uint, TD>(unchecked((uint)x));
        if (typeof(TD) == typeof(ulong)) return As<ulong, TD>(unchecked((ulong)x));
        if (typeof(TD) == typeof(bool)) return As<bool, TD>(x != 0);
        throw new NotSupportedException($"Cannot convert to {typeof(TD).Name}.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TD FromUInt64<TD>(ulong x)
    {
        if (typeof(TD) == typeof(float)) return As<float, TD>(x);
        if (typeof(TD) == typeof(double)) return As<double, TD>(x);
        if (typeof(TD) == typeof(Half)) return As<Half, TD>((Half)x);
        if (typeof(TD) == typeof(BFloat16)) return As<BFloat16, TD>((BFloat16)(float)x);
        if (typeof(TD) == typeof(bool)) return As<bool, TD>(x != 0);
        return FromInt64<TD>(unchecked((long)x));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TD FromSingle<TD>(float x)
    {
        if (typeof(TD) == typeof(float)) return As<float, TD>(x);
        if (typeof(TD) == typeof(Half)) return As<Half, TD>((Half)x);
        if (typeof(TD) == typeof(BFloat16)) return As<BFloat16, TD>((BFloat16)x);
        return FromDouble<TD>(x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TD FromDouble<TD>(double x)
    {
        if (typeof(TD) == typeof(float)) return As<float, TD>((float)x);
        if (typeof(TD) == typeof(double)) return As<double, TD>(x);
        if (typeof(TD) == typeof(Half)) return As<Half, TD>((Half)x);
        if (typeof(TD) == typeof(BFloat16)) return As<BFloat16, TD>((BFloat16)x);
        if (typeof(TD) == typeof(bool)) return As<bool, TD>(x != 0);
        if (typeof(TD) == typeof(ulong)) return As<ulong, TD>(x >= 9223372036854775808.0 ? (ulong)x : unchecked((ulong)(long)x));
        // (long)x truncates toward zero; NaN gives 0.
        return FromInt64<TD>((long)x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TTo As<TFrom, TTo>(TFrom v) => Unsafe.As<TFrom, TTo>(ref v);
}
