using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Threading;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// ResizeKernels against the direct formula from the same tables: random index/weight tables (repeated rows,
/// sliding rows, both taps on one row, any order) over swept input and output sizes; one and two threads; bad tables.
/// </summary>
public class ResizeKernelsTests
{
    private static int[] Indices(int n, int limit, Random rng, bool monotone)
    {
        var r = new int[n];
        for (int i = 0; i < n; i++) r[i] = monotone ? (int)((long)i * limit / Math.Max(n, 1)) : rng.Next(limit);
        return r;
    }

    private static float[] Weights(int n, Random rng) => Enumerable.Range(0, n).Select(_ => rng.NextSingle()).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void NearestMatchesTables(int threads)
    {
        using var _ = KernelParallelism.Push(threads);
        var rng = new Random(threads);
        foreach (var (inH, inW, outH, outW) in new[] { (1, 1, 3, 5), (4, 5, 8, 10), (7, 3, 2, 17), (5, 5, 5, 5), (64, 60, 128, 120) })
            foreach (bool monotone in new[] { true, false })
            {
                int planes = 3;
                var x = Enumerable.Range(0, planes * inH * inW).Select(i => (float)i).ToArray();
                var rows = Indices(outH, inH, rng, monotone);
                var cols = Indices(outW, inW, rng, monotone);
                var y = new float[planes * outH * outW];
                ResizeKernels.Nearest2D(x, y, planes, inH, inW, outH, outW, rows, cols);
                for (int p = 0; p < planes; p++)
                    for (int j = 0; j < outH; j++)
                        for (int i = 0; i < outW; i++)
                            Assert.Equal(x[(p * inH + rows[j]) * inW + cols[i]], y[(p * outH + j) * outW + i]);
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LinearMatchesTables(int threads)
    {
        using var _ = KernelParallelism.Push(threads);
        var rng = new Random(10 + threads);
        foreach (var (inH, inW, outH, outW) in new[] { (1, 1, 3, 5), (4, 5, 8, 10), (7, 3, 2, 17), (6, 9, 6, 9), (3, 4, 33, 47), (64, 60, 128, 120) })
            foreach (bool monotone in new[] { true, false })
            {
                int planes = 2;
                var x = Enumerable.Range(0, planes * inH * inW).Select(_ => rng.NextSingle() * 10 - 5).ToArray();
                var r0 = Indices(outH, inH, rng, monotone);
                var r1 = r0.Select(r => monotone ? Math.Min(r + 1, inH - 1) : rng.Next(inH)).ToArray();
                var c0 = Indices(outW, inW, rng, monotone);
                var c1 = c0.Select(c => monotone ? Math.Min(c + 1, inW - 1) : rng.Next(inW)).ToArray();
                var wy0 = Weights(outH, rng);
                var wy1 = Weights(outH, rng);
                var wx0 = Weights(outW, rng);
                var wx1 = Weights(outW, rng);
                var y = new float[planes * outH * outW];
                ResizeKernels.Linear2D(x, y, planes, inH, inW, outH, outW, r0, r1, wy0, wy1, c0, c1, wx0, wx1);
                for (int p = 0; p < planes; p++)
                    for (int j = 0; j < outH; j++)
                        for (int i = 0; i < outW; i++)
                        {
                            double H(int r) => wx0[i] * (double)x[(p * inH + r) * inW + c0[i]] + wx1[i] * (double)x[(p * inH + r) * inW + c1[i]];
                            double e = wy0[j] * H(r0[j]) + wy1[j] * H(r1[j]);
                            float a = y[(p * outH + j) * outW + i];
                            Assert.True(Math.Abs(a - e) <= 1e-5 + 1e-5 * Math.Abs(e), $"({p},{j},{i}) {a} vs {e} [{inH}x{inW}->{outH}x{outW}]");
                        }
            }
    }

    [Fact]
    public void RejectsBadTables()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ResizeKernels.Nearest2D(new float[4], new float[4], 1, 2, 2, 2, 2, [0, 2], [0, 1]));
        Assert.Throws<ArgumentException>(() =>
            ResizeKernels.Nearest2D(new float[4], new float[4], 1, 2, 2, 2, 2, [0], [0, 1]));
        Assert.Throws<ArgumentException>(() =>
            ResizeKernels.Nearest2D(new float[3], new float[4], 1, 2, 2, 2, 2, [0, 1], [0, 1]));
    }
}
