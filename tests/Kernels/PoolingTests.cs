using NativeInfer.Kernels.Cpu;
using Xunit;
using static NativeInfer.Tests.Support.SpatialIndex;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// Pooling.Run with the max, average and Lp reducers against a direct reference over swept 1-D, 2-D and 3-D geometries:
/// padding on both sides, strides, dilations, ceil-mode overhang (output larger than the floor formula gives), NaNs,
/// ties, and the row- and column-major Indices output.
/// </summary>
public class PoolingTests
{
    private sealed record Case(SpatialGeometry G, int[] PadEnd, int Planes);

    /// <summary>A random geometry; with <paramref name="ceil"/> the output may be one longer (ceil mode), when that window starts inside.</summary>
    private static Case? RandomCase(Random rng, int rank, bool ceil)
    {
        int[] input = new int[rank], kernel = new int[rank], stride = new int[rank], dil = new int[rank],
            padBegin = new int[rank], padEnd = new int[rank], output = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            input[d] = rng.Next(1, rank == 3 ? 6 : 10);
            kernel[d] = rng.Next(1, 4);
            stride[d] = rng.Next(1, 4);
            dil[d] = rng.Next(1, 3);
            padBegin[d] = rng.Next(0, kernel[d]);
            padEnd[d] = rng.Next(0, kernel[d]);
            int span = (kernel[d] - 1) * dil[d] + 1;
            int room = input[d] + padBegin[d] + padEnd[d] - span;
            if (room < 0) return null;
            output[d] = ceil ? (room + stride[d] - 1) / stride[d] + 1 : room / stride[d] + 1;
            if (ceil && (output[d] - 1) * stride[d] >= input[d] + padBegin[d]) output[d]--;
        }
        return new Case(new SpatialGeometry(input, kernel, stride, dil, padBegin, output), padEnd, rng.Next(1, 4));
    }

    /// <summary>
    /// For one output position: the in-bounds input positions of the window (row-major within the plane, in window
    /// order) and how many window positions fall inside the padded input.
    /// </summary>
    private static (List<int> Valid, int Padded) Window(Case c, int o)
    {
        var g = c.G;
        var oc = Unravel(o, g.Output);
        var valid = new List<int>();
        int padded = 0;
        for (int w = 0; w < g.KernelSize; w++)
        {
            var k = Unravel(w, g.Kernel);
            bool inside = true, insidePadded = true;
            int pos = 0;
            for (int d = 0; d < g.Rank; d++)
            {
                int x = oc[d] * g.Strides[d] - g.PadBegin[d] + k[d] * g.Dilations[d];
                if (x < 0 || x >= g.Input[d]) inside = false;
                if (x < -g.PadBegin[d] || x >= g.Input[d] + c.PadEnd[d]) insidePadded = false;
                pos = pos * g.Input[d] + Math.Clamp(x, 0, g.Input[d] - 1);
            }
            if (inside) valid.Add(pos);
            if (insidePadded) padded++;
        }
        return (valid, padded);
    }

    private static float[] Data(Random rng, int n, bool withNaN) =>
        Enumerable.Range(0, n).Select(_ => withNaN && rng.Next(8) == 0 ? float.NaN : rng.Next(-6, 7) / 2f).ToArray();

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void MaxWithIndices(int rank, bool ceil)
    {
        var rng = new Random(rank * 2 + (ceil ? 1 : 0));
        for (int trial = 0; trial < 150; trial++)
        {
            if (RandomCase(rng, rank, ceil) is not { } c) continue;
            var g = c.G;
            var x = Data(rng, c.Planes * g.InputSize, withNaN: trial % 2 == 0);
            foreach (bool columnMajor in new[] { false, true })
            {
                var y = new float[c.Planes * g.OutputSize];
                var idx = new long[y.Length];
                Pooling.Run(x, c.Planes, g, c.PadEnd, y, idx, columnMajor, new MaxReducer<float>());
                for (int p = 0; p < c.Planes; p++)
                    for (int o = 0; o < g.OutputSize; o++)
                    {
                        // First strictly greater non-NaN wins (ties keep the earliest in window order); none → 0 and index -1.
                        int best = -1;
                        foreach (int pos in Window(c, o).Valid)
                        {
                            float v = x[p * g.InputSize + pos];
                            if (float.IsNaN(v)) continue;
                            if (best < 0 || v > x[p * g.InputSize + best]) best = pos;
                        }
                        float ey = best < 0 ? 0 : x[p * g.InputSize + best];
                        long ei = best < 0 ? -1 : (long)p * g.InputSize + (columnMajor ? ColumnMajor(best, g.Input) : best);
                        int at = p * g.OutputSize + o;
                        Assert.True(y[at] == ey && idx[at] == ei,
                            $"rank {rank} trial {trial} plane {p} out {o}: got ({y[at]}, {idx[at]}), expected ({ey}, {ei})");
                    }
            }
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    public void AverageCountingOrIgnoringPadding(int rank, bool ceil)
    {
        var rng = new Random(20 + rank);
        for (int trial = 0; trial < 150; trial++)
        {
            if (RandomCase(rng, rank, ceil) is not { } c) continue;
            var g = c.G;
            var x = Data(rng, c.Planes * g.InputSize, withNaN: false);
            foreach (bool countPad in new[] { false, true })
            {
                var y = new float[c.Planes * g.OutputSize];
                Pooling.Run(x, c.Planes, g, c.PadEnd, y, Span<long>.Empty, false, new AverageReducer<float>(countPad));
                for (int p = 0; p < c.Planes; p++)
                    for (int o = 0; o < g.OutputSize; o++)
                    {
                        var (valid, padded) = Window(c, o);
                        double sum = valid.Sum(pos => (double)x[p * g.InputSize + pos]);
                        int n = countPad ? padded : valid.Count;
                        float e = (float)(n == 0 ? double.NaN : sum / n);
                        float a = y[p * g.OutputSize + o];
                        Assert.True(float.IsNaN(e) ? float.IsNaN(a) : Math.Abs(a - e) <= 1e-6 * Math.Max(1, Math.Abs(e)),
                            $"rank {rank} trial {trial} countPad {countPad} plane {p} out {o}: got {a}, expected {e} (valid {valid.Count}, padded {padded})");
                    }
            }
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    public void LpNorm(double pNorm)
    {
        var rng = new Random(30 + (int)pNorm);
        for (int trial = 0; trial < 120; trial++)
        {
            if (RandomCase(rng, 1 + trial % 3, ceil: false) is not { } c) continue;
            var g = c.G;
            var x = Data(rng, c.Planes * g.InputSize, withNaN: false);
            var y = new float[c.Planes * g.OutputSize];
            Pooling.Run(x, c.Planes, g, c.PadEnd, y, Span<long>.Empty, false, new LpReducer<float>(pNorm));
            for (int p = 0; p < c.Planes; p++)
                for (int o = 0; o < g.OutputSize; o++)
                {
                    double s = Window(c, o).Valid.Sum(pos => Math.Pow(Math.Abs(x[p * g.InputSize + pos]), pNorm));
                    double e = Math.Pow(s, 1 / pNorm);
                    float a = y[p * g.OutputSize + o];
                    Assert.True(Math.Abs(a - e) <= 1e-5 * Math.Max(1, e), $"p={pNorm} trial {trial} out {o}: got {a}, expected {e}");
                }
        }
    }

    [Fact]
    public void MaxOnIntegersAndThreadedPath()
    {
        // planes·out·kernel ≥ 2^15 spreads planes over threads.
        var g = new SpatialGeometry([20, 20], [3, 3], [2, 2], [1, 1], [1, 1], [10, 10]);
        var c = new Case(g, [1, 1], 64);
        var rng = new Random(40);
        var x = Enumerable.Range(0, c.Planes * g.InputSize).Select(_ => rng.Next(-1000, 1000)).ToArray();
        var y = new int[c.Planes * g.OutputSize];
        Pooling.Run<int, MaxReducer<int>>(x, c.Planes, g, c.PadEnd, y, Span<long>.Empty, false, new MaxReducer<int>());
        for (int p = 0; p < c.Planes; p++)
            for (int o = 0; o < g.OutputSize; o++)
                Assert.Equal(Window(c, o).Valid.Max(pos => x[p * g.InputSize + pos]), y[p * g.OutputSize + o]);
    }

    [Fact]
    public void ShortBuffersThrow()
    {
        var g = new SpatialGeometry([4], [2], [1], [1], [0], [3]);
        Assert.ThrowsAny<ArgumentException>(() => Pooling.Run(new float[3], 1, g, [0], new float[3], Span<long>.Empty, false, new MaxReducer<float>()));
        Assert.ThrowsAny<ArgumentException>(() => Pooling.Run(new float[4], 1, g, [0], new float[2], Span<long>.Empty, false, new MaxReducer<float>()));
        Assert.ThrowsAny<ArgumentException>(() => Pooling.Run(new float[4], 1, g, [0], new float[3], new long[2], false, new MaxReducer<float>()));
        Assert.ThrowsAny<ArgumentException>(() => Pooling.Run(new float[4], 1, g, [0, 0], new float[3], Span<long>.Empty, false, new MaxReducer<float>()));
        Pooling.Run(new float[4], 1, g, [0], new float[3], Span<long>.Empty, false, new MaxReducer<float>());
    }
}
