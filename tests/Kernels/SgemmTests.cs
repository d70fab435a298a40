using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Threading;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// Every SGEMM kernel this process can run (scalar, Vector128, AVX2, AVX-512 as supported; run the suite again with
/// DOTNET_EnableAVX512=0 and DOTNET_EnableAVX2=0 to cover machines without them) against a double-accumulating
/// reference. M and N sweep 1 … 2·MR+1 and 1 … 2·NR+1 so every row and column tail of the micro-kernel runs; K crosses
/// the panel depth; plain, pre-packed A, pre-packed B and packer-supplied B operands; 1, 2 and 3 threads. Operands are
/// small integers, so every partial sum is exact in float32 and the linear results must match exactly whatever the
/// summation order or FMA use.
/// </summary>
public class SgemmTests
{
    public static TheoryData<SgemmIsa> Isas()
    {
        var d = new TheoryData<SgemmIsa>();
        foreach (var isa in Enum.GetValues<SgemmIsa>())
            if (SgemmKernel.IsSupported(isa)) d.Add(isa);
        return d;
    }

    private static readonly (float Alpha, float Beta)[] Scales = [(1, 0), (1, 1), (1.5f, -0.25f), (-2, 0.5f), (0.5f, 0)];

    /// <summary>How the operands reach the kernel.</summary>
    internal enum Route { Plain, PackedA, PackedB, Packer, PlainAPacker }

    /// <summary>
    /// Runs one product through <paramref name="route"/> with padded leading dimensions and C prefilled (NaN when beta
    /// = 0 and <paramref name="nanInC"/>), and checks every element of C exactly, padding included.
    /// </summary>
    internal static void Check(SgemmKernel kernel, Random rng, Route route, bool transA, bool transB, int m, int n, int k,
        float alpha, float beta, int pad = 0, bool nanInC = false)
    {
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = Math.Max(1, aCols + pad), ldb = Math.Max(1, bCols + pad), ldc = Math.Max(1, n + pad);
        var a = MatrixReference.SmallInts(rng, aRows * lda);
        var b = MatrixReference.SmallInts(rng, bRows * ldb);
        var c = MatrixReference.SmallInts(rng, m * ldc, 8);
        if (nanInC) Array.Fill(c, float.NaN);
        var expected = MatrixReference.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        if (nanInC)
            for (int i = 0; i < m; i++) for (int j = n; j < ldc; j++) expected[i * ldc + j] = double.NaN;
        Run(kernel, route, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, default);
        for (int i = 0; i < c.Length; i++)
        {
            bool bothNaN = double.IsNaN(expected[i]) && float.IsNaN(c[i]);
            if (!bothNaN && c[i] != expected[i])
                Assert.Fail($"{kernel.Isa} {route} m={m} n={n} k={k} transA={transA} transB={transB} alpha={alpha} beta={beta} pad={pad}: " +
                            $"C[{i / ldc},{i % ldc}] = {c[i]}, expected {expected[i]}.");
        }
    }

    /// <summary>The product through one route; the packed routes pack the constant operand first.</summary>
    internal static void Run(SgemmKernel kernel, Route route, bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc, in SgemmEpilogue epilogue)
    {
        switch (route)
        {
            case Route.Plain:
                kernel.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
                break;
            case Route.PackedA:
                kernel.Multiply(kernel.PackA(transA, m, k, a, lda), transB, n, alpha, b, ldb, beta, c, ldc, epilogue);
                break;
            case Route.PackedB:
                kernel.Multiply(transA, m, alpha, a, lda, kernel.PackB(transB, k, n, b, ldb), beta, c, ldc, epilogue);
                break;
            case Route.Packer:
                kernel.Multiply(kernel.PackA(transA, m, k, a, lda), new MatrixPacker(kernel, transB, k, n, b, ldb), n, alpha, beta, c, ldc, epilogue);
                break;
            case Route.PlainAPacker:
                kernel.Multiply(transA, m, n, k, alpha, a, lda, new MatrixPacker(kernel, transB, k, n, b, ldb), beta, c, ldc, epilogue);
                break;
        }
    }

