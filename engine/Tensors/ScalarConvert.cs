using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Numerics;

namespace NativeInfer.Tensors;

/// <summary>
/// Element conversions through double; the JIT folds the type tests away per instantiation. Storing into a
/// low-precision type follows ONNX Cast with its defaults: float8/float4 round to nearest even and saturate, e8m0
/// rounds up, 2- and 4-bit integers truncate toward zero and keep the low bits.
/// </summary>
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
        if (typeof(T) == typeof(Float8E4M3FN)) return ((Float8E4M3FN)(object)v!).ToSingle();
        if (typeof(T) == typeof(Float8E4M3FNUZ)) return ((Float8E4M3FNUZ)(object)v!).ToSingle();
        if (typeof(T) == typeof(Float8E5M2)) return ((Float8E5M2)(object)v!).ToSingle();
        if (typeof(T) == typeof(Float8E5M2FNUZ)) return ((Float8E5M2FNUZ)(object)v!).ToSingle();
        if (typeof(T) == typeof(Float8E8M0)) return ((Float8E8M0)(object)v!).ToSingle();
        if (typeof(T) == typeof(Float4E2M1)) return ((Float4E2M1)(object)v!).ToSingle();
        if (typeof(T) == typeof(Int4)) return ((Int4)(object)v!).Value;
        if (typeof(T) == typeof(UInt4)) return ((UInt4)(object)v!).Value;
        if (typeof(T) == typeof(Int2)) return ((Int2)(object)v!).Value;
        if (typeof(T) == typeof(UInt2)) return ((UInt2)(object)v!).Value;
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
        if (typeof(T) == typeof(Float8E4M3FN)) return (T)(object)(Float8E4M3FN)v;
        if (typeof(T) == typeof(Float8E4M3FNUZ)) return (T)(object)(Float8E4M3FNUZ)v;
        if (typeof(T) == typeof(Float8E5M2)) return (T)(object)(Float8E5M2)v;
        if (typeof(T) == typeof(Float8E5M2FNUZ)) return (T)(object)(Float8E5M2FNUZ)v;
        if (typeof(T) == typeof(Float8E8M0)) return (T)(object)(Float8E8M0)v;
        if (typeof(T) == typeof(Float4E2M1)) return (T)(object)(Float4E2M1)v;
        if (typeof(T) == typeof(Int4)) return (T)(object)(Int4)v;
        if (typeof(T) == typeof(UInt4)) return (T)(object)(UInt4)v;
        if (typeof(T) == typeof(Int2)) return (T)(object)(Int2)v;
        if (typeof(T) == typeof(UInt2)) return (T)(object)(UInt2)v;
        throw new NotSupportedException($"{typeof(T).Name} is not numeric.");
    }
}
