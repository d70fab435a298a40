using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Conv;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// Convolution.Forward (packed and plain weights) against the double-precision direct reference: 1-D, 2-D and 3-D
/// geometries with strides, dilations, asymmetric pads, groups (grouped, depthwise with multipliers, 3-D depthwise
/// through im2col), pointwise convs (the no-im2col route), depths across the SGEMM's K blocks, widths across its panel
/// strips, bias, residual and activations.
/// </summary>
public class ConvGemmTests
{
    private static void Check(Random rng, int n, int c, int m, int group, SpatialGeometry g, SgemmActivation act, bool withBias, bool withResidual, string what,
        params ConvRoute[] routes)
    {
        var x = ConvReference.Random(rng, n * c * g.InputSize);
        var w = ConvReference.Random(rng, m * (c / group) * g.KernelSize);
        var bias = withBias ? ConvReference.Random(rng, m) : null;
        var residual = withResidual ? ConvReference.Random(rng, n * m * g.OutputSize) : null;
        var (expected, mag) = ConvReference.Direct(x, w, bias, residual, n, c, m, group, g, act);
        var packedWeights = ConvWeights.Pack(w, m, group, c / group, g.Kernel);
        foreach (var route in routes.Length == 0 ? [ConvRoute.Auto] : routes)
        {
            var plain = new float[expected.Length];
            Convolution.Forward(x, n, c, w, m, group, g, bias, residual, plain, act, route);
            ConvReference.AssertClose(expected, mag, plain, $"{what} {route} plain");
            var packed = new float[expected.Length];
            Convolution.Forward(x, n, c, packedWeights, g, bias, residual, packed, act, route);
            ConvReference.AssertClose(expected, mag, packed, $"{what} {route} packed");
        }
    }

    private static string Describe(SpatialGeometry g, int n, int c, int m, int group, SgemmActivation act) =>
        $"n {n} c {c} m {m} group {group} in {string.Join('x', g.Input)} k {string.Join('x', g.Kernel)} s {string.Join('x', g.Strides)} " +
        $"d {string.Join('x', g.Dilations)} p {string.Join('x', g.PadBegin)} {act}";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomGeometries(int rank)
    {
        var rng = new Random(300 + rank);
        int tested = 0;
        for (int trial = 0; tested < 120 && trial < 2000; trial++)
        {
            var g = ConvReference.RandomGeometry(rng, rank, maxWidth: rank == 3 ? 8 : 40);
            if (g is null) continue;
            int group = new[] { 1, 1, 2, 3 }[rng.Next(4)];
            int n = rng.Next(1, 3), c = group * rng.Next(1, 4), m = group * rng.Next(1, 5);
            var act = ConvReference.Epilogues[tested % ConvReference.Epilogues.Length];
            Check(rng, n, c, m, group, g, act, rng.Next(2) == 0, rng.Next(3) == 0, $"trial {trial}: {Describe(g, n, c, m, group, act)}");
            tested++;
        }
        Assert.True(tested >= 120);
    }

    /// <summary>
    /// Each route forced on the same random 1-D/2-D geometries (strides up to 3 and dilations make several row and
    /// column phases; batches and groups; wide kernels whose grid wastes most columns), so the window path is checked
    /// on shapes Auto would not send it.
    /// </summary>
    [Theory]
    [InlineData(1, ConvRoute.Window)]
    [InlineData(2, ConvRoute.Window)]
    [InlineData(1, ConvRoute.Im2Col)]
    [InlineData(2, ConvRoute.Im2Col)]
    public void ForcedRoutes(int rank, ConvRoute route)
    {
        var rng = new Random(500 + rank);
        int tested = 0;
        for (int trial = 0; tested < 80 && trial < 2000; trial++)
        {
            var g = ConvReference.RandomGeometry(rng, rank, maxWidth: 40, maxKernel: 5);
            if (g is null) continue;
            int group = new[] { 1, 1, 2, 3 }[rng.Next(4)];
            int n = rng.Next(1, 3), c = group * rng.Next(1, 4), m = group * rng.Next(1, 15);
            var act = ConvReference.Epilogues[tested % ConvReference.Epilogues.Length];
            Check(rng, n, c, m, group, g, act, rng.Next(2) == 0, rng.Next(3) == 0, $"trial {trial}: {Describe(g, n, c, m, group, act)}", route);
            tested++;
        }
        Assert.Equal(80, tested);
    }

    /// <summary>Pointwise convs around the 32-column strip: sizes with and without a tail, every epilogue.</summary>
    [Fact]
    public void PointwiseSizesAndEpilogues()
    {
        var rng = new Random(77);
        int tested = 0;
        foreach (int size in new[] { 31, 32, 33, 47, 64, 70, 97 })
            foreach (var act in ConvReference.Epilogues)
            {
                var g = new SpatialGeometry([size], [1], [1], [1], [0], [size]);
                int c = rng.Next(1, 20), m = rng.Next(1, 30);
                Check(rng, rng.Next(1, 3), c, m, 1, g, act, rng.Next(2) == 0, tested % 2 == 0, $"pointwise size {size} c {c} m {m} {act}");
                tested++;
            }
        Assert.Equal(7 * ConvReference.Epilogues.Length, tested);
    }

