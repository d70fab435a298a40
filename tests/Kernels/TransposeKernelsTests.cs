using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Threading;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// TransposeKernels.Permute against a direct index-by-index permutation: every permutation of ranks 1-4 over shapes with
/// 1s, small and ragged dims (so merged axes, contiguous runs, full 8×8 tiles and ragged tile edges all run), element
/// sizes 1, 2, 3, 4, 8 and 16 bytes, one and two threads; Transpose2D swept over rows and cols 0..19 and a large
/// ragged matrix.
/// </summary>
public class TransposeKernelsTests
{
    private static byte[] Reference(byte[] src, int es, int[] shape, int[] perm)
    {
        int rank = shape.Length;
        var inStrides = new long[rank];
        long s = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            inStrides[d] = s;
            s *= shape[d];
        }
        var outShape = perm.Select(p => shape[p]).ToArray();
        var dst = new byte[src.Length];
        var idx = new int[rank];
        for (long o = 0; o < s; o++)
        {
            long rem = o, so = 0;
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d] = (int)(rem % outShape[d]);
                rem /= outShape[d];
                so += idx[d] * inStrides[perm[d]];
            }
            Array.Copy(src, so * es, dst, o * es, es);
        }
        return dst;
    }

    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 0)
        {
            yield return [];
            yield break;
        }
        foreach (var p in Permutations(n - 1))
            for (int i = 0; i <= p.Length; i++)
                yield return [.. p[..i], n - 1, .. p[i..]];
    }

    private static void Check(int[] shape, int[] perm, int es, Random rng)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var src = new byte[count * es];
        rng.NextBytes(src);
        var dst = new byte[src.Length];
        TransposeKernels.Permute(src, dst, es, shape, perm);
        Assert.True(Reference(src, es, shape, perm).AsSpan().SequenceEqual(dst),
            $"shape [{string.Join(",", shape)}] perm [{string.Join(",", perm)}] element size {es}");
    }

    public static TheoryData<int> ElementSizes => [1, 2, 3, 4, 8, 16];

    [Theory]
    [MemberData(nameof(ElementSizes))]
    public void EveryPermutationOfSmallShapes(int es)
    {
        var rng = new Random(es);
        int[] dims = [1, 2, 3, 7, 8, 9, 17];
        for (int rank = 1; rank <= 4; rank++)
            foreach (var perm in Permutations(rank))
                for (int trial = 0; trial < 6; trial++)
                {
                    var shape = Enumerable.Range(0, rank).Select(_ => dims[rng.Next(dims.Length)]).ToArray();
                    Check(shape, perm, es, rng);
                }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void CommonLayoutsAndThreads(int threads)
    {
        using var _ = KernelParallelism.Push(threads);
        var rng = new Random(threads);
        // NCHW -> NHWC and back, [0,2,1,3], last-two swap, shufflenet's channel shuffle; sizes past the parallel threshold
        Check([2, 3, 67, 61], [0, 2, 3, 1], 4, rng);
        Check([2, 67, 61, 3], [0, 3, 1, 2], 4, rng);
        Check([2, 64, 33, 70], [0, 2, 3, 1], 4, rng);
        Check([3, 29, 12, 64], [0, 2, 1, 3], 4, rng);
        Check([5, 130, 129], [0, 2, 1], 4, rng);
        Check([1, 3, 40, 28, 28], [0, 2, 1, 3, 4], 4, rng);
        Check([4, 100, 257], [0, 2, 1], 2, rng);
        Check([4, 100, 257], [0, 2, 1], 8, rng);
        Check([600, 700], [1, 0], 1, rng);
        Check([3, 5, 7, 11, 13], [4, 2, 0, 3, 1], 4, rng);
    }

    [Fact]
    public void Transpose2DSweep()
    {
        var rng = new Random(5);
        for (int rows = 0; rows < 20; rows++)
            for (int cols = 0; cols < 20; cols++)
                Check2D(rows, cols, rng);
        Check2D(203, 181, rng);
    }

    private static void Check2D(int rows, int cols, Random rng)
    {
        var src = new float[rows * cols];
        for (int i = 0; i < src.Length; i++) src[i] = rng.NextSingle();
        var dst = new float[src.Length];
        TransposeKernels.Transpose2D(src, rows, cols, dst);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                Assert.Equal(src[r * cols + c], dst[c * rows + r]);
    }

    [Fact]
    public void EmptyAndInvalid()
    {
        TransposeKernels.Permute([], [], 4, [0, 3], [1, 0]);
        Assert.Throws<ArgumentException>(() => TransposeKernels.Permute(new byte[8], new byte[8], 4, [2], [1]));
        Assert.Throws<ArgumentException>(() => TransposeKernels.Permute(new byte[8], new byte[8], 4, [1, 2], [0, 0]));
        Assert.Throws<ArgumentException>(() => TransposeKernels.Permute(new byte[4], new byte[8], 4, [1, 2], [1, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TransposeKernels.Permute(new byte[8], new byte[8], 0, [1, 2], [1, 0]));
    }
}
