using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Threading;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// NormalizationKernels against double references: LayerNorm and RmsNorm over row lengths 0..70 (shared and per-row
/// parameters, with and without bias, statistics outputs) and a badly centred row (mean 1e4, spread 1) that a one-pass
/// float variance would ruin; ChannelAffine per channel and per sample; LRN with sizes 1..6, beta 0.75, 0.5 and a
/// general exponent, channel counts and spatial sizes swept; the parallel split.
/// </summary>
public class NormalizationKernelsTests
{
    private static float[] Data(int n, Random rng, float offset = 0, float spread = 4)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = offset + (rng.NextSingle() - 0.5f) * spread;
        return x;
    }

    private static void Close(double e, float a, string what, double rtol = 1e-4, double atol = 1e-5)
    {
        if (double.IsNaN(e)) Assert.True(float.IsNaN(a), $"{what}: {a}, expected NaN");
        else Assert.True(Math.Abs(a - e) <= atol + rtol * Math.Abs(e), $"{what}: {a} vs {e}");
    }

    private static void CheckLayerNorm(int rows, int n, bool sharedScale, bool withBias, Random rng, float offset = 0, float spread = 4)
    {
        var x = Data(rows * n, rng, offset, spread);
        var scale = Data(sharedScale ? n : rows * n, rng);
        var bias = withBias ? Data(sharedScale ? n : rows * n, rng) : [];
        int ps = sharedScale ? 0 : n;
        var y = new float[x.Length];
        var mean = new float[rows];
        var inv = new float[rows];
        const float eps = 1e-5f;
        NormalizationKernels.LayerNorm(x, y, rows, n, scale, ps, bias, ps, eps, mean, inv);
        for (int r = 0; r < rows; r++)
        {
            double m = 0, v = 0;
            for (int c = 0; c < n; c++) m += x[r * n + c];
            m /= n;
            for (int c = 0; c < n; c++) v += (x[r * n + c] - m) * (x[r * n + c] - m);
            v /= n;
            double iv = 1 / Math.Sqrt(v + eps);
            // a float mean is accurate relative to the row's magnitude (mean |x|), not to the possibly tiny mean itself
            double magnitude = 0;
            for (int c = 0; c < n; c++) magnitude += Math.Abs(x[r * n + c]);
            Close(m, mean[r], $"mean [{rows},{n}] row {r}", 1e-6, 1e-6 + 1e-5 * magnitude / n);
            Close(iv, inv[r], $"invstd [{rows},{n}] row {r}", 1e-3, 0);
            for (int c = 0; c < n; c++)
            {
                double e = (x[r * n + c] - m) * iv * scale[r * ps + c] + (withBias ? bias[r * ps + c] : 0);
                Close(e, y[r * n + c], $"layernorm [{rows},{n}] ({r},{c})", 1e-3, 1e-4);
            }
        }
    }

    [Fact]
    public void LayerNormSweep()
    {
        var rng = new Random(1);
        for (int n = 1; n <= 70; n++)
            foreach (bool shared in new[] { true, false })
                foreach (bool bias in new[] { true, false })
                    CheckLayerNorm(3, n, shared, bias, rng);
    }

    [Fact]
    public void LayerNormKeepsPrecisionOnAnOffsetRow()
    {
        var rng = new Random(2);
        CheckLayerNorm(2, 4099, true, true, rng, offset: 1e4f, spread: 2);
    }

    [Fact]
    public void LayerNormParallelAndEmpty()
    {
        using (KernelParallelism.Push(2)) CheckLayerNorm(100, 700, true, true, new Random(3));
        var mean = new float[2];
        var inv = new float[2];
        NormalizationKernels.LayerNorm([], [], 2, 0, [], 0, [], 0, 1e-5f, mean, inv);
        Assert.All(mean, v => Assert.True(float.IsNaN(v)));
        Assert.All(inv, v => Assert.True(float.IsNaN(v)));
        Assert.Throws<ArgumentException>(() => NormalizationKernels.LayerNorm(new float[6], new float[6], 2, 3, new float[2], 0, [], 0, 1e-5f, [], []));
    }

    [Fact]
    public void RmsNormSweep()
    {
        var rng = new Random(4);
        for (int n = 1; n <= 70; n++)
            foreach (bool shared in new[] { true, false })
            {
                int rows = 3, ps = shared ? 0 : n;
                var x = Data(rows * n, rng);
                var scale = Data(shared ? n : rows * n, rng);
                var y = new float[x.Length];
                NormalizationKernels.RmsNorm(x, y, rows, n, scale, ps, 1e-5f);
                for (int r = 0; r < rows; r++)
                {
                    double ms = 0;
                    for (int c = 0; c < n; c++) ms += (double)x[r * n + c] * x[r * n + c];
                    double inv = 1 / Math.Sqrt(ms / n + 1e-5);
                    for (int c = 0; c < n; c++) Close(x[r * n + c] * inv * scale[r * ps + c], y[r * n + c], $"rms [{rows},{n}]", 1e-4, 1e-5);
                }
            }
    }

    [Fact]
    public void ChannelAffineSweep()
    {
        var rng = new Random(5);
        foreach (bool perSample in new[] { false, true })
            for (int spatial = 0; spatial <= 40; spatial += 3)
            {
                int batch = 2, channels = 3, stats = perSample ? batch * channels : channels;
                var x = Data(batch * channels * spatial, rng);
                var mean = Data(stats, rng);
                var inv = Data(stats, rng);
                var scale = Data(channels, rng);
                var bias = Data(channels, rng);
                var y = new float[x.Length];
                NormalizationKernels.ChannelAffine(x, y, batch, channels, spatial, perSample, mean, inv, scale, bias);
                for (int b = 0, i = 0; b < batch; b++)
                    for (int c = 0; c < channels; c++)
                        for (int s = 0; s < spatial; s++, i++)
                        {
                            int k = perSample ? b * channels + c : c;
                            Close((x[i] - mean[k]) * (double)scale[c] * inv[k] + bias[c], y[i], "affine", 1e-5, 1e-5);
                        }
            }
    }

    [Theory]
    [InlineData(0.75f, 1)]
    [InlineData(0.5f, 1)]
    [InlineData(0.6f, 1)]
    [InlineData(0.75f, 2)]
    public void LrnSweep(float beta, int threads)
    {
        using var _ = KernelParallelism.Push(threads);
        var rng = new Random((int)(beta * 100));
        foreach (int size in new[] { 1, 2, 3, 5, 6 })
            foreach (int channels in new[] { 1, 4, 7 })
                foreach (int spatial in threads == 1 ? new[] { 0, 1, 3, 4, 8, 15, 16, 17, 37 } : new[] { 3001 })
                {
                    int batch = 2;
                    var x = Data(batch * channels * spatial, rng);
                    var y = new float[x.Length];
                    const float alpha = 1e-2f, bias = 2f;
                    NormalizationKernels.Lrn(x, y, batch, channels, spatial, size, alpha, beta, bias);
                    int below = (size - 1) / 2, above = size - 1 - below;
                    for (int b = 0; b < batch; b++)
                        for (int c = 0; c < channels; c++)
                            for (int s = 0; s < spatial; s++)
                            {
                                double sum = 0;
                                for (int k = Math.Max(0, c - below); k <= Math.Min(channels - 1, c + above); k++)
                                {
                                    double v = x[(b * channels + k) * spatial + s];
                                    sum += v * v;
                                }
                                int i = (b * channels + c) * spatial + s;
                                Close(x[i] / Math.Pow(bias + alpha / size * sum, beta), y[i], $"lrn size {size} C {channels} S {spatial}", 1e-5, 1e-6);
                            }
                }
    }
}
