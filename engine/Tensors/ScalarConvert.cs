using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Numerics;

namespace NativeInfer.Tensors;

/// <summary>Element conversions through double; the JIT folds the type tests away per instantiation.</summary>
public static class ScalarConvert
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ToDouble<T>(T v)
    {
        if (typeof(T) == typeof(float)) return (float)(object)v!;
        if (typeof(T) == typeof(double)) return (double)(object)v!;
        if (typeof(T) == typeof(Half)) return (double)(Half)(object)v!;
        if (typeof(T) == typeof(BFloat16)) return (float)(BFloat16)(object)v!;
        if (typeof(T) == typeof(sbyte)) return (sbyte)(object)v!;
        if (typeof(T) == typeof(short)) return (short)(object)v!;
        if (typeof(T) == typeof(int)) return (int)(object)v!;
        if (typeof(T) == typeof(long)) return (long)(object)v!;
        if (typeof(T) == typeof(byte)) return (byte)(object)v!;
        if (typeof(T) == typeof(ushort)) return (ushort)(object)v!;
        if (typeof(T) == typeof(uint)) return (uint)(object)v!;
        if (typeof(T) == typeof(ulong)) return (ulong)(object)v!;
        if (typeof(T) == typeof(bool)) return (bool)(object)v! ? 1 : 0;
        throw new NotSupportedException($"{typeof(T).Name} is not numeric.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromDouble<T>(double v)
    {
        if (typeof(T) == typeof(float)) return (T)(object)(float)v;
        if (typeof(T) == typeof(double)) return (T)(object)v;
        if (typeof(T) == typeof(Half)) return (T)(object)(Half)v;
        if (typeof(T) == typeof(BFloat16)) return (T)(object)(BFloat16)(float)v;
        if (typeof(T) == typeof(sbyte)) return (T)(object)(sbyte)(long)v;
        if (typeof(T) == typeof(short)) return (T)(object)(short)(long)v;
        if (typeof(T) == typeof(int)) return (T)(object)(int)(long)v;
        if (typeof(T) == typeof(long)) return (T)(object)(long)v;
        if (typeof(T) == typeof(byte)) return (T)(object)(byte)(long)v;
        if (typeof(T) == typeof(ushort)) return (T)(object)(ushort)(long)v;
        if (typeof(T) == typeof(uint)) return (T)(object)(uint)(long)v;
        if (typeof(T) == typeof(ulong)) return (T)(object)(v >= 9.2233720368547758E18 ? (ulong)v : (ulong)(long)v);
        if (typeof(T) == typeof(bool)) return (T)(object)(v != 0);
        throw new NotSupportedException($"{typeof(T).Name} is not numeric.");
    }
}
