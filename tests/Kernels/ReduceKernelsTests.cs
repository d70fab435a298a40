using NativeInfer.Kernels.Cpu;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// ReduceKernels against scalar double references: every fold over lengths 0..130 and 1000 (row and element-wise
/// forms), NaN propagation, the shifted exponential sums, and arg-max/arg-min over rows and columns with ties (first and
/// last), NaNs and infinities.
/// </summary>
public class ReduceKernelsTests
{
    private static float[] Data(int n, int seed, bool positive = false)
    {
        var rng = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = positive ? 0.5f + rng.NextSingle() : (rng.NextSingle() - 0.5f) * 8;
        return x;
    }

    private static void Close(double expected, float actual, string what, double rtol = 1e-5, double atol = 1e-6)
    {
        if (double.IsNaN(expected)) Assert.True(float.IsNaN(actual), what);
        else if (double.IsInfinity(expected)) Assert.Equal(expected, actual);
        else Assert.True(Math.Abs(actual - expected) <= atol + rtol * Math.Abs(expected), $"{what}: {actual} vs {expected}");
    }

    private static IEnumerable<int> Lengths() => Enumerable.Range(0, 131).Append(1000);

    [Fact]
    public void RowFoldsMatchReference()
    {
        foreach (int n in Lengths())
        {
            var x = Data(n, n);
            var p = Data(n, n, positive: true);
            // a float sum of mixed signs is accurate relative to Σ|x|, not to the (possibly tiny) result
            double magnitude = x.Sum(v => Math.Abs((double)v));
            Close(x.Sum(v => (double)v), ReduceKernels.FoldRow<SumFold>(x), $"sum {n}", 0, 1e-6 + 1e-6 * magnitude);
            Close(x.Sum(v => (double)v * v), ReduceKernels.FoldRow<SumSquaresFold>(x), $"sumsq {n}");
            Close(x.Sum(v => Math.Abs((double)v)), ReduceKernels.FoldRow<SumAbsFold>(x), $"sumabs {n}");
            Close(n == 0 ? double.NegativeInfinity : x.Max(), ReduceKernels.FoldRow<MaxFold>(x), $"max {n}");
            Close(n == 0 ? double.PositiveInfinity : x.Min(), ReduceKernels.FoldRow<MinFold>(x), $"min {n}");
            Close(p.Aggregate(1.0, (a, v) => a * v), ReduceKernels.FoldRow<ProductFold>(p), $"prod {n}", 1e-3);
            Close(x.Sum(v => Math.Exp(v - 4.0)), ReduceKernels.SumExpShifted(x, 4f), $"sumexp {n}");
        }
    }

    [Fact]
    public void MaxAndMinPropagateNaN()
    {
        foreach (int n in new[] { 1, 5, 17, 70 })
            for (int at = 0; at < n; at += 3)
            {
                var x = Data(n, at);
                x[at] = float.NaN;
                Assert.True(float.IsNaN(ReduceKernels.FoldRow<MaxFold>(x)), $"max n={n} at={at}");
                Assert.True(float.IsNaN(ReduceKernels.FoldRow<MinFold>(x)), $"min n={n} at={at}");
            }
    }

    [Fact]
    public void ElementwiseFoldsMatchReference()
    {
        foreach (int n in Lengths())
        {
            var a = Data(n, 1 + n);
            var x = Data(n, 2 + n);
            var shift = Data(n, 3 + n);
            Check<SumFold>(a, x, (u, v) => u + v);
            Check<SumSquaresFold>(a, x, (u, v) => u + v * v);
            Check<SumAbsFold>(a, x, (u, v) => u + Math.Abs(v));
            Check<MaxFold>(a, x, Math.Max);
            Check<MinFold>(a, x, Math.Min);
            Check<ProductFold>(a, x, (u, v) => u * v);
            var acc = (float[])a.Clone();
            ReduceKernels.AddExpShiftedInto(acc, x, shift);
            for (int i = 0; i < n; i++) Close(a[i] + Math.Exp(x[i] - shift[i]), acc[i], $"addexp {n}/{i}");
        }

        static void Check<TF>(float[] a, float[] x, Func<double, double, double> f) where TF : struct, IFloatFold
        {
            var acc = (float[])a.Clone();
            ReduceKernels.FoldInto<TF>(acc, x);
            for (int i = 0; i < a.Length; i++) Close(f(a[i], x[i]), acc[i], $"{typeof(TF).Name} {a.Length}/{i}");
        }
    }

    private static int ReferenceArg(float[] x, int offset, int stride, int n, bool max, bool last)
    {
        float best = x[offset];
        int bi = 0;
        for (int k = 1; k < n; k++)
        {
            float v = x[offset + k * stride];
            bool better = max ? (last ? v >= best : v > best) : (last ? v <= best : v < best);
            if (!float.IsNaN(best) && (float.IsNaN(v) || better))
            {
                best = v;
                bi = k;
            }
        }
        return bi;
    }

    /// <summary>Values from a small set so ties are common, with NaNs and infinities sprinkled in on request.</summary>
    private static float[] TieData(int count, Random rng, bool special)
    {
        float[] pool = [-2, -1, 0, 1, 2, 3];
        var x = new float[count];
        for (int i = 0; i < count; i++)
        {
            x[i] = pool[rng.Next(pool.Length)];
            if (special && rng.Next(40) == 0) x[i] = float.NaN;
            if (special && rng.Next(40) == 0) x[i] = rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity;
        }
        return x;
    }

    [Fact]
    public void ArgExtremeOverRows()
    {
        var rng = new Random(3);
        for (int n = 1; n <= 100; n++)
            for (int trial = 0; trial < 4; trial++)
            {
                var x = TieData(n, rng, special: trial >= 2);
                foreach (bool max in new[] { true, false })
                    foreach (bool last in new[] { true, false })
                        Assert.Equal(ReferenceArg(x, 0, 1, n, max, last), ReduceKernels.ArgExtreme(x, max, last));
            }
        Assert.Throws<ArgumentException>(() => ReduceKernels.ArgExtreme([], true, false));
    }

    [Fact]
    public void ArgExtremeOverColumns()
    {
        var rng = new Random(4);
        foreach (int inner in new[] { 1, 3, 8, 9, 16, 21 })
            for (int n = 1; n <= 12; n++)
            {
                var x = TieData(n * inner, rng, special: n % 2 == 0);
                var best = new float[inner];
                var idx = new long[inner];
                foreach (bool max in new[] { true, false })
                    foreach (bool last in new[] { true, false })
                    {
                        ReduceKernels.ArgExtremeColumns(x, n, inner, max, last, best, idx);
                        for (int j = 0; j < inner; j++)
                            Assert.Equal(ReferenceArg(x, j, inner, n, max, last), idx[j]);
                    }
            }
    }
}
