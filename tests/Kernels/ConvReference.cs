using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Conv;
using static NativeInfer.Tests.Support.SpatialIndex;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// The scalar reference for the convolution kernel tests: a direct loop over (batch, output channel, output position,
/// input channel of the group, window tap) in double, then bias, residual and the activation; plus random geometries
/// and a tolerance scaled by Σ|w·x| (float accumulation error grows with the terms summed).
/// </summary>
internal static class ConvReference
{
    /// <summary>Y [n, m, out...] and, per output, Σ|w·x| + |bias| + |residual| for the tolerance.</summary>
    public static (double[] Y, double[] Magnitude) Direct(float[] x, float[] w, float[]? bias, float[]? residual,
        int n, int c, int m, int group, SpatialGeometry g, ConvEpilogue e)
    {
        int cg = c / group, mg = m / group;
        var y = new double[n * m * g.OutputSize];
        var mag = new double[y.Length];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < m; oc++)
            {
                int gi = oc / mg;
                for (int o = 0; o < g.OutputSize; o++)
                {
                    var oCoord = Unravel(o, g.Output);
                    double s = 0, a = 0;
                    for (int ic = 0; ic < cg; ic++)
                        for (int t = 0; t < g.KernelSize; t++)
                        {
                            var k = Unravel(t, g.Kernel);
                            var inCoord = new int[g.Rank];
                            for (int d = 0; d < g.Rank; d++)
                                inCoord[d] = oCoord[d] * g.Strides[d] - g.PadBegin[d] + k[d] * g.Dilations[d];
                            int off = Offset(inCoord, g.Input);
                            if (off < 0) continue;
                            double p = (double)w[(oc * cg + ic) * g.KernelSize + t] * x[(b * c + gi * cg + ic) * g.InputSize + off];
                            s += p;
                            a += Math.Abs(p);
                        }
                    int yi = (b * m + oc) * g.OutputSize + o;
                    if (bias is not null) { s += bias[oc]; a += Math.Abs(bias[oc]); }
                    if (residual is not null) { s += residual[yi]; a += Math.Abs(residual[yi]); }
                    y[yi] = Activate(s, e);
                    mag[yi] = a;
                }
            }
        return (y, mag);
    }

    public static double Activate(double v, ConvEpilogue e) => e.Activation switch
    {
        ConvActivation.Relu => Math.Max(v, 0),
        ConvActivation.LeakyRelu => v < 0 ? v * e.Alpha : v,
        ConvActivation.Clip => Math.Min(Math.Max(v, e.Alpha), e.Beta),
        _ => v,
    };

    public static readonly ConvEpilogue[] Epilogues =
        [ConvEpilogue.None, ConvEpilogue.Relu, ConvEpilogue.LeakyRelu(0.1f), ConvEpilogue.Clip(-0.5f, 0.75f)];

    public static void AssertClose(double[] expected, double[] magnitude, ReadOnlySpan<float> actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = 1e-6 * (magnitude[i] + 1);
            if (!(Math.Abs(actual[i] - expected[i]) <= tol))
                throw new Xunit.Sdk.XunitException($"{what}: y[{i}] = {actual[i]}, expected {expected[i]} (tolerance {tol}).");
        }
    }

    public static float[] Random(Random rng, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    /// <summary>
    /// A random geometry of <paramref name="rank"/> dims with output width up to <paramref name="maxWidth"/>-ish
    /// (so the 16-, 8- and 4-wide paths and their ragged ends all run), or null when the window does not fit.
    /// </summary>
    public static SpatialGeometry? RandomGeometry(Random rng, int rank, int maxWidth, int maxKernel = 4, int maxStride = 3)
    {
        int[] input = new int[rank], kernel = new int[rank], stride = new int[rank], dil = new int[rank],
            padBegin = new int[rank], output = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            bool inner = d == rank - 1;
            input[d] = rng.Next(1, inner ? maxWidth : rank == 3 ? 6 : 9);
            kernel[d] = rng.Next(1, maxKernel + 1);
            stride[d] = rng.Next(1, maxStride + 1);
            dil[d] = rng.Next(1, 3);
            padBegin[d] = rng.Next(0, 3);
            int padEnd = rng.Next(0, 3);
            int room = input[d] + padBegin[d] + padEnd - ((kernel[d] - 1) * dil[d] + 1);
            if (room < 0) return null;
            output[d] = room / stride[d] + 1;
        }
        return new SpatialGeometry(input, kernel, stride, dil, padBegin, output);
    }
}
