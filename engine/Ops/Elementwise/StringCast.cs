using System.Globalization;
using NativeInfer.Kernels.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Number &lt;-&gt; string conversions of Cast. Parsing accepts plain and scientific notation with optional sign and
/// surrounding spaces, and "INF", "+INF", "-INF", "NaN" (any case). Printing follows numpy's str of a scalar: the
/// shortest digits that round-trip, positional for 1e-4 &lt;= |x| &lt; 1e16 (with ".0" on whole numbers) and
/// scientific otherwise ("1e-05"); infinities print as "INF"/"-INF" and NaN as "NaN"; bool prints "True"/"False".
/// </summary>
internal static class StringCast
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static string Format<T>(T v)
    {
        if (typeof(T) == typeof(float)) return FormatFloat((float)(object)v!, ((float)(object)v!).ToString("R", s_inv));
        if (typeof(T) == typeof(double)) return FormatFloat((double)(object)v!, ((double)(object)v!).ToString("R", s_inv));
        if (typeof(T) == typeof(Half)) return FormatFloat((double)(Half)(object)v!, ((Half)(object)v!).ToString(s_inv));
        if (typeof(T) == typeof(BFloat16))
        {
            float f = (float)(BFloat16)(object)v!;
            return FormatFloat(f, f.ToString("R", s_inv));
        }
        if (typeof(T) == typeof(bool)) return (bool)(object)v! ? "True" : "False";
        return ((IFormattable)v!).ToString(null, s_inv);
    }

    /// <summary>Parses <paramref name="s"/> into the numeric (or bool) type <typeparamref name="T"/>.</summary>
    public static T Parse<T>(string s)
    {
        var t = s.AsSpan().Trim();
        if (typeof(T) == typeof(bool))
        {
            if (t.Equals("true", StringComparison.OrdinalIgnoreCase)) return (T)(object)true;
            if (t.Equals("false", StringComparison.OrdinalIgnoreCase)) return (T)(object)false;
        }
        bool integerTarget = typeof(T) != typeof(float) && typeof(T) != typeof(double) && typeof(T) != typeof(Half)
            && typeof(T) != typeof(BFloat16) && typeof(T) != typeof(bool);
        if (integerTarget)
        {
            if (long.TryParse(t, NumberStyles.Integer, s_inv, out long l)) return ScalarCast.FromInt64<T>(l);
            if (ulong.TryParse(t, NumberStyles.Integer, s_inv, out ulong u)) return ScalarCast.FromUInt64<T>(u);
        }
        if (typeof(T) == typeof(float) && TryParseSpecial(t, out double sf)) return (T)(object)(float)sf;
        if (typeof(T) == typeof(float) && float.TryParse(t, NumberStyles.Float, s_inv, out float f)) return (T)(object)f;
        if (TryParseSpecial(t, out double special)) return ScalarCast.FromDouble<T>(special);
        if (double.TryParse(t, NumberStyles.Float, s_inv, out double d)) return ScalarCast.FromDouble<T>(d);
        throw new FormatException($"Cast: '{s}' is not a number.");
    }

    private static bool TryParseSpecial(ReadOnlySpan<char> t, out double v)
    {
        v = 0;
        bool negative = false;
        if (t.Length > 0 && (t[0] == '+' || t[0] == '-'))
        {
            negative = t[0] == '-';
            t = t[1..];
        }
        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            v = negative ? double.NegativeInfinity : double.PositiveInfinity;
        else if (t.Equals("nan", StringComparison.OrdinalIgnoreCase))
            v = double.NaN;
        else
            return false;
        return true;
    }

    /// <summary><paramref name="shortest"/> is .NET's shortest round-trip text of <paramref name="value"/>.</summary>
    private static string FormatFloat(double value, string shortest)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "INF" : "-INF";
        // Split the shortest text into sign, significant digits and the decimal exponent of the first digit.
        var s = shortest.AsSpan();
        bool negative = s.Length > 0 && s[0] == '-';
        if (negative) s = s[1..];
        int exp = 0;
        int e = s.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exp = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, s_inv);
            s = s[..e];
        }
        int dot = s.IndexOf('.');
        int intDigits = dot < 0 ? s.Length : dot;
        Span<char> digits = stackalloc char[s.Length];
        int nd = 0;
        foreach (char c in s) if (c != '.') digits[nd++] = c;
        // Drop leading zeros (0.00123) and trailing zeros (1200).
        int lead = 0;
        while (lead < nd - 1 && digits[lead] == '0') lead++;
        int point = intDigits + exp - lead; // digits before the decimal point in positional form
        var sig = digits[lead..nd].TrimEnd('0');
        if (sig.Length == 0) return negative ? "-0.0" : "0.0";
        int sciExp = point - 1;
        var sb = new System.Text.StringBuilder(32);
        if (negative) sb.Append('-');
        double abs = Math.Abs(value);
        if (abs >= 1e-4 && abs < 1e16)
        {
            if (point <= 0)
            {
                sb.Append("0.").Append('0', -point).Append(sig);
            }
            else if (point >= sig.Length)
            {
                sb.Append(sig).Append('0', point - sig.Length).Append(".0");
            }
            else
            {
                sb.Append(sig[..point]).Append('.').Append(sig[point..]);
            }
        }
        else
        {
            sb.Append(sig[0]);
            if (sig.Length > 1) sb.Append('.').Append(sig[1..]);
            sb.Append('e').Append(sciExp < 0 ? '-' : '+').Append(Math.Abs(sciExp).ToString("00", s_inv));
        }
        return sb.ToString();
    }
}
