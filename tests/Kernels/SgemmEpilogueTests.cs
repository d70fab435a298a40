using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Threading;
using Xunit;
using static NativeInfer.Tests.Kernels.SgemmTests;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// The fused SGEMM epilogue C = act(alpha·op(A)·op(B) + beta·C + bias + R) on every kernel and route, against a
/// double reference of the same formula (activations from their definitions in double; erfc by series and continued fraction).
/// </summary>
public class SgemmEpilogueTests
{
    public static TheoryData<SgemmIsa> Isas() => SgemmTests.Isas();

    private static readonly SgemmActivation[] Activations =
    [
        SgemmActivation.None, SgemmActivation.Relu, SgemmActivation.Clip(-0.5f, 0.75f), SgemmActivation.LeakyRelu(0.1f),
        SgemmActivation.HardSigmoid(0.2f, 0.5f), SgemmActivation.Sigmoid, SgemmActivation.Tanh, SgemmActivation.Gelu(),
        SgemmActivation.Gelu(tanhApproximation: true), SgemmActivation.Silu,
    ];

    public static double Reference(SgemmActivation act, double x) => act.Kind switch
    {
        SgemmActivationKind.None => x,
        SgemmActivationKind.Relu => Math.Max(x, 0),
        SgemmActivationKind.Clip => Math.Min(Math.Max(x, act.Alpha), act.Beta),
        SgemmActivationKind.LeakyRelu => x >= 0 ? x : act.Alpha * x,
        SgemmActivationKind.HardSigmoid => Math.Max(0, Math.Min(1, act.Alpha * x + act.Beta)),
        SgemmActivationKind.Sigmoid => 1 / (1 + Math.Exp(-x)),
        SgemmActivationKind.Tanh => Math.Tanh(x),
        SgemmActivationKind.GeluErf => 0.5 * x * Erfc(-x / Math.Sqrt(2)),
        SgemmActivationKind.GeluTanh => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))),
        SgemmActivationKind.Silu => x / (1 + Math.Exp(-x)),
        _ => throw new ArgumentOutOfRangeException(nameof(act)),
    };

    /// <summary>
    /// erfc(z) in double: 1 − erf by the Taylor series for |z| ≤ 3 (largest term ≈ 1e3, so ~1e-13 absolute error), the
    /// continued fraction erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))) for z &gt; 3 (relative accuracy
    /// where 1 − erf would cancel), and 2 − erfc(−z) for z &lt; −3.
    /// </summary>
    public static double Erfc(double z)
    {
        if (z < -3) return 2 - Erfc(-z);
        if (z <= 3)
        {
            double sum = 0, term = z;
            for (int n = 0; n < 100; n++)
            {
                sum += term / (2 * n + 1);
                term *= -z * z / (n + 1);
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }
        double f = z;
        for (int n = 200; n >= 1; n--) f = z + n / 2.0 / f;
        return Math.Exp(-z * z) / Math.Sqrt(Math.PI) / f;
    }

    private static void Check(SgemmKernel kernel, Random rng, Route route, int m, int n, int k, float alpha, float beta,
        SgemmBiasKind biasKind, bool residual, SgemmActivation act, bool transA = false, bool transB = false)
    {
        int ldc = n + 2, ldr = n + 5;
        int lda = transA ? m : k, ldb = transB ? k : n;
        var a = SgemmTests.Random(rng, Math.Max(1, m * k));
        var b = SgemmTests.Random(rng, Math.Max(1, k * n));
        var c = SgemmTests.Random(rng, m * ldc);
        if (beta == 0) Array.Fill(c, float.NaN);
        var bias = biasKind == SgemmBiasKind.None ? [] : SgemmTests.Random(rng, biasKind == SgemmBiasKind.PerRow ? m : n);
        var r = residual ? SgemmTests.Random(rng, m * ldr) : [];
        var expected = new double[c.Length];
        var scale = new double[c.Length];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, abs = 0;
                for (int p = 0; p < k; p++)
                {
                    double prod = (double)(transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                    s += prod;
                    abs += Math.Abs(prod);
                }
                double v = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]);
                if (biasKind == SgemmBiasKind.PerRow) v += bias[i];
                if (biasKind == SgemmBiasKind.PerColumn) v += bias[j];
                if (residual) v += r[i * ldr + j];
                expected[i * ldc + j] = Reference(act, v);
                scale[i * ldc + j] = Math.Abs(alpha) * abs + 3;
            }
        var epilogue = new SgemmEpilogue
        {
            Bias = bias, BiasKind = biasKind, Residual = r, ResidualStride = residual ? ldr : 0, Activation = act,
        };
        Run(kernel, route, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < ldc; j++)
            {
                int at = i * ldc + j;
                if (j >= n)
                {
                    Assert.True(beta != 0 || float.IsNaN(c[at]), "padding was written"); // NaN fill survives in the padding
                    continue;
                }
                // Input rounding (≤ k·2^-24 of the absolute sum) passed through an activation of slope ≤ 1.13, plus the
                // activation's own float32 error (≤ 1e-6 relative + 1e-6 absolute for these formulas).
                double tol = 1.2 * k * 6e-8 * scale[at] + 1e-6 + 1e-6 * Math.Abs(expected[at]);
                Assert.True(Math.Abs(c[at] - expected[at]) <= tol,
                    $"{kernel.Isa} {route} {act} bias={biasKind} residual={residual} m={m} n={n} k={k} beta={beta}: C[{i},{j}] = {c[at]}, expected {expected[at]}");
            }
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void EveryActivationBiasAndResidualOnEveryRoute(SgemmIsa isa)
    {
        var kernel = SgemmKernel.For(isa);
        var rng = new Random(100 + (int)isa);
        int mr = kernel.PanelHeight, nr = kernel.PanelWidth;
        int step = 0;
        foreach (var act in Activations)
            foreach (var route in Enum.GetValues<Route>())
                foreach (var biasKind in Enum.GetValues<SgemmBiasKind>())
                {
                    bool residual = step % 2 == 0;
                    float beta = step % 3 == 0 ? 0 : 0.5f;
                    Check(kernel, rng, route, 2 * mr + 1, 2 * nr + 1, 7, 1.5f, beta, biasKind, residual, act, step % 4 == 1, step % 5 == 2);
                    Check(kernel, rng, route, 1, nr + 3, 40, 1, beta, biasKind, !residual, act, step % 4 == 3);
                    Check(kernel, rng, route, mr + 1, 1, 40, 1, beta, biasKind, residual, act);
                    Check(kernel, rng, route, 3, 5, kernel.PanelDepth + 2, 0.5f, beta, biasKind, !residual, act);
                    Check(kernel, rng, route, 4, 3, 0, 1, 1, biasKind, residual, act);
                    step++;
                }
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void ThreadedEpilogue(SgemmIsa isa)
    {
        var kernel = SgemmKernel.For(isa);
        var rng = new Random(200);
        foreach (int threads in new[] { 2, 3 })
        {
            using var _ = KernelParallelism.Push(threads);
            foreach (var route in Enum.GetValues<Route>())
            {
                Check(kernel, rng, route, 77, 300, 64, 1, 0, SgemmBiasKind.PerRow, true, SgemmActivation.Relu);
                Check(kernel, rng, route, 1, 2000, 70, 1, 1, SgemmBiasKind.PerColumn, false, SgemmActivation.Gelu());
            }
        }
    }

    [Fact]
    public void ActivationsOverAWideRange()
    {
        // C = act(x) through a K = 1 product with b = 1, so the epilogue sees exactly x: checks the transcendental
        // approximations on [-20, 20] (tails, the tanh polynomial switch at |x| = 1/4) on the vector and scalar lanes.
        var xs = Enumerable.Range(0, 4001).Select(i => (float)((i - 2000) / 100.0)).Concat([1e-4f, -1e-4f, 1e-30f, 0f, -0f, 60f, -60f, 100f, -100f]).ToArray();
        var one = new float[xs.Length];
        Array.Fill(one, 1f);
        foreach (var isa in Enum.GetValues<SgemmIsa>().Where(SgemmKernel.IsSupported))
            foreach (var act in Activations)
            {
                var c = new float[xs.Length];
                // xs as an M×1 column times a 1×1 B: the N = 1 path; and as 1×N: the M = 1 path.
                SgemmKernel.For(isa).Multiply(false, false, xs.Length, 1, 1, 1, xs, 1, [1f], 1, 0, c, 1, SgemmEpilogue.Activate(act));
                var row = new float[xs.Length];
                SgemmKernel.For(isa).Multiply(false, false, 1, xs.Length, 1, 1, [1f], 1, xs, xs.Length, 0, row, xs.Length, SgemmEpilogue.Activate(act));
                for (int i = 0; i < xs.Length; i++)
                {
                    double e = Reference(act, xs[i]);
                    double tol = 2e-6 * Math.Abs(e) + 1e-7;
                    Assert.True(Math.Abs(c[i] - e) <= tol, $"{isa} {act} x={xs[i]}: {c[i]} vs {e}");
                    Assert.True(Math.Abs(row[i] - e) <= tol, $"{isa} {act} x={xs[i]} (row): {row[i]} vs {e}");
                }
            }
    }
}
