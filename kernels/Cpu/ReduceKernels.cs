using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// One float reduction as an element map and an associative merge, for every vector width: the fold is
/// merge(acc, map(x)). <see cref="ReduceKernels"/> drives it over contiguous rows (one result) or runs (one result per
/// element). Implementations are empty structs, so every loop is compiled per reduction.
/// </summary>
public interface IFloatFold
{
    /// <summary>The identity of <see cref="Merge(float, float)"/> (the result of an empty fold).</summary>
    static abstract float Identity { get; }

    static abstract float Map(float x);
    static abstract Vector128<float> Map(Vector128<float> x);
    static abstract Vector256<float> Map(Vector256<float> x);
    static abstract Vector512<float> Map(Vector512<float> x);

    static abstract float Merge(float a, float b);
    static abstract Vector128<float> Merge(Vector128<float> a, Vector128<float> b);
    static abstract Vector256<float> Merge(Vector256<float> a, Vector256<float> b);
    static abstract Vector512<float> Merge(Vector512<float> a, Vector512<float> b);
}

/// <summary>Σ x.</summary>
public struct SumFold : IFloatFold
{
    public static float Identity => 0f;
    public static float Map(float x) => x;
    public static Vector128<float> Map(Vector128<float> x) => x;
    public static Vector256<float> Map(Vector256<float> x) => x;
    public static Vector512<float> Map(Vector512<float> x) => x;
    public static float Merge(float a, float b) => a + b;
    public static Vector128<float> Merge(Vector128<float> a, Vector128<float> b) => a + b;
    public static Vector256<float> Merge(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector512<float> Merge(Vector512<float> a, Vector512<float> b) => a + b;
}

/// <summary>Σ x².</summary>
public struct SumSquaresFold : IFloatFold
{
    public static float Identity => 0f;
    public static float Map(float x) => x * x;
    public static Vector128<float> Map(Vector128<float> x) => x * x;
    public static Vector256<float> Map(Vector256<float> x) => x * x;
    public static Vector512<float> Map(Vector512<float> x) => x * x;
    public static float Merge(float a, float b) => a + b;
    public static Vector128<float> Merge(Vector128<float> a, Vector128<float> b) => a + b;
    public static Vector256<float> Merge(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector512<float> Merge(Vector512<float> a, Vector512<float> b) => a + b;
}

/// <summary>Σ |x|.</summary>
public struct SumAbsFold : IFloatFold
{
    public static float Identity => 0f;
    public static float Map(float x) => MathF.Abs(x);
    public static Vector128<float> Map(Vector128<float> x) => Vector128.Abs(x);
    public static Vector256<float> Map(Vector256<float> x) => Vector256.Abs(x);
    public static Vector512<float> Map(Vector512<float> x) => Vector512.Abs(x);
    public static float Merge(float a, float b) => a + b;
    public static Vector128<float> Merge(Vector128<float> a, Vector128<float> b) => a + b;
    public static Vector256<float> Merge(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector512<float> Merge(Vector512<float> a, Vector512<float> b) => a + b;
}

/// <summary>Π x.</summary>
public struct ProductFold : IFloatFold
{
    public static float Identity => 1f;
    public static float Map(float x) => x;
    public static Vector128<float> Map(Vector128<float> x) => x;
    public static Vector256<float> Map(Vector256<float> x) => x;
    public static Vector512<float> Map(Vector512<float> x) => x;
    public static float Merge(float a, float b) => a * b;
    public static Vector128<float> Merge(Vector128<float> a, Vector128<float> b) => a * b;
    public static Vector256<float> Merge(Vector256<float> a, Vector256<float> b) => a * b;
    public static Vector512<float> Merge(Vector512<float> a, Vector512<float> b) => a * b;
}

/// <summary>max x; NaN propagates (IEEE 754 maximum).</summary>
public struct MaxFold : IFloatFold
{
    public static float Identity => float.NegativeInfinity;
    public static float Map(float x) => x;
    public static Vector128<float> Map(Vector128<float> x) => x;
    public static Vector256<float> Map(Vector256<float> x) => x;
    public static Vector512<float> Map(Vector512<float> x) => x;
    public static float Merge(float a, float b) => MathF.Max(a, b);
    public static Vector128<float> Merge(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);
    public static Vector256<float> Merge(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    public static Vector512<float> Merge(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
}

/// <summary>min x; NaN propagates (IEEE 754 minimum).</summary>
public struct MinFold : IFloatFold
{
    public static float Identity => float.PositiveInfinity;
    public static float Map(float x) => x;
    public static Vector128<float> Map(Vector128<float> x) => x;
    public static Vector256<float> Map(Vector256<float> x) => x;
    public static Vector512<float> Map(Vector512<float> x) => x;
    public static float Merge(float a, float b) => MathF.Min(a, b);
    public static Vector128<float> Merge(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);
    public static Vector256<float> Merge(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);
    public static Vector512<float> Merge(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);
}

/// <summary>
/// Vectorized float reductions: a row folded into one value (<see cref="FoldRow{TF}(ReadOnlySpan{float})"/>), a run
/// folded element-wise into accumulators (<see cref="FoldInto{TF}"/>), shifted exponential sums (log-sum-exp) and the
/// arg-max/arg-min searches. Every width (512/256/128 bits, scalar) runs in turn over what the wider one left.
/// </summary>
public static unsafe class ReduceKernels
{
    /// <summary>The fold of every element of <paramref name="x"/> (the identity when empty).</summary>
    public static float FoldRow<TF>(ReadOnlySpan<float> x) where TF : struct, IFloatFold
    {
        fixed (float* p = x) return FoldRow<TF>(p, x.Length);
    }

    /// <summary>acc[i] = merge(acc[i], map(x[i])) for every i.</summary>
    public static void FoldInto<TF>(Span<float> acc, ReadOnlySpan<float> x) where TF : struct, IFloatFold
    {
        if (x.Length > acc.Length) throw new ArgumentException("The accumulator run is shorter than the input run.");
        fixed (float* a = acc)
        fixed (float* p = x)
            FoldInto<TF>(a, p, x.Length);
    }

    /// <summary>Pointer form of <see cref="FoldRow{TF}(ReadOnlySpan{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float FoldRow<TF>(float* x, int n) where TF : struct, IFloatFold
    {
        float acc = TF.Identity;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var a0 = Vector512.Create(TF.Identity);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            // unrolled ×4: independent accumulators hide the add latency
            for (; i <= n - 64; i += 64)
            {
                a0 = TF.Merge(a0, TF.Map(Vector512.Load(x + i)));
                a1 = TF.Merge(a1, TF.Map(Vector512.Load(x + i + 16)));
                a2 = TF.Merge(a2, TF.Map(Vector512.Load(x + i + 32)));
                a3 = TF.Merge(a3, TF.Map(Vector512.Load(x + i + 48)));
            }
            for (; i <= n - 16; i += 16) a0 = TF.Merge(a0, TF.Map(Vector512.Load(x + i)));
            a0 = TF.Merge(TF.Merge(a0, a1), TF.Merge(a2, a3));
            var half = TF.Merge(a0.GetLower(), a0.GetUpper());
            acc = Lanes<TF>(TF.Merge(half.GetLower(), half.GetUpper()), acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var a0 = Vector256.Create(TF.Identity);
            var a1 = a0;
            var a2 = a0;
            var a3 = a0;
            for (; i <= n - 32; i += 32)
            {
                a0 = TF.Merge(a0, TF.Map(Vector256.Load(x + i)));
                a1 = TF.Merge(a1, TF.Map(Vector256.Load(x + i + 8)));
                a2 = TF.Merge(a2, TF.Map(Vector256.Load(x + i + 16)));
                a3 = TF.Merge(a3, TF.Map(Vector256.Load(x + i + 24)));
            }
            for (; i <= n - 8; i += 8) a0 = TF.Merge(a0, TF.Map(Vector256.Load(x + i)));
            a0 = TF.Merge(TF.Merge(a0, a1), TF.Merge(a2, a3));
            acc = Lanes<TF>(TF.Merge(a0.GetLower(), a0.GetUpper()), acc);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var a0 = Vector128.Create(TF.Identity);
            var a1 = a0;
            for (; i <= n - 8; i += 8)
            {
                a0 = TF.Merge(a0, TF.Map(Vector128.Load(x + i)));
                a1 = TF.Merge(a1, TF.Map(Vector128.Load(x + i + 4)));
            }
            for (; i <= n - 4; i += 4) a0 = TF.Merge(a0, TF.Map(Vector128.Load(x + i)));
            acc = Lanes<TF>(TF.Merge(a0, a1), acc);
        }
        for (; i < n; i++) acc = TF.Merge(acc, TF.Map(x[i]));
        return acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Lanes<TF>(Vector128<float> v, float acc) where TF : struct, IFloatFold =>
        TF.Merge(acc, TF.Merge(TF.Merge(v.GetElement(0), v.GetElement(1)), TF.Merge(v.GetElement(2), v.GetElement(3))));

    /// <summary>Pointer form of <see cref="FoldInto{TF}(Span{float}, ReadOnlySpan{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FoldInto<TF>(float* acc, float* x, int n) where TF : struct, IFloatFold
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16)
                Vector512.Store(TF.Merge(Vector512.Load(acc + i), TF.Map(Vector512.Load(x + i))), acc + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8)
                Vector256.Store(TF.Merge(Vector256.Load(acc + i), TF.Map(Vector256.Load(x + i))), acc + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4)
                Vector128.Store(TF.Merge(Vector128.Load(acc + i), TF.Map(Vector128.Load(x + i))), acc + i);
        for (; i < n; i++) acc[i] = TF.Merge(acc[i], TF.Map(x[i]));
    }

    /// <summary>Σ e^(x[i] − shift) over a row (shift is normally the row's maximum, so every exponent is ≤ 0).</summary>
    public static float SumExpShifted(ReadOnlySpan<float> x, float shift)
    {
        fixed (float* p = x) return SumExpShifted(p, x.Length, shift);
    }

    /// <summary>Pointer form of <see cref="SumExpShifted(ReadOnlySpan{float}, float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float SumExpShifted(float* x, int n, float shift)
    {
        float sum = 0;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var s = Vector512.Create(shift);
            Vector512<float> a0 = default, a1 = default;
            for (; i <= n - 32; i += 32)
            {
                a0 += VectorMath.Exp(Vector512.Load(x + i) - s);
                a1 += VectorMath.Exp(Vector512.Load(x + i + 16) - s);
            }
            for (; i <= n - 16; i += 16) a0 += VectorMath.Exp(Vector512.Load(x + i) - s);
            sum += Vector512.Sum(a0 + a1);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= 8)
        {
            var s = Vector256.Create(shift);
            Vector256<float> a0 = default;
            for (; i <= n - 8; i += 8) a0 += VectorMath.Exp(Vector256.Load(x + i) - s);
            sum += Vector256.Sum(a0);
        }
        if (Vector128.IsHardwareAccelerated && n - i >= 4)
        {
            var s = Vector128.Create(shift);
            Vector128<float> a0 = default;
            for (; i <= n - 4; i += 4) a0 += VectorMath.Exp(Vector128.Load(x + i) - s);
            sum += Vector128.Sum(a0);
        }
        for (; i < n; i++) sum += MathF.Exp(x[i] - shift);
        return sum;
    }