    /// <summary>
    /// The channel-block route (AVX-512 only) forced on random 1-D/2-D geometries, then on the deep small-plane shapes
    /// Auto sends it: output channels around its 64-channel blocks, depths across its K passes, planes whose pixel count
    /// leaves a partial 6-pixel tile, pointwise and strided convs, batches and groups, every epilogue. Once weights have
    /// moved to the channel-block layout (their SGEMM packing dropped), the other routes must rebuild it.
    /// </summary>
    [SkippableFact]
    public void ChannelBlockRoute()
    {
        Skip.IfNot(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
            "The channel-block route needs AVX-512.");
        var rng = new Random(900);
        int tested = 0;
        for (int trial = 0; tested < 40 && trial < 2000; trial++)
        {
            var g = ConvReference.RandomGeometry(rng, 1 + trial % 2, maxWidth: 30, maxKernel: 5);
            if (g is null) continue;
            int group = new[] { 1, 1, 2 }[rng.Next(3)];
            int n = rng.Next(1, 3), c = group * rng.Next(1, 5), m = group * rng.Next(1, 80);
            var act = ConvReference.Epilogues[tested % ConvReference.Epilogues.Length];
            Check(rng, n, c, m, group, g, act, rng.Next(2) == 0, rng.Next(3) == 0, $"trial {trial}: {Describe(g, n, c, m, group, act)}", ConvRoute.ChannelBlock);
            tested++;
        }
        (int C, int M, int Size, int Kernel, int Stride, int Group)[] deep =
        [
            (64, 70, 7, 3, 1, 1), (128, 64, 7, 1, 1, 1), (96, 130, 13, 3, 1, 1), (600, 40, 5, 1, 1, 1), (120, 64, 9, 3, 2, 1),
            (1100, 65, 4, 1, 1, 1), (128, 128, 6, 3, 1, 2),
        ];
        foreach (var (c, m, size, kernel, stride, group) in deep)
        {
            int pad = kernel / 2, o = (size + 2 * pad - kernel) / stride + 1;
            var g = new SpatialGeometry([size, size], [kernel, kernel], [stride, stride], [1, 1], [pad, pad], [o, o]);
            var act = ConvReference.Epilogues[tested % ConvReference.Epilogues.Length];
            Check(rng, 1 + tested % 2, c, m, group, g, act, true, tested % 2 == 0, $"deep: {Describe(g, 1, c, m, group, act)}",
                ConvRoute.ChannelBlock, ConvRoute.Auto, ConvRoute.Window, ConvRoute.Im2Col); // the last two rebuild the SGEMM packing
            tested++;
        }
        Assert.Equal(47, tested);
    }

    /// <summary>
    /// The channel-block route split over two threads of a private pool (so the loop is never run inline because another
    /// test holds the shared pool): each thread fills its own window copy per image, shared by the image's groups.
    /// Batches of 2, groups, strides 1-2 and enough blocks and tiles for both threads to take items.
    /// </summary>
    [SkippableFact]
    public void ChannelBlockRouteOnTwoThreads()
    {
        Skip.IfNot(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
            "The channel-block route needs AVX-512.");
        OnTwoThreads(1900, ConvRoute.ChannelBlock,
            [(2, 64, 200, 14, 3, 2, 1), (2, 96, 256, 9, 3, 1, 2), (1, 128, 130, 15, 3, 2, 1), (2, 40, 128, 11, 5, 2, 2)]);
    }

    /// <summary>
    /// The window route's bands split over two threads of a private pool, each thread on its own window copy per image:
    /// batches of 2, groups, strides 1-2, a stem-like 7×7 on 3 channels.
    /// </summary>
    [Fact]
    public void WindowRouteOnTwoThreads() => OnTwoThreads(2900, ConvRoute.Window,
        [(2, 3, 20, 40, 7, 2, 1), (2, 8, 16, 60, 3, 1, 2), (1, 16, 24, 33, 3, 2, 1), (2, 12, 18, 30, 5, 1, 3)]);

    private static void OnTwoThreads(int seed, ConvRoute route, (int N, int C, int M, int Size, int Kernel, int Stride, int Group)[] shapes)
    {
        using var pool = new NativeInfer.Kernels.Threading.WorkerPool(2);
        using var scope = NativeInfer.Kernels.Threading.KernelParallelism.Use(pool);
        var rng = new Random(seed);
        foreach (var (n, c, m, size, kernel, stride, group) in shapes)
        {
            int pad = kernel / 2, o = (size + 2 * pad - kernel) / stride + 1;
            var g = new SpatialGeometry([size, size], [kernel, kernel], [stride, stride], [1, 1], [pad, pad], [o, o]);
            var act = ConvReference.Epilogues[rng.Next(ConvReference.Epilogues.Length)];
            for (int repeat = 0; repeat < 2; repeat++) // the second call finds each thread's buffer holding the first call's image
                Check(rng, n, c, m, group, g, act, true, repeat == 1, $"two threads: {Describe(g, n, c, m, group, act)}", route);
        }
    }

