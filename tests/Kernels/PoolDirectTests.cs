using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Conv;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// DirectPooling (vectorized 1-D/2-D max and average pooling) against the scalar Pooling.Run reducers, which
/// PoolingTests checks against a direct reference: swept geometries with output widths 1..~50 (every vector width, its
/// overlapping tail and the scalar path), pads on both sides, ceil-mode overhang, strides 1-3, dilations; max inputs
/// contain NaN, −∞ and all-NaN windows; averages with and without count_include_pad.
/// </summary>
public class PoolDirectTests
{
    private static (SpatialGeometry G, int[] PadEnd)? RandomCase(Random rng, int rank, bool ceil)
    {
        int[] input = new int[rank], kernel = new int[rank], stride = new int[rank], dil = new int[rank],
            padBegin = new int[rank], padEnd = new int[rank], output = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            input[d] = rng.Next(1, d == rank - 1 ? 90 : 9);
            kernel[d] = rng.Next(1, 5);
            stride[d] = rng.Next(1, 4);
            dil[d] = rng.Next(1, 3);
            padBegin[d] = rng.Next(0, kernel[d]);
            padEnd[d] = rng.Next(0, kernel[d]);
            int room = input[d] + padBegin[d] + padEnd[d] - ((kernel[d] - 1) * dil[d] + 1);
            if (room < 0) return null;
            output[d] = ceil ? (room + stride[d] - 1) / stride[d] + 1 : room / stride[d] + 1;
            if (ceil && (output[d] - 1) * stride[d] >= input[d] + padBegin[d]) output[d]--;
        }
        return (new SpatialGeometry(input, kernel, stride, dil, padBegin, output), padEnd);
    }

    private static float[] Data(Random rng, int n, bool special) => Enumerable.Range(0, n).Select(_ =>
        special && rng.Next(6) == 0 ? (rng.Next(2) == 0 ? float.NaN : float.NegativeInfinity) : (float)(rng.NextDouble() * 4 - 2)).ToArray();

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public void MaxMatchesReducer(int rank, bool ceil)
    {
        var rng = new Random(rank * 10 + (ceil ? 1 : 0));
        int tested = 0;
        for (int trial = 0; tested < 200 && trial < 2000; trial++)
        {
            if (RandomCase(rng, rank, ceil) is not var (g, padEnd)) continue;
            int planes = rng.Next(1, 4);
            var x = Data(rng, planes * g.InputSize, special: trial % 2 == 0);
            if (trial % 7 == 0) Array.Fill(x, float.NaN, 0, Math.Min(x.Length, 5)); // all-NaN windows at the start
            var expected = new float[planes * g.OutputSize];
            Pooling.Run<float, MaxReducer<float>>(x, planes, g, padEnd, expected, default, false, new MaxReducer<float>());
            var y = new float[expected.Length];
            DirectPooling.Max(x, planes, g, y);
            for (int i = 0; i < y.Length; i++)
                Assert.True(expected[i].Equals(y[i]), $"trial {trial}: y[{i}] = {y[i]}, expected {expected[i]}");
            tested++;
        }
        Assert.True(tested >= 200);
    }

    [Theory]
    [InlineData(1, false, false)]
    [InlineData(2, false, false)]
    [InlineData(2, true, false)]
    [InlineData(2, false, true)]
    [InlineData(1, true, true)]
    [InlineData(2, true, true)]
    public void AverageMatchesReducer(int rank, bool ceil, bool countPadding)
    {
        var rng = new Random(rank * 100 + (ceil ? 10 : 0) + (countPadding ? 1 : 0));
        int tested = 0;
        for (int trial = 0; tested < 200 && trial < 2000; trial++)
        {
            if (RandomCase(rng, rank, ceil) is not var (g, padEnd)) continue;
            int planes = rng.Next(1, 4);
            var x = Data(rng, planes * g.InputSize, special: false);
            var expected = new float[planes * g.OutputSize];
            Pooling.Run<float, AverageReducer<float>>(x, planes, g, padEnd, expected, default, false, new AverageReducer<float>(countPadding));
            var y = new float[expected.Length];
            DirectPooling.Average(x, planes, g, padEnd, countPadding, y);
            for (int i = 0; i < y.Length; i++)
            {
                // float sums of ≤ 16 terms of magnitude ≤ 2, divided by the count: a few ulps of 2.
                if (float.IsNaN(expected[i])) Assert.True(float.IsNaN(y[i]), $"trial {trial}: y[{i}] = {y[i]}, expected NaN");
                else Assert.True(Math.Abs(expected[i] - y[i]) <= 2e-6, $"trial {trial}: y[{i}] = {y[i]}, expected {expected[i]}");
            }
            tested++;
        }
        Assert.True(tested >= 200);
    }

    /// <summary>
    /// Small planes take the flat path: inception-style 3×3 stride-1 same-padded pools, stride-2 pools with trailing
    /// pads, planes narrower and wider than a vector, both kinds, NaN and −∞ in the max inputs.
    /// </summary>
    [Theory]
    [InlineData(14, 14, 3, 1, 1, 1)]
    [InlineData(7, 7, 3, 1, 1, 1)]
    [InlineData(14, 14, 3, 2, 0, 1)]
    [InlineData(28, 28, 3, 1, 1, 1)]
    [InlineData(5, 3, 3, 1, 1, 1)]
    [InlineData(9, 40, 5, 2, 2, 2)]
    [InlineData(1, 19, 2, 1, 0, 1)]
    [InlineData(13, 13, 3, 2, 0, 0)]
    public void SmallPlanesMatchReducer(int h, int w, int k, int stride, int padBegin, int padEnd)
    {
        var rng = new Random(h * 1000 + w * 10 + k);
        int oh = (h + padBegin + padEnd - k) / stride + 1, ow = (w + padBegin + padEnd - k) / stride + 1;
        var g = new SpatialGeometry([h, w], [k, k], [stride, stride], [1, 1], [padBegin, padBegin], [oh, ow]);
        int planes = 9;
        int[] ends = [padEnd, padEnd];
        foreach (bool special in new[] { false, true })
        {
            var x = Data(rng, planes * g.InputSize, special);
            if (special) Array.Fill(x, float.NaN, 0, Math.Min(x.Length, 2 * w + 3)); // all-NaN windows in plane 0
            var expected = new float[planes * g.OutputSize];
            Pooling.Run<float, MaxReducer<float>>(x, planes, g, ends, expected, default, false, new MaxReducer<float>());
            var y = new float[expected.Length];
            DirectPooling.Max(x, planes, g, y);
            for (int i = 0; i < y.Length; i++)
                Assert.True(expected[i].Equals(y[i]), $"max y[{i}] = {y[i]}, expected {expected[i]}");
        }
        foreach (bool countPadding in new[] { false, true })
        {
            var x = Data(rng, planes * g.InputSize, special: false);
            var expected = new float[planes * g.OutputSize];
            Pooling.Run<float, AverageReducer<float>>(x, planes, g, ends, expected, default, false, new AverageReducer<float>(countPadding));
            var y = new float[expected.Length];
            DirectPooling.Average(x, planes, g, ends, countPadding, y);
            // Sums of ≤ 25 terms of magnitude ≤ 2 in another order, divided by the count: a few ulps of 2.
            for (int i = 0; i < y.Length; i++)
                Assert.True(Math.Abs(expected[i] - y[i]) <= 2e-6, $"avg y[{i}] = {y[i]}, expected {expected[i]}");
        }
    }

    /// <summary>A window over the whole unpadded plane (ResNet's final 7×7 average) takes the plane-mean path.</summary>
    [Theory]
    [InlineData(7, 7, false)]
    [InlineData(7, 7, true)]
    [InlineData(3, 5, false)]
    public void WholePlaneAverageMatchesReducer(int h, int w, bool countPadding)
    {
        var rng = new Random(h * 10 + w);
        var g = new SpatialGeometry([h, w], [h, w], [1, 1], [1, 1], [0, 0], [1, 1]);
        int planes = 37;
        var x = Data(rng, planes * g.InputSize, special: false);
        var expected = new float[planes];
        Pooling.Run<float, AverageReducer<float>>(x, planes, g, [0, 0], expected, default, false, new AverageReducer<float>(countPadding));
        var y = new float[planes];
        DirectPooling.Average(x, planes, g, [0, 0], countPadding, y);
        for (int i = 0; i < planes; i++)
            Assert.True(Math.Abs(expected[i] - y[i]) <= 2e-6, $"plane {i}: {y[i]}, expected {expected[i]}");
    }

    [Fact]
    public void GlobalMatchesReference()
    {
        var rng = new Random(7);
        for (int size = 0; size <= 80; size++)
            foreach (bool withNaN in new[] { false, true })
            {
                int planes = 3;
                var x = Data(rng, planes * size, special: false);
                if (withNaN && size > 0) x[rng.Next(x.Length)] = float.NaN;
                var max = new float[planes];
                var avg = new float[planes];
                GlobalPooling.Max(x, planes, size, max);
                GlobalPooling.Average(x, planes, size, avg);
                for (int p = 0; p < planes; p++)
                {
                    var plane = x.AsSpan(p * size, size).ToArray();
                    float eMax = size == 0 ? 0f : plane.Any(float.IsNaN) ? float.NaN : plane.Max();
                    double eAvg = plane.Sum(v => (double)v) / size;
                    Assert.True(eMax.Equals(max[p]), $"size {size}: max {max[p]}, expected {eMax}");
                    if (double.IsNaN(eAvg)) Assert.True(float.IsNaN(avg[p]), $"size {size}: avg {avg[p]}, expected NaN");
                    else Assert.True(Math.Abs(avg[p] - eAvg) <= 1e-6, $"size {size}: avg {avg[p]}, expected {eAvg}");
                }
            }
    }

    [Fact]
    public void RejectsShortBuffersAnd3D()
    {
        var g = new SpatialGeometry([4, 4], [2, 2], [2, 2], [1, 1], [0, 0], [2, 2]);
        Assert.Throws<ArgumentException>(() => DirectPooling.Max(new float[15], 1, g, new float[4]));
        Assert.Throws<ArgumentException>(() => DirectPooling.Max(new float[16], 1, g, new float[3]));
        var g3 = new SpatialGeometry([2, 2, 2], [1, 1, 1], [1, 1, 1], [1, 1, 1], [0, 0, 0], [2, 2, 2]);
        Assert.Throws<NotSupportedException>(() => DirectPooling.Max(new float[8], 1, g3, new float[8]));
    }
}
