using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Conv;
using NativeInfer.Kernels.Threading;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// DepthwiseConv.Run against the double-precision direct reference over systematic sweeps: every output width from 1
/// to 40 (each vector width, its partial and overlapping last vector, interior and masked border strips), kernels 1-5,
/// strides 1-3, dilations 1-2, asymmetric pads, channel multipliers 1 and 2, 1-D and 2-D, bias, residual and every
/// activation kind. The 3×3 stride-1/2 register path gets its own sweep over plane heights (edge rows, paired rows).
/// </summary>
public class DepthwiseConvSweepTests
{
    private static readonly SgemmActivation[] Activations =
    [
        SgemmActivation.None, SgemmActivation.Relu, SgemmActivation.LeakyRelu(0.1f), SgemmActivation.Clip(-0.5f, 0.75f),
        SgemmActivation.HardSigmoid(0.2f, 0.5f), SgemmActivation.Sigmoid, SgemmActivation.Tanh, SgemmActivation.Gelu(),
        SgemmActivation.Gelu(tanhApproximation: true), SgemmActivation.Silu,
    ];

    [Fact]
    public void OneDimensionalSweep()
    {
        var rng = new Random(7);
        int cases = 0;
        for (int outWidth = 1; outWidth <= 40; outWidth++)
            for (int k = 1; k <= 5; k++)
                for (int s = 1; s <= 3; s++)
                    for (int d = 1; d <= 2; d++)
                    {
                        int padBegin = rng.Next(0, 3), padEnd = rng.Next(0, 3);
                        int input = (outWidth - 1) * s + (k - 1) * d + 1 - padBegin - padEnd + rng.Next(0, s);
                        if (input < 1) continue;
                        var g = new SpatialGeometry([input], [k], [s], [d], [padBegin], [outWidth]);
                        Check(rng, g, cases++);
                    }
        Assert.True(cases > 1000);
    }