    [Fact]
    public void WindowRouteRejects3D()
    {
        var g = new SpatialGeometry([2, 2, 2], [1, 1, 1], [1, 1, 1], [1, 1, 1], [0, 0, 0], [2, 2, 2]);
        Assert.Throws<ArgumentException>(() => Convolution.Forward(new float[8], 1, 1, new float[1], 1, 1, g, default, default, new float[8], default, ConvRoute.Window));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Depthwise(int rank)
    {
        // One input channel per group: the direct kernel for 1-D/2-D, im2col for 3-D.
        var rng = new Random(400 + rank);
        int tested = 0;
        for (int trial = 0; tested < 40 && trial < 1000; trial++)
        {
            var g = ConvReference.RandomGeometry(rng, rank, maxWidth: rank == 3 ? 8 : 40);
            if (g is null) continue;
            int c = rng.Next(2, 6), m = c * rng.Next(1, 3);
            var act = ConvReference.Epilogues[tested % ConvReference.Epilogues.Length];
            Check(rng, 2, c, m, c, g, act, true, rng.Next(2) == 0, $"trial {trial}: {Describe(g, 2, c, m, c, act)}");
            tested++;
        }
    }

    [Theory]
    [InlineData(16, 8, 1, 7)]      // pointwise, N not a multiple of any strip width
    [InlineData(300, 70, 1, 9)]    // K = 300 crosses the 256-deep K block
    [InlineData(37, 45, 3, 13)]    // im2col, K = 333
    [InlineData(64, 64, 3, 56)]    // ResNet 3x3 layer: big enough for the SGEMM to split over threads
    [InlineData(3, 20, 7, 40)]     // stem-like 7x7 on 3 channels
    [InlineData(40, 300, 3, 7)]    // many output channels on a tiny image: one band, the SGEMM splits M
    [InlineData(8, 16, 3, 120)]    // many bands: bands run in parallel
    [InlineData(64, 40, 1, 56)]    // pointwise, 3136 columns: B rows read in place, split over threads
    [InlineData(24, 13, 1, 30)]    // pointwise, 900 columns: a 4-column tail copied into a padded block
    public void LargerShapes(int c, int m, int k, int size)
    {
        var rng = new Random(c * 1000 + m);
        int pad = k / 2;
        foreach (int stride in new[] { 1, 2 })
        {
            int o = (size + 2 * pad - k) / stride + 1;
            var g = new SpatialGeometry([size, size], [k, k], [stride, stride], [1, 1], [pad, pad], [o, o]);
            Check(rng, 1, c, m, 1, g, SgemmActivation.Relu, true, stride == 1, $"{c}->{m} k {k} size {size} stride {stride}",
                ConvRoute.Auto, ConvRoute.Im2Col, ConvRoute.Window);
        }
    }

    [Fact]
    public void ZeroInputChannelsGiveTheEpilogueOfZero()
    {
        var g = new SpatialGeometry([3], [2], [1], [1], [0], [2]);
        var y = new float[4];
        Convolution.Forward([], 1, 0, [], 2, 1, g, [0.5f, -1f], default, y, SgemmActivation.Relu);
        Assert.Equal([0.5f, 0.5f, 0f, 0f], y);
    }

    [Fact]
    public void RejectsMismatchedBuffers()
    {
        var g = new SpatialGeometry([4, 4], [3, 3], [1, 1], [1, 1], [1, 1], [4, 4]);
        Assert.Throws<ArgumentException>(() => Convolution.Forward(new float[31], 1, 2, new float[36], 2, 1, g, default, default, new float[32]));
        Assert.Throws<ArgumentException>(() => Convolution.Forward(new float[32], 1, 2, new float[35], 2, 1, g, default, default, new float[32]));
        Assert.Throws<ArgumentException>(() => Convolution.Forward(new float[32], 1, 2, new float[36], 2, 1, g, default, default, new float[31]));
        Assert.Throws<ArgumentException>(() => Convolution.Forward(new float[32], 1, 3, new float[36], 2, 2, g, default, default, new float[32]));
        var packed = ConvWeights.Pack(new float[36], 2, 1, 2, [3, 3]);
        Assert.Throws<ArgumentException>(() => Convolution.Forward(new float[48], 1, 3, packed, g, default, default, new float[32]));
        var other = new SpatialGeometry([4, 4], [1, 1], [1, 1], [1, 1], [0, 0], [4, 4]);
        Assert.Throws<ArgumentException>(() => Convolution.Forward(new float[32], 1, 2, packed, other, default, default, new float[32]));
    }
}
