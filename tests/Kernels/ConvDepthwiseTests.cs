using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Conv;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// DepthwiseConv.Run against the double-precision direct reference over swept 1-D and 2-D geometries: output widths
/// from 1 to ~50 (every vector width and its overlapping tail, plus the scalar path), kernels 1-5 (3×3 has its own
/// register path), strides 1-3 (stride 2 has its own deinterleave), dilations, asymmetric pads, channel multipliers,
/// bias, residual and every activation.
/// </summary>
public class ConvDepthwiseTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void MatchesReference(int rank)
    {
        var rng = new Random(40 + rank);
        int tested = 0;
        for (int trial = 0; tested < 300 && trial < 3000; trial++)
        {
            var g = ConvReference.RandomGeometry(rng, rank, maxWidth: 70, maxKernel: trial % 3 == 0 ? 3 : 5);
            if (g is null) continue;
            int n = rng.Next(1, 3), c = rng.Next(1, 5), mult = rng.Next(1, 3), m = c * mult;
            var e = ConvReference.Epilogues[tested % ConvReference.Epilogues.Length];
            var x = ConvReference.Random(rng, n * c * g.InputSize);
            var w = ConvReference.Random(rng, m * g.KernelSize);
            var bias = rng.Next(2) == 0 ? ConvReference.Random(rng, m) : null;
            var residual = rng.Next(3) == 0 ? ConvReference.Random(rng, n * m * g.OutputSize) : null;
            var y = new float[n * m * g.OutputSize];
            DepthwiseConv.Run(x, w, bias, residual, y, n, c, mult, g, e);
            var (expected, mag) = ConvReference.Direct(x, w, bias, residual, n, c, m, c, g, e);
            ConvReference.AssertClose(expected, mag, y, $"trial {trial} in {string.Join('x', g.Input)} k {string.Join('x', g.Kernel)} s {string.Join('x', g.Strides)} d {string.Join('x', g.Dilations)} p {string.Join('x', g.PadBegin)} {e}");
            tested++;
        }
        Assert.True(tested >= 300);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ShuffleNetShapes(int stride)
    {
        // 3×3 pad 1 on 28×28 and 14×14 planes, the depthwise layers of ShuffleNet and MobileNet.
        var rng = new Random(stride);
        foreach (int size in new[] { 7, 14, 28, 29 })
        {
            int o = (size + 2 - 3) / stride + 1;
            var g = new SpatialGeometry([size, size], [3, 3], [stride, stride], [1, 1], [1, 1], [o, o]);
            int c = 5;
            var x = ConvReference.Random(rng, c * g.InputSize);
            var w = ConvReference.Random(rng, c * 9);
            var bias = ConvReference.Random(rng, c);
            var y = new float[c * g.OutputSize];
            DepthwiseConv.Run(x, w, bias, default, y, 1, c, 1, g, ConvEpilogue.Relu);
            var (expected, mag) = ConvReference.Direct(x, w, bias, null, 1, c, c, c, g, ConvEpilogue.Relu);
            ConvReference.AssertClose(expected, mag, y, $"{size} stride {stride}");
        }
    }

    [Fact]
    public void RejectsShortBuffers()
    {
        var g = new SpatialGeometry([4, 4], [3, 3], [1, 1], [1, 1], [1, 1], [4, 4]);
        Assert.Throws<ArgumentException>(() => DepthwiseConv.Run(new float[15], new float[9], default, default, new float[16], 1, 1, 1, g, default));
        Assert.Throws<ArgumentException>(() => DepthwiseConv.Run(new float[16], new float[9], default, default, new float[15], 1, 1, 1, g, default));
        Assert.Throws<ArgumentException>(() => DepthwiseConv.Run(new float[16], new float[9], default, new float[3], new float[16], 1, 1, 1, g, default));
    }
}