    /// <summary>acc[i] += e^(x[i] − shift[i]) for every i (log-sum-exp over a leading axis).</summary>
    public static void AddExpShiftedInto(Span<float> acc, ReadOnlySpan<float> x, ReadOnlySpan<float> shift)
    {
        if (x.Length > acc.Length || x.Length > shift.Length) throw new ArgumentException("Runs differ in length.");
        fixed (float* a = acc)
        fixed (float* p = x)
        fixed (float* s = shift)
            AddExpShiftedInto(a, p, s, x.Length);
    }

    /// <summary>Pointer form of <see cref="AddExpShiftedInto(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddExpShiftedInto(float* acc, float* x, float* shift, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16)
                Vector512.Store(Vector512.Load(acc + i) + VectorMath.Exp(Vector512.Load(x + i) - Vector512.Load(shift + i)), acc + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8)
                Vector256.Store(Vector256.Load(acc + i) + VectorMath.Exp(Vector256.Load(x + i) - Vector256.Load(shift + i)), acc + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4)
                Vector128.Store(Vector128.Load(acc + i) + VectorMath.Exp(Vector128.Load(x + i) - Vector128.Load(shift + i)), acc + i);
        for (; i < n; i++) acc[i] += MathF.Exp(x[i] - shift[i]);
    }

