using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>GenericGemm for double and integer types against a naive reference computed in the same type.</summary>
public class GenericGemmTests
{
    private static readonly int[] Sizes = [0, 1, 2, 3, 5, 8, 13, 17, 31, 70];

    private static void Sweep<T>(Func<Random, T> next, int seed) where T : unmanaged, INumber<T>
    {
        var rng = new Random(seed);
        int step = 0;
        foreach (int m in Sizes)
            foreach (int n in Sizes)
            {
                int k = Sizes[(step * 3) % Sizes.Length];
                bool transA = step % 2 == 1, transB = step / 2 % 2 == 1, accumulate = step % 3 == 0;
                int pad = step % 5 == 0 ? 2 : 0;
                step++;
                int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
                int lda = Math.Max(1, aCols + pad), ldb = Math.Max(1, bCols + pad), ldc = Math.Max(1, n + pad);
                var a = Enumerable.Range(0, aRows * lda).Select(_ => next(rng)).ToArray();
                var b = Enumerable.Range(0, bRows * ldb).Select(_ => next(rng)).ToArray();
                var c = Enumerable.Range(0, m * ldc).Select(_ => next(rng)).ToArray();
                var expected = MatrixReference.Gemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                GenericGemm.Multiply<T>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                Assert.True(expected.SequenceEqual(c), $"{typeof(T).Name} m={m} n={n} k={k} transA={transA} transB={transB} acc={accumulate}");
            }
    }

    [Fact]
    public void Double() => Sweep(r => (double)r.Next(-9, 10) / 4, 1);

    [Fact]
    public void Int32() => Sweep(r => r.Next(-1000, 1000), 2);

    [Fact]
    public void Int64() => Sweep(r => r.NextInt64(-(1L << 40), 1L << 40), 3);

    [Fact]
    public void Int8Wraps() => Sweep(r => (sbyte)r.Next(-128, 128), 4);

    [Fact]
    public void UInt8Wraps() => Sweep(r => (byte)r.Next(0, 256), 5);

    [Fact]
    public void ThreadedPathMatches()
    {
        // m·n·k ≥ 2^17 spreads rows over threads.
        var rng = new Random(6);
        int m = 67, n = 71, k = 61;
        var a = Enumerable.Range(0, m * k).Select(_ => (long)rng.Next(-50, 50)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (long)rng.Next(-50, 50)).ToArray();
        var c = new long[m * n];
        var expected = MatrixReference.Gemm(false, true, m, n, k, a, k, b, k, c, n, false);
        GenericGemm.Multiply<long>(false, true, m, n, k, a, k, b, k, c, n, false);
        Assert.Equal(expected, c);
    }

    [Fact]
    public void ShortBufferThrows() =>
        Assert.ThrowsAny<ArgumentException>(() => GenericGemm.Multiply<int>(false, false, 2, 2, 2, new int[3], 2, new int[4], 2, new int[4], 2, false));
}
