using NativeInfer.Kernels.Cpu;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// PackedSgemm against a naive reference over swept sizes: every M/N tail of the 6×16 micro-kernel, the M = 1 GEMV path,
/// K blocking (KC = 256), row blocking (MC = 72), the threaded path, transposes, alpha/beta and padded leading
/// dimensions. Operands are small integers, so every partial sum is exact in float32 and results must match exactly
/// whatever the summation order or FMA use.
/// </summary>
public class PackedSgemmTests
{
    private static readonly int[] Ms = [0, 1, 2, 3, 5, 6, 7, 11, 12, 13, 17, 31, 37, 64, 70];
    private static readonly int[] Ns = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 47, 64, 70];
    private static readonly int[] Ks = [0, 1, 2, 3, 5, 7, 16, 31, 61, 70];
    private static readonly (float Alpha, float Beta)[] Scales = [(1, 0), (1, 1), (1.5f, -0.25f), (-2, 0.5f), (0.5f, 0)];

    /// <summary>
    /// Runs one product with leading dimensions padded by <paramref name="pad"/> and C prefilled; checks every element of
    /// C (the padding columns must stay untouched).
    /// </summary>
    private static void Check(Random rng, bool transA, bool transB, int m, int n, int k, float alpha, float beta, int pad = 0,
        bool nanInC = false)
    {
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        var a = MatrixReference.SmallInts(rng, Math.Max(0, aRows * lda));
        var b = MatrixReference.SmallInts(rng, Math.Max(0, bRows * ldb));
        var c = MatrixReference.SmallInts(rng, Math.Max(0, m * ldc), 8);
        if (nanInC) Array.Fill(c, float.NaN);
        var expected = MatrixReference.Gemm(transA, transB, m, n, k, alpha, a, Math.Max(lda, 1), b, Math.Max(ldb, 1), beta, c, ldc);
        if (nanInC) // padding columns keep their NaN; the product region must not
            for (int i = 0; i < m; i++) for (int j = n; j < ldc; j++) expected[i * ldc + j] = float.NaN;
        PackedSgemm.Multiply(transA, transB, m, n, k, alpha, a, Math.Max(lda, 1), b, Math.Max(ldb, 1), beta, c, Math.Max(ldc, 1));
        for (int i = 0; i < c.Length; i++)
        {
            bool bothNaN = double.IsNaN(expected[i]) && float.IsNaN(c[i]);
            if (!bothNaN && c[i] != expected[i])
                Assert.Fail($"m={m} n={n} k={k} transA={transA} transB={transB} alpha={alpha} beta={beta} pad={pad}: " +
                            $"C[{i / Math.Max(ldc, 1)},{i % Math.Max(ldc, 1)}] = {c[i]}, expected {expected[i]}.");
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void SweepsEveryTail(bool transA, bool transB)
    {
        var rng = new Random((transA ? 1 : 2) + (transB ? 10 : 0));
        for (int mi = 0; mi < Ms.Length; mi++)
            for (int ni = 0; ni < Ns.Length; ni++)
                for (int ki = 0; ki < Ks.Length; ki++)
                {
                    // The scale pair varies with every index, so each size meets every alpha/beta pair somewhere.
                    var (alpha, beta) = Scales[(mi + ni + ki) % Scales.Length];
                    Check(rng, transA, transB, Ms[mi], Ns[ni], Ks[ki], alpha, beta);
                }
    }

    [Fact]
    public void EveryKUpTo70()
    {
        var rng = new Random(3);
        for (int k = 0; k <= 70; k++) Check(rng, k % 2 == 0, k % 3 == 0, 7, 17, k, 1, k % 4 == 0 ? 0 : 1);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void GemvPath(bool transA, bool transB)
    {
        var rng = new Random(4);
        foreach (int n in new[] { 1, 7, 8, 15, 16, 17, 63, 64, 255, 256, 257, 300 })
            foreach (int k in new[] { 1, 15, 16, 17, 33 })
                Check(rng, transA, transB, 1, n, k, 1.5f, n % 2 == 0 ? 0 : -0.5f);
    }

    [Theory]
    [InlineData(false, false, 0.5f)]
    [InlineData(true, true, -1f)]
    [InlineData(false, true, 0f)]
    public void KBlockingAppliesBetaOnce(bool transA, bool transB, float beta)
    {
        // K spans two and three KC = 256 blocks; beta must scale C once, not once per block.
        var rng = new Random(5);
        Check(rng, transA, transB, 13, 19, 257, 1, beta);
        Check(rng, transA, transB, 7, 33, 600, 0.5f, beta);
    }

    [Fact]
    public void RowBlockingPastMC()
    {
        var rng = new Random(6);
        foreach (int m in new[] { 71, 72, 73, 144, 150 })
            Check(rng, m % 2 == 0, false, m, 21, 9, 1, 1);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void ThreadedPath(bool transA, bool transB)
    {
        // m·n·k ≥ 2^18 takes the parallel path; ragged sizes keep every task's edge tiles partial.
        var rng = new Random(7);
        Check(rng, transA, transB, 151, 133, 300, 1, 0.5f);
        Check(rng, transA, transB, 1, 2000, 200, 1, 0);
    }

    [Fact]
    public void PaddedLeadingDimensionsLeavePaddingUntouched()
    {
        var rng = new Random(8);
        foreach (var (m, n, k) in new[] { (1, 5, 3), (7, 17, 5), (13, 33, 70), (70, 70, 70) })
            for (int t = 0; t < 4; t++)
                Check(rng, t % 2 == 1, t >= 2, m, n, k, 1, t % 3 == 0 ? 0 : 1, pad: 3);
    }

    [Fact]
    public void BetaZeroIgnoresNaNInC()
    {
        var rng = new Random(9);
        foreach (var (m, n, k) in new[] { (1, 9, 4), (5, 17, 3), (6, 16, 300), (13, 40, 0) })
            Check(rng, false, false, m, n, k, 1, 0, pad: 2, nanInC: true);
    }

    [Fact]
    public void AlphaZeroOrEmptyKOnlyScalesC()
    {
        var rng = new Random(10);
        Check(rng, false, false, 5, 7, 4, 0, 0.5f);
        Check(rng, true, true, 5, 7, 0, 2, -1);
        Check(rng, false, false, 5, 7, 0, 2, 1);
    }

    [Fact]
    public void NonIntegerValuesWithinRoundingError()
    {
        var rng = new Random(11);
        foreach (var (m, n, k) in new[] { (9, 23, 50), (70, 65, 300), (1, 100, 513) })
        {
            var a = Enumerable.Range(0, m * k).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var b = Enumerable.Range(0, k * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var c = Enumerable.Range(0, m * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var expected = MatrixReference.Gemm(false, false, m, n, k, 0.7, a, k, b, n, 0.3, c, n);
            PackedSgemm.Multiply(false, false, m, n, k, 0.7f, a, k, b, n, 0.3f, c, n);
            for (int i = 0; i < c.Length; i++)
                Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-5 * k, $"m={m} n={n} k={k} [{i}]: {c[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void ShortBuffersAndBadStridesThrow()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        Assert.ThrowsAny<ArgumentException>(() => PackedSgemm.Multiply(false, false, 2, 2, 3, 1, a[..5], 3, b, 2, 0, c, 2));
        Assert.ThrowsAny<ArgumentException>(() => PackedSgemm.Multiply(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c[..3], 2));
        Assert.ThrowsAny<ArgumentException>(() => PackedSgemm.Multiply(false, false, 2, 2, 3, 1, a, 2, b, 2, 0, c, 2));
        Assert.ThrowsAny<ArgumentException>(() => PackedSgemm.Multiply(false, false, -1, 2, 3, 1, a, 3, b, 2, 0, c, 2));
        PackedSgemm.Multiply(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2); // the same call with valid arguments runs
    }
}