    /// <summary>
    /// The index of the largest (<paramref name="max"/>) or smallest element of a non-empty row: the first one, or the
    /// last with <paramref name="last"/>. A NaN beats every number (the first NaN wins).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ArgExtreme(ReadOnlySpan<float> x, bool max, bool last)
    {
        if (x.IsEmpty) throw new ArgumentException("Cannot pick an index in an empty row.");
        fixed (float* p = x)
        {
            float best = max ? FoldRow<MaxFold>(p, x.Length) : FoldRow<MinFold>(p, x.Length);
            if (float.IsNaN(best))
            {
                for (int i = 0; i < x.Length; i++)
                    if (float.IsNaN(p[i])) return i;
            }
            return last ? LastIndexOf(p, x.Length, best) : FirstIndexOf(p, x.Length, best);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FirstIndexOf(float* x, int n, float value)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var v = Vector512.Create(value);
            for (; i <= n - 16; i += 16)
            {
                var eq = Vector512.Equals(Vector512.Load(x + i), v);
                if (eq != Vector512<float>.Zero) return i + BitOperations.TrailingZeroCount(eq.ExtractMostSignificantBits());
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var v = Vector128.Create(value);
            for (; i <= n - 4; i += 4)
            {
                var eq = Vector128.Equals(Vector128.Load(x + i), v);
                if (eq != Vector128<float>.Zero) return i + BitOperations.TrailingZeroCount(eq.ExtractMostSignificantBits());
            }
        }
        for (; i < n; i++)
            if (x[i] == value) return i;
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LastIndexOf(float* x, int n, float value)
    {
        int i = n;
        if (Vector512.IsHardwareAccelerated)
        {
            var v = Vector512.Create(value);
            for (; i >= 16; i -= 16)
            {
                var eq = Vector512.Equals(Vector512.Load(x + i - 16), v);
                if (eq != Vector512<float>.Zero) return i - 16 + 63 - BitOperations.LeadingZeroCount(eq.ExtractMostSignificantBits());
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var v = Vector128.Create(value);
            for (; i >= 4; i -= 4)
            {
                var eq = Vector128.Equals(Vector128.Load(x + i - 4), v);
                if (eq != Vector128<float>.Zero) return i - 4 + 31 - BitOperations.LeadingZeroCount(eq.ExtractMostSignificantBits());
            }
        }
        for (i--; i >= 0; i--)
            if (x[i] == value) return i;
        return -1;
    }

    /// <summary>
    /// Arg-reduction over the middle axis of x viewed as [n, inner] (one outer slice): indices[j] = the winning k of
    /// x[k, j] (ties to the first k, or the last with <paramref name="last"/>; the first NaN wins). n must be ≥ 1;
    /// <paramref name="best"/> is scratch of at least inner elements.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ArgExtremeColumns(ReadOnlySpan<float> x, int n, int inner, bool max, bool last, Span<float> best, Span<long> indices)
    {
        if (n < 1 || inner < 0 || x.Length < (long)n * inner || best.Length < inner || indices.Length < inner)
            throw new ArgumentException("ArgExtremeColumns: buffers do not match the [n, inner] shape.");
        x[..inner].CopyTo(best);
        indices[..inner].Clear();
        // int32 indices in vector registers; widened to long at the end of each vector
        fixed (float* px = x)
        fixed (float* pb = best)
        fixed (long* pi = indices)
        {
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                Span<int> tmp = stackalloc int[8];
                for (; j <= inner - 8; j += 8)
                {
                    var b = Vector256.Load(pb + j);
                    var idx = Vector256<int>.Zero;
                    for (int k = 1; k < n; k++)
                    {
                        var v = Vector256.Load(px + (long)k * inner + j);
                        var better = max ? (last ? Vector256.GreaterThanOrEqual(v, b) : Vector256.GreaterThan(v, b))
                                         : (last ? Vector256.LessThanOrEqual(v, b) : Vector256.LessThan(v, b));
                        // a NaN wins over a number; nothing replaces a NaN (comparisons with NaN are false)
                        better |= ~Vector256.Equals(v, v) & Vector256.Equals(b, b);
                        b = Vector256.ConditionalSelect(better, v, b);
                        idx = Vector256.ConditionalSelect(better.AsInt32(), Vector256.Create(k), idx);
                    }
                    idx.CopyTo(tmp);
                    for (int t = 0; t < 8; t++) pi[j + t] = tmp[t];
                }
            }
            for (; j < inner; j++)
            {
                float b = pb[j];
                long bi = 0;
                for (int k = 1; k < n; k++)
                {
                    float v = px[(long)k * inner + j];
                    bool better = max ? (last ? v >= b : v > b) : (last ? v <= b : v < b);
                    if (!float.IsNaN(b) && (float.IsNaN(v) || better))
                    {
                        b = v;
                        bi = k;
                    }
                }
                pi[j] = bi;
            }
        }
    }
}