    [Fact]
    public void TwoDimensionalSweep()
    {
        var rng = new Random(8);
        int cases = 0;
        for (int outWidth = 1; outWidth <= 40; outWidth++)
            for (int k = 1; k <= 5; k++)
                for (int s = 1; s <= 3; s++)
                {
                    int kh = rng.Next(1, 6), sh = rng.Next(1, 4), dh = rng.Next(1, 3), dw = rng.Next(1, 3);
                    int padTop = rng.Next(0, 3), padLeft = rng.Next(0, 3), padBottom = rng.Next(0, 3), padRight = rng.Next(0, 3);
                    int outHeight = rng.Next(1, 7);
                    int inWidth = (outWidth - 1) * s + (k - 1) * dw + 1 - padLeft - padRight;
                    int inHeight = (outHeight - 1) * sh + (kh - 1) * dh + 1 - padTop - padBottom;
                    if (inWidth < 1 || inHeight < 1) continue;
                    var g = new SpatialGeometry([inHeight, inWidth], [kh, k], [sh, s], [dh, dw], [padTop, padLeft], [outHeight, outWidth]);
                    Check(rng, g, cases++);
                }
        Assert.True(cases > 400);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ThreeByThreeSweep(int stride)
    {
        // Pads (top, left, bottom, right) from none to more than the window, heights 1-9 so edge rows, paired interior
        // rows and an odd last row all occur, every output width up to 40.
        int[][] pads = [[1, 1, 1, 1], [0, 0, 0, 0], [1, 0, 0, 1], [0, 1, 1, 0], [2, 2, 2, 2]];
        var rng = new Random(9 + stride);
        int cases = 0;
        foreach (var p in pads)
            for (int outWidth = 1; outWidth <= 40; outWidth++)
            {
                int outHeight = 1 + (outWidth + cases) % 9;
                int sh = 1 + outWidth % 2;
                int inWidth = (outWidth - 1) * stride + 3 - p[1] - p[3];
                int inHeight = (outHeight - 1) * sh + 3 - p[0] - p[2];
                if (inWidth < 1 || inHeight < 1) continue;
                var g = new SpatialGeometry([inHeight, inWidth], [3, 3], [sh, stride], [1, 1], [p[0], p[1]], [outHeight, outWidth]);
                Check(rng, g, cases++);
            }
        Assert.True(cases > 150);
    }

    [Fact]
    public void WholeWindowInPadding()
    {
        // Outputs whose every tap is padding are bias (+ residual) only; a 1×1 input with wide pads.
        var g = new SpatialGeometry([1, 1], [3, 3], [1, 1], [1, 1], [3, 3], [7, 7]);
        Check(new Random(3), g, 0);
    }

    [Fact]
    public void BandsAndThreadsGiveTheSameBits()
    {
        // Few planes and tall planes: the work is split into row bands; every split must give the single-thread bits.
        var rng = new Random(11);
        foreach (var (size, k, s) in new[] { (57, 3, 1), (57, 3, 2), (40, 5, 1), (33, 4, 2), (90, 3, 3) })
        {
            int o = (size + 2 * (k / 2) - k) / s + 1;
            var g = new SpatialGeometry([size, size], [k, k], [s, s], [1, 1], [k / 2, k / 2], [o, o]);
            int c = 3;
            var x = ConvReference.Random(rng, 2 * c * g.InputSize);
            var w = ConvReference.Random(rng, c * g.KernelSize);
            var bias = ConvReference.Random(rng, c);
            var residual = ConvReference.Random(rng, 2 * c * g.OutputSize);
            var one = new float[2 * c * g.OutputSize];
            var two = new float[one.Length];
            using (KernelParallelism.Push(1)) DepthwiseConv.Run(x, w, bias, residual, one, 2, c, 1, g, SgemmActivation.Relu);
            using (KernelParallelism.Push(2)) DepthwiseConv.Run(x, w, bias, residual, two, 2, c, 1, g, SgemmActivation.Relu);
            Assert.Equal(one, two);
            var (expected, mag) = ConvReference.Direct(x, w, bias, residual, 2, c, c, c, g, SgemmActivation.Relu);
            ConvReference.AssertClose(expected, mag, one, $"{size} k{k} s{s}");
        }
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var g = new SpatialGeometry([4, 4], [3, 3], [1, 1], [1, 1], [1, 1], [4, 4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => DepthwiseConv.Run(new float[16], new float[9], default, default, new float[16], 1, 1, 0, g, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => DepthwiseConv.Run(new float[16], new float[9], default, default, new float[16], -1, 1, 1, g, default));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            DepthwiseConv.Run(new float[16], new float[9], default, default, new float[16], 1, 1, 1, g, new SgemmActivation((SgemmActivationKind)99)));
        Assert.Throws<ArgumentException>(() => DepthwiseConv.Run(new float[16], new float[8], default, default, new float[16], 1, 1, 1, g, default));
        var g3 = new SpatialGeometry([2, 2, 2], [1, 1, 1], [1, 1, 1], [1, 1, 1], [0, 0, 0], [2, 2, 2]);
        Assert.Throws<NotSupportedException>(() => DepthwiseConv.Run(new float[8], new float[1], default, default, new float[8], 1, 1, 1, g3, default));
    }

    /// <summary>One random case on <paramref name="g"/>: batch 1-2, 1-3 channels, multiplier 1 or 2, bias and residual alternating.</summary>
    private static void Check(Random rng, SpatialGeometry g, int index)
    {
        int n = 1 + index % 2, c = 1 + index % 3, mult = 1 + index / 2 % 2, m = c * mult;
        var act = Activations[index % Activations.Length];
        var x = ConvReference.Random(rng, n * c * g.InputSize);
        var w = ConvReference.Random(rng, m * g.KernelSize);
        var bias = index % 3 != 2 ? ConvReference.Random(rng, m) : null;
        var residual = index % 4 >= 2 ? ConvReference.Random(rng, n * m * g.OutputSize) : null;
        var y = new float[n * m * g.OutputSize + 5];
        Array.Fill(y, 12345f);
        DepthwiseConv.Run(x, w, bias, residual, y.AsSpan(0, n * m * g.OutputSize), n, c, mult, g, act);
        var (sum, mag) = ConvReference.Direct(x, w, bias, residual, n, c, m, c, g, SgemmActivation.None);
        var expected = sum.Select(v => Activate(v, act)).ToArray();
        string what = $"case {index}: in {string.Join('x', g.Input)} out {string.Join('x', g.Output)} k {string.Join('x', g.Kernel)} " +
            $"s {string.Join('x', g.Strides)} d {string.Join('x', g.Dilations)} pad {string.Join('x', g.PadBegin)} n {n} c {c} mult {mult} " +
            $"bias {bias is not null} residual {residual is not null} {act}";
        ConvReference.AssertClose(expected, mag, y.AsSpan(0, expected.Length), what);
        for (int i = expected.Length; i < y.Length; i++) Assert.True(y[i] == 12345f, $"{what}: wrote past the output");
    }

    private static double Activate(double v, SgemmActivation e) => e.Kind switch
    {
        SgemmActivationKind.GeluErf => 0.5 * v * (1 + Erf(v / Math.Sqrt(2))),
        SgemmActivationKind.GeluTanh => 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))),
        SgemmActivationKind.Silu => v / (1 + Math.Exp(-v)),
        _ => ConvReference.Activate(v, e),
    };

    /// <summary>erf: the Maclaurin series below |x| = 3 (terms stay under ~1e3, so ~1e-13 accuracy), 1 − erfc by its
    /// continued fraction above.</summary>
    private static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax < 3)
        {
            double term = x, sum = x;
            for (int k = 1; k < 80; k++)
            {
                term *= -x * x / k;
                sum += term / (2 * k + 1);
            }
            return 2 / Math.Sqrt(Math.PI) * sum;
        }
        double f = ax;
        for (int k = 80; k >= 1; k--) f = ax + k / 2.0 / f;
        double erfc = Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / f;
        return Math.Sign(x) * (1 - erfc);
    }
}
