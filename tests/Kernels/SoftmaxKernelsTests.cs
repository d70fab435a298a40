using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Threading;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// SoftmaxKernels against a double-precision reference over [outer, n, inner] with n and inner swept so every vector
/// width and scalar tail runs; the vector exponential over its whole range; NaN and ±inf rows; the parallel path.
/// </summary>
public class SoftmaxKernelsTests
{
    private static double[] Reference(float[] x, int outer, int n, int inner, bool log)
    {
        var y = new double[x.Length];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                double max = double.NegativeInfinity;
                for (int k = 0; k < n; k++) max = Math.Max(max, x[(o * n + k) * inner + j]);
                double sum = 0;
                for (int k = 0; k < n; k++) sum += Math.Exp(x[(o * n + k) * inner + j] - max);
                for (int k = 0; k < n; k++)
                {
                    int i = (o * n + k) * inner + j;
                    y[i] = log ? x[i] - max - Math.Log(sum) : Math.Exp(x[i] - max) / sum;
                }
            }
        return y;
    }

    private static void AssertClose(double[] expected, float[] actual, double rtol, double atol, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsNaN(e)) Assert.True(double.IsNaN(a), $"{what}: element {i} is {a}, expected NaN");
            else if (double.IsInfinity(e)) Assert.Equal(e, a);
            else Assert.True(Math.Abs(a - e) <= atol + rtol * Math.Abs(e), $"{what}: element {i} is {a}, expected {e}");
        }
    }

    private static float[] Random(Random rng, int count, float spread)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (rng.NextSingle() - 0.5f) * spread;
        return x;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RowsAndColumnsSweep(bool log)
    {
        var rng = new Random(log ? 1 : 2);
        foreach (int inner in new[] { 1, 2, 3, 5, 8, 13, 16, 19, 33 })
            for (int n = 1; n <= 70; n += inner == 1 ? 1 : 7)
                for (int outer = 1; outer <= 3; outer++)
                {
                    var x = Random(rng, outer * n * inner, 40);
                    var y = new float[x.Length];
                    SoftmaxKernels.Softmax(x, y, outer, n, inner, log);
                    // log-softmax values are O(spread): relative 1e-5; softmax probabilities: relative 1e-5 above 1e-30
                    AssertClose(Reference(x, outer, n, inner, log), y, 1e-5, log ? 1e-5 : 1e-30, $"[{outer},{n},{inner}] log={log}");
                }
    }

    [Fact]
    public void ExponentialIsAccurateOverItsRange()
    {
        // 32 equal values take the widest vector path (and the narrower ones under DOTNET_EnableAVX512=0 / EnableAVX2=0)
        var x = new float[32];
        for (double v = -87.0; v <= 0; v += 0.0137)
        {
            Array.Fill(x, (float)v);
            double expected = 32 * Math.Exp((float)v);
            float actual = ReduceKernels.SumExpShifted(x, 0f);
            Assert.True(Math.Abs(actual - expected) <= 1e-6 * expected, $"e^{(float)v}: {actual / 32} vs {expected / 32}");
        }
        Array.Fill(x, -110f);
        Assert.Equal(0f, ReduceKernels.SumExpShifted(x, 0f));
        Array.Fill(x, float.NegativeInfinity);
        Assert.Equal(0f, ReduceKernels.SumExpShifted(x, 0f));
        Array.Fill(x, 89f);
        Assert.Equal(float.PositiveInfinity, ReduceKernels.SumExpShifted(x, 0f));
        Array.Fill(x, float.NaN);
        Assert.True(float.IsNaN(ReduceKernels.SumExpShifted(x, 0f)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SpecialValuesFollowTheFormula(bool log)
    {
        foreach (int n in new[] { 3, 20 })
        {
            var x = Random(new Random(n), n, 4);
            x[1] = float.NegativeInfinity;
            var y = new float[n];
            SoftmaxKernels.Softmax(x, y, 1, n, 1, log);
            AssertClose(Reference(x, 1, n, 1, log), y, 1e-5, 1e-30, "-inf element");
            x[2] = float.NaN;
            SoftmaxKernels.Softmax(x, y, 1, n, 1, log);
            Assert.All(y, v => Assert.True(float.IsNaN(v)));
            Array.Fill(x, float.NegativeInfinity);
            SoftmaxKernels.Softmax(x, y, 1, n, 1, log);
            Assert.All(y, v => Assert.True(float.IsNaN(v)));
        }
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    public void LargeInputsSplitAcrossThreads(int inner, bool log)
    {
        using var _ = KernelParallelism.Push(2);
        var rng = new Random(inner);
        int outer = 97, n = 1000 / inner;
        var x = Random(rng, outer * n * inner, 20);
        var y = new float[x.Length];
        SoftmaxKernels.Softmax(x, y, outer, n, inner, log);
        AssertClose(Reference(x, outer, n, inner, log), y, 1e-5, log ? 1e-5 : 1e-30, "parallel");
    }

    [Fact]
    public void RejectsShortBuffers() =>
        Assert.Throws<ArgumentException>(() => SoftmaxKernels.Softmax(new float[5], new float[6], 2, 3, 1, false));
}