    /// <summary>An <see cref="ISgemmBPacker"/> over a plain matrix that also checks the panel contract it is called with.</summary>
    internal sealed class MatrixPacker(SgemmKernel kernel, bool transB, int k, int n, float[] b, int ldb) : ISgemmBPacker
    {
        public void PackPanel(int k0, int kc, int j0, int nc, Span<float> panel)
        {
            int nr = kernel.PanelWidth;
            Assert.True(kc > 0 && kc <= kernel.PanelDepth && k0 % kernel.PanelDepth == 0 && k0 + kc <= k, $"k0={k0} kc={kc}");
            Assert.True(nc > 0 && j0 % nr == 0 && j0 + nc <= n, $"j0={j0} nc={nc}");
            int strips = (nc + nr - 1) / nr;
            Assert.Equal(kc * strips * nr, panel.Length);
            panel.Fill(float.NaN); // everything must be overwritten below
            for (int s = 0; s < strips; s++)
                for (int p = 0; p < kc; p++)
                    for (int q = 0; q < nr; q++)
                    {
                        int j = j0 + s * nr + q;
                        panel[s * kc * nr + p * nr + q] = j < j0 + nc ? MatrixReference.At(b, transB, k0 + p, j, ldb) : 0f;
                    }
        }
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void SweepsEveryTileTail(SgemmIsa isa)
    {
        var kernel = SgemmKernel.For(isa);
        var rng = new Random(1 + (int)isa);
        int mr = kernel.PanelHeight, nr = kernel.PanelWidth;
        int step = 0;
        for (int m = 1; m <= 2 * mr + 1; m++)
            for (int n = 1; n <= 2 * nr + 1; n++)
                foreach (int k in new[] { 1, 3, 17 })
                {
                    // Transposes, scales, padding and route rotate with the index, so each size meets each of them somewhere.
                    var (alpha, beta) = Scales[step % Scales.Length];
                    var route = (Route)(step / 3 % 5);
                    Check(kernel, rng, route, step % 2 == 1, step / 2 % 2 == 1, m, n, k, alpha, beta, pad: step % 4 == 0 ? 3 : 0,
                        nanInC: beta == 0);
                    step++;
                }
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void EveryRouteAndTransposeAcrossPanelDepth(SgemmIsa isa)
    {
        var kernel = SgemmKernel.For(isa);
        var rng = new Random(20 + (int)isa);
        int kc = kernel.PanelDepth, mr = kernel.PanelHeight, nr = kernel.PanelWidth;
        foreach (var route in Enum.GetValues<Route>())
            for (int t = 0; t < 4; t++)
                foreach (int k in new[] { 0, 1, kc - 1, kc, kc + 1, 2 * kc + 3 })
                {
                    var (alpha, beta) = Scales[(t + k) % Scales.Length];
                    Check(kernel, rng, route, t % 2 == 1, t >= 2, 2 * mr + 1, 2 * nr + 1, k, alpha, beta, pad: 1, nanInC: beta == 0);
                    Check(kernel, rng, route, t % 2 == 1, t >= 2, 1, nr + 3, k, alpha, beta, nanInC: beta == 0);
                    Check(kernel, rng, route, t % 2 == 1, t >= 2, mr + 2, 1, k, alpha, beta, pad: 2);
                }
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void BlocksPastMcAndNcOnOneToThreeThreads(SgemmIsa isa)
    {
        var kernel = SgemmKernel.For(isa);
        var rng = new Random(30 + (int)isa);
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var _ = KernelParallelism.Push(threads);
            foreach (var route in Enum.GetValues<Route>())
            {
                // 253 rows pass the 240-row A block; 2085 columns pass the 2048-column B panel; both ragged.
                Check(kernel, rng, route, false, route == Route.Plain, 253, 2085, 21, 1, 0.5f);
                Check(kernel, rng, route, route == Route.PackedB, false, 61, 203, 300, 1.5f, 0, nanInC: true);
                Check(kernel, rng, route, true, true, 7, 1000, 150, 1, 1);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void MatrixVectorShapes(SgemmIsa isa)
    {
        var kernel = SgemmKernel.For(isa);
        var rng = new Random(40 + (int)isa);
        foreach (int threads in new[] { 1, 2 })
        {
            using var _ = KernelParallelism.Push(threads);
            foreach (var route in Enum.GetValues<Route>())
                for (int t = 0; t < 4; t++)
                {
                    foreach (int n in new[] { 1, 7, 8, 31, 32, 33, 65, 257, 1500 })
                        Check(kernel, rng, route, t % 2 == 1, t >= 2, 1, n, n % 3 == 0 ? 400 : 37, 1.5f, n % 2 == 0 ? 0 : -0.5f, pad: t, nanInC: n % 2 == 0);
                    foreach (int m in new[] { 2, 9, 64, 1500 })
                        Check(kernel, rng, route, t % 2 == 1, t >= 2, m, 1, m % 3 == 0 ? 400 : 37, 1, m % 2 == 0 ? 0 : 2, pad: t);
                }
        }
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void AlphaZeroOrEmptyKOnlyScalesC(SgemmIsa isa)
    {
        var kernel = SgemmKernel.For(isa);
        var rng = new Random(50);
        foreach (var route in Enum.GetValues<Route>())
        {
            Check(kernel, rng, route, false, false, 5, 7, 4, 0, 0.5f);
            Check(kernel, rng, route, true, true, 5, 7, 0, 2, -1);
            Check(kernel, rng, route, false, false, 5, 7, 0, 2, 0, nanInC: true);
            Check(kernel, rng, route, false, false, 0, 7, 3, 2, 0);
            Check(kernel, rng, route, false, false, 4, 0, 3, 2, 0);
        }
    }

    [Theory]
    [MemberData(nameof(Isas))]
    public void RealValuesWithinRoundingError(SgemmIsa isa)
    {
        var kernel = SgemmKernel.For(isa);
        var rng = new Random(60);
        using var _ = KernelParallelism.Push(2);
        foreach (var (m, n, k) in new[] { (9, 23, 50), (70, 65, 300), (1, 100, 513), (49, 130, 700) })
            foreach (var route in Enum.GetValues<Route>())
            {
                var a = Random(rng, m * k);
                var b = Random(rng, k * n);
                var c = Random(rng, m * n);
                var expected = MatrixReference.Gemm(false, false, m, n, k, 0.7, a, k, b, n, 0.3, c, n);
                Run(kernel, route, false, false, m, n, k, 0.7f, a, k, b, n, 0.3f, c, n, default);
                // Each output sums k products of magnitude ≤ 1: float32 rounding stays far below 1e-6·k.
                for (int i = 0; i < c.Length; i++)
                    Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-6 * k, $"{isa} {route} m={m} n={n} k={k} [{i}]: {c[i]} vs {expected[i]}");
            }
    }

    internal static float[] Random(Random rng, int length)
    {
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }

    [Fact]
    public void DefaultIsTheWidestSupportedKernel()
    {
        var best = Enum.GetValues<SgemmIsa>().Where(SgemmKernel.IsSupported).Max();
        Assert.Equal(best, SgemmKernel.Default.Isa);
        Assert.Equal(SgemmKernel.Default.PanelWidth, Sgemm.PanelWidth);
        Assert.True(SgemmKernel.IsSupported(SgemmIsa.Scalar));
    }

    [Fact]
    public void BadArgumentsThrow()
    {
        var kernel = SgemmKernel.Default;
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(false, false, 2, 2, 3, 1, a[..5], 3, b, 2, 0, c, 2));
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c[..3], 2));
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(false, false, 2, 2, 3, 1, a, 2, b, 2, 0, c, 2));
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(false, false, -1, 2, 3, 1, a, 3, b, 2, 0, c, 2));
        var packedA = kernel.PackA(false, 2, 3, a, 3);
        var packedB = kernel.PackB(false, 3, 2, b, 2);
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(packedA, false, 2, 1, b[..5], 2, 0, c, 2));
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(false, 2, 1, a, 3, packedB, 0, c[..3], 2));
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(false, 2, 1, a[..4], 3, packedB, 0, c, 2));
        Assert.ThrowsAny<ArgumentException>(() => kernel.PackA(false, 3, 3, a, 3));
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2,
            SgemmEpilogue.RowBias(new float[1])));
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2,
            SgemmEpilogue.ColumnBias(new float[1])));
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2,
            new SgemmEpilogue { Residual = new float[4], ResidualStride = 1 }));
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2,
            new SgemmEpilogue { Residual = new float[3], ResidualStride = 2 }));
        Assert.ThrowsAny<ArgumentException>(() => kernel.Multiply(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2,
            new SgemmEpilogue { Activation = new SgemmActivation((SgemmActivationKind)99) }));
        foreach (var other in Enum.GetValues<SgemmIsa>().Where(i => i != kernel.Isa && SgemmKernel.IsSupported(i)))
        {
            var otherKernel = SgemmKernel.For(other);
            Assert.Throws<ArgumentException>(() => otherKernel.Multiply(packedA, false, 2, 1, b, 2, 0, c, 2));
            Assert.Throws<ArgumentException>(() => otherKernel.Multiply(false, 2, 1, a, 3, packedB, 0, c, 2));
        }
        kernel.Multiply(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2); // the same call with valid arguments runs
    }
}
