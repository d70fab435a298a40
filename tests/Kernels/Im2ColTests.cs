using NativeInfer.Kernels.Cpu;
using Xunit;
using static NativeInfer.Tests.Support.SpatialIndex;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// Im2Col.Pack and Accumulate against a direct reference over swept 1-D, 2-D and 3-D geometries (kernel, stride,
/// dilation, padding, ragged output ranges). Values are small integers, so Accumulate's sums are exact.
/// </summary>
public class Im2ColTests
{
    /// <summary>A random valid geometry of <paramref name="rank"/> spatial dims, or null when its output is empty.</summary>
    private static SpatialGeometry? RandomGeometry(Random rng, int rank, out int[] padEnd)
    {
        int[] input = new int[rank], kernel = new int[rank], stride = new int[rank], dil = new int[rank],
            padBegin = new int[rank], output = new int[rank];
        padEnd = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            input[d] = rng.Next(1, rank == 3 ? 6 : 9);
            kernel[d] = rng.Next(1, 4);
            stride[d] = rng.Next(1, 4);
            dil[d] = rng.Next(1, 3);
            padBegin[d] = rng.Next(0, 3);
            padEnd[d] = rng.Next(0, 3);
            int span = (kernel[d] - 1) * dil[d] + 1;
            int room = input[d] + padBegin[d] + padEnd[d] - span;
            if (room < 0) return null;
            output[d] = room / stride[d] + 1;
        }
        return new SpatialGeometry(input, kernel, stride, dil, padBegin, output);
    }

    /// <summary>For each (row, output position): the image index it reads (channel included), or -1 for padding.</summary>
    private static int[,] SourceMap(SpatialGeometry g, int channels)
    {
        int rows = channels * g.KernelSize;
        var map = new int[rows, g.OutputSize];
        for (int row = 0; row < rows; row++)
        {
            int c = row / g.KernelSize;
            var k = Unravel(row % g.KernelSize, g.Kernel);
            for (int o = 0; o < g.OutputSize; o++)
            {
                var oc = Unravel(o, g.Output);
                var ic = new int[g.Rank];
                for (int d = 0; d < g.Rank; d++) ic[d] = oc[d] * g.Strides[d] - g.PadBegin[d] + k[d] * g.Dilations[d];
                int off = Offset(ic, g.Input);
                map[row, o] = off < 0 ? -1 : c * g.InputSize + off;
            }
        }
        return map;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PackMatchesReference(int rank)
    {
        var rng = new Random(rank);
        int tested = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var g = RandomGeometry(rng, rank, out _);
            if (g is null) continue;
            tested++;
            int channels = rng.Next(1, 4);
            var image = Enumerable.Range(0, channels * g.InputSize).Select(i => (float)(i + 1)).ToArray();
            var map = SourceMap(g, channels);
            int rows = channels * g.KernelSize;

            // Whole output, then a ragged sub-range of output positions.
            int start = rng.Next(0, g.OutputSize), count = rng.Next(0, g.OutputSize - start + 1);
            foreach (var (s, n) in new[] { (0, g.OutputSize), (start, count) })
            {
                var cols = Enumerable.Repeat(-7f, rows * n).ToArray();
                Im2Col.Pack<float>(image, channels, g, s, n, cols);
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < n; j++)
                    {
                        int src = map[r, s + j];
                        float expected = src < 0 ? 0 : image[src];
                        if (cols[r * n + j] != expected)
                            Assert.Fail($"rank {rank} trial {trial} in=[{string.Join(",", g.Input)}] k=[{string.Join(",", g.Kernel)}] " +
                                        $"s=[{string.Join(",", g.Strides)}] d=[{string.Join(",", g.Dilations)}] p=[{string.Join(",", g.PadBegin)}] " +
                                        $"range {s}+{n}: row {r} col {j} = {cols[r * n + j]}, expected {expected}");
                    }
            }
        }
        Assert.True(tested > 100);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AccumulateMatchesReference(int rank)
    {
        var rng = new Random(10 + rank);
        for (int trial = 0; trial < 200; trial++)
        {
            var g = RandomGeometry(rng, rank, out _);
            if (g is null) continue;
            int channels = rng.Next(1, 4);
            int rows = channels * g.KernelSize;
            var cols = Enumerable.Range(0, rows * g.OutputSize).Select(_ => (double)rng.Next(-5, 6)).ToArray();
            var image = Enumerable.Range(0, channels * g.InputSize).Select(_ => (double)rng.Next(-5, 6)).ToArray();
            var expected = (double[])image.Clone(); // Accumulate adds into the image without clearing it
            var map = SourceMap(g, channels);
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < g.OutputSize; o++)
                    if (map[r, o] >= 0) expected[map[r, o]] += cols[r * g.OutputSize + o];
            Im2Col.Accumulate<double>(cols, channels, g, image);
            Assert.Equal(expected, image);
        }
    }

    [Fact]
    public void LargeImageTakesThreadedPathAndMatches()
    {
        // rows·count ≥ 2^16 spreads rows over threads.
        var g = new SpatialGeometry([40, 40], [3, 3], [1, 1], [1, 1], [1, 1], [40, 40]);
        int channels = 8;
        var image = Enumerable.Range(0, channels * g.InputSize).Select(i => (float)(i % 1000)).ToArray();
        var cols = new float[channels * g.KernelSize * g.OutputSize];
        Im2Col.Pack<float>(image, channels, g, 0, g.OutputSize, cols);
        var map = SourceMap(g, channels);
        for (int r = 0; r < channels * g.KernelSize; r++)
            for (int o = 0; o < g.OutputSize; o++)
                Assert.Equal(map[r, o] < 0 ? 0 : image[map[r, o]], cols[r * g.OutputSize + o]);

        var back = new float[image.Length];
        Im2Col.Accumulate<float>(cols, channels, g, back);
        var expected = new float[image.Length];
        for (int r = 0; r < channels * g.KernelSize; r++)
            for (int o = 0; o < g.OutputSize; o++)
                if (map[r, o] >= 0) expected[map[r, o]] += cols[r * g.OutputSize + o];
        Assert.Equal(expected, back);
    }

    [Fact]
    public void BadRangesAndShortBuffersThrow()
    {
        var g = new SpatialGeometry([4], [2], [1], [1], [0], [3]);
        Assert.ThrowsAny<ArgumentException>(() => Im2Col.Pack<float>(new float[4], 1, g, 2, 2, new float[4]));
        Assert.ThrowsAny<ArgumentException>(() => Im2Col.Pack<float>(new float[3], 1, g, 0, 3, new float[6]));
        Assert.ThrowsAny<ArgumentException>(() => Im2Col.Pack<float>(new float[4], 1, g, 0, 3, new float[5]));
        Assert.ThrowsAny<ArgumentException>(() => Im2Col.Accumulate<float>(new float[5], 1, g, new float[4]));
        Assert.ThrowsAny<ArgumentException>(() => new SpatialGeometry([4], [0], [1], [1], [0], [3]));
        Assert.ThrowsAny<NotSupportedException>(() => new SpatialGeometry([4, 4, 4, 4], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0], [4, 4, 4, 4]));
        Im2Col.Pack<float>(new float[4], 1, g, 0, 3, new float[6]); // valid arguments run
    }
}
