using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Numerics;

namespace NativeInfer.Tensors;

/// <summary>Element type conversion of whole tensors (numeric and bool).</summary>
public static class TensorConvert
{
    /// <summary>
    /// Converts to <paramref name="target"/>. Same type returns the input. Float to integer truncates toward zero;
    /// integer to integer keeps the low bits; 64-bit integers convert exactly between each other. Low-precision targets
    /// follow Cast's defaults (float8/float4 saturate, e8m0 rounds up); <see cref="LowPrecision.LowPrecisionCast"/>
    /// takes the saturate flag and rounding mode.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Convert(Tensor src, DataType target)
    {
        if (src.DataType == target) return src;
        var dst = Tensor.Create(target, (int[])src.Shape.Clone());
        int n = src.Length;
        if (IsWideInteger(src.DataType) && IsWideInteger(target) || src.DataType == DataType.Int64 && DataTypes.IsInteger(target))
        {
            var s = src.ToInt64Array();
            for (int i = 0; i < n; i++) SetFromInt64(dst, i, s[i]);
            return dst;
        }
        if (src.DataType == DataType.UInt64 && DataTypes.IsInteger(target))
        {
            var s = src.As<ulong>().Span;
            for (int i = 0; i < n; i++) SetFromInt64(dst, i, unchecked((long)s[i]));
            return dst;
        }
        for (int i = 0; i < n; i++) dst.SetDouble(i, Truncate(src.GetDouble(i), target));
        return dst;
    }

    /// <summary>Widens float16/bfloat16/double (or any numeric) to float32.</summary>
    public static Tensor<float> ToFloat(Tensor src) => (Tensor<float>)Convert(src, DataType.Float);

    private static bool IsWideInteger(DataType t) => t is DataType.Int64 or DataType.Int32 or DataType.Int16 or DataType.Int8
        or DataType.UInt8 or DataType.UInt16 or DataType.UInt32;

    private static double Truncate(double v, DataType target) =>
        DataTypes.IsInteger(target) && !double.IsNaN(v) && !double.IsInfinity(v) ? Math.Truncate(v) : v;

    private static void SetFromInt64(Tensor dst, int i, long v)
    {
        switch (dst)
        {
            case Tensor<long> t: t[i] = v; break;
            case Tensor<ulong> t: t[i] = unchecked((ulong)v); break;
            case Tensor<int> t: t[i] = unchecked((int)v); break;
            case Tensor<uint> t: t[i] = unchecked((uint)v); break;
            case Tensor<short> t: t[i] = unchecked((short)v); break;
            case Tensor<ushort> t: t[i] = unchecked((ushort)v); break;
            case Tensor<sbyte> t: t[i] = unchecked((sbyte)v); break;
            case Tensor<byte> t: t[i] = unchecked((byte)v); break;
            case Tensor<Int4> t: t[i] = Int4.Wrap(v); break;
            case Tensor<UInt4> t: t[i] = UInt4.Wrap(v); break;
            case Tensor<Int2> t: t[i] = Int2.Wrap(v); break;
            case Tensor<UInt2> t: t[i] = UInt2.Wrap(v); break;
            default: dst.SetDouble(i, v); break;
        }
    }
}
