using System.Globalization;
using NativeInfer.Kernels.Numerics;

namespace NativeInfer.Tensors.LowPrecision;

/// <summary>
/// Whole-tensor Cast to or from the low-precision types (float8 ×4, float8e8m0, float4e2m1, [u]int4, [u]int2), with
/// ONNX Cast semantics. Every other supported type converts through double, integer sources exactly through int64:
/// <list type="bullet">
/// <item>to float8/float4: round to nearest even; out of range (and ±inf) gives ±max when <c>saturate</c>, else
/// ±inf (e5m2) or NaN; float4 has neither, so it always saturates; FNUZ formats have no −0.</item>
/// <item>to float8e8m0: the magnitude rounded to a power of two by <see cref="E8M0RoundMode"/>.</item>
/// <item>to [u]int4/[u]int2: truncate toward zero, then keep the low bits (like every integer cast).</item>
/// <item>from a low-precision type: its exact value, converted as <see cref="TensorConvert"/> does.</item>
/// </list>
/// Strings parse/format through double ("INF", "-INF", "NaN" accepted, case-insensitive).
/// </summary>
public static class LowPrecisionCast
{
    /// <summary>True when Cast from <paramref name="from"/> to <paramref name="to"/> should come here.</summary>
    public static bool Handles(DataType from, DataType to) => DataTypes.IsLowPrecision(from) || DataTypes.IsLowPrecision(to);

    public static Tensor Cast(Tensor src, DataType to, bool saturate) => Cast(src, to, saturate, E8M0RoundMode.Up);

    public static Tensor Cast(Tensor src, DataType to, bool saturate, E8M0RoundMode roundMode)
    {
        if (src.DataType == to) return src;
        if (!DataTypes.IsSupported(to))
            throw new NotSupportedException($"Cast to {DataTypes.Name(to)} is not supported by NativeInfer.");
        if (!DataTypes.IsLowPrecision(to))
            return to == DataType.String ? ToText(src) : TensorConvert.Convert(FromText(src), to);

        var dst = Tensor.Create(to, (int[])src.Shape.Clone());
        var bytes = SubBytePacking.ElementBytes(dst);
        if (DataTypes.IsInteger(to) && DataTypes.IsInteger(src.DataType))
        {
            var values = ReadInt64(src);
            for (int i = 0; i < bytes.Length; i++) bytes[i] = EncodeInteger(to, values[i]);
            return dst;
        }
        src = FromText(src);
        for (int i = 0; i < bytes.Length; i++)
        {
            double v = src.GetDouble(i);
            bytes[i] = DataTypes.IsInteger(to) ? EncodeInteger(to, TruncateToInt64(v)) : EncodeFloat(to, v, saturate, roundMode);
        }
        return dst;
    }

    /// <summary>The encoding of <paramref name="v"/> in float format <paramref name="to"/> (Cast rules).</summary>
    internal static byte EncodeFloat(DataType to, double v, bool saturate, E8M0RoundMode roundMode) => to switch
    {
        DataType.Float8E4M3FN => Float8E4M3FN.FromDouble(v, saturate).Bits,
        DataType.Float8E4M3FNUZ => Float8E4M3FNUZ.FromDouble(v, saturate).Bits,
        DataType.Float8E5M2 => Float8E5M2.FromDouble(v, saturate).Bits,
        DataType.Float8E5M2FNUZ => Float8E5M2FNUZ.FromDouble(v, saturate).Bits,
        DataType.Float8E8M0 => Float8E8M0.FromDouble(v, saturate, roundMode).Bits,
        DataType.Float4E2M1 => Float4E2M1.FromDouble(v, saturate).Bits,
        _ => throw new NotSupportedException($"{DataTypes.Name(to)} is not a low-precision float type."),
    };

    /// <summary>The memory byte of integer <paramref name="v"/> wrapped to sub-byte type <paramref name="to"/>.</summary>
    internal static byte EncodeInteger(DataType to, long v) => to switch
    {
        DataType.Int4 => unchecked((byte)Int4.Wrap(v).Value),
        DataType.UInt4 => UInt4.Wrap(v).Value,
        DataType.Int2 => unchecked((byte)Int2.Wrap(v).Value),
        DataType.UInt2 => UInt2.Wrap(v).Value,
        _ => throw new NotSupportedException($"{DataTypes.Name(to)} is not a sub-byte integer type."),
    };

    /// <summary>Toward zero; NaN is 0 and out-of-range values clamp to the int64 range (then wrap).</summary>
    internal static long TruncateToInt64(double v) => double.IsNaN(v) ? 0 : (long)Math.Clamp(Math.Truncate(v), long.MinValue, long.MaxValue);

    private static long[] ReadInt64(Tensor src)
    {
        if (src is not Tensor<ulong> u) return src.ToInt64Array();
        var r = new long[u.Length];
        for (int i = 0; i < r.Length; i++) r[i] = unchecked((long)u[i]);
        return r;
    }

    /// <summary>A string tensor parsed to double; any other tensor unchanged.</summary>
    private static Tensor FromText(Tensor src)
    {
        if (src is not Tensor<string> s) return src;
        var d = new Tensor<double>((int[])s.Shape.Clone());
        for (int i = 0; i < d.Length; i++) d[i] = ParseNumber(s[i]);
        return d;
    }

    private static double ParseNumber(string text)
    {
        string t = text.Trim();
        if (t.Equals("INF", StringComparison.OrdinalIgnoreCase) || t.Equals("+INF", StringComparison.OrdinalIgnoreCase)) return double.PositiveInfinity;
        if (t.Equals("-INF", StringComparison.OrdinalIgnoreCase)) return double.NegativeInfinity;
        if (t.Equals("NaN", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new FormatException($"Cast: '{text}' is not a number.");
    }

    private static Tensor<string> ToText(Tensor src)
    {
        var r = new Tensor<string>((int[])src.Shape.Clone());
        bool integer = DataTypes.IsInteger(src.DataType);
        for (int i = 0; i < r.Length; i++)
        {
            double v = src.GetDouble(i);
            r[i] = integer ? ((long)v).ToString(CultureInfo.InvariantCulture)
                : double.IsPositiveInfinity(v) ? "INF" : double.IsNegativeInfinity(v) ? "-INF"
                : ((float)v).ToString(CultureInfo.InvariantCulture);
        }
        return r;
    }
}
