using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Threading;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Matrix products for the NN family: one GEMM routed to <see cref="Sgemm"/> for float32 and to the generic kernel
/// otherwise, and numpy-style batched matmul (1-D operands, broadcast batch dims).
/// </summary>
internal static class MatMulKernel
{
    private const long SmallProduct = 1L << 18;

    /// <summary>C = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/>.</summary>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda,
        ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate = false) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
            Sgemm.Multiply(transA, transB, m, n, k, 1f, MemoryMarshal.Cast<T, float>(a), lda,
                MemoryMarshal.Cast<T, float>(b), ldb, accumulate ? 1f : 0f, MemoryMarshal.Cast<T, float>(c), ldc);
        else
            GenericGemm.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
    }

    /// <summary>The output shape of numpy matmul, plus the (M, K, N) of each product and the batch shape.</summary>
    public static (int[] OutShape, int[] Batch, int M, int K, int N) Plan(int[] sa, int[] sb)
    {
        if (sa.Length == 0 || sb.Length == 0) throw new ShapeMismatchException("MatMul operands must have rank 1 or more.");
        int[] a2 = sa.Length == 1 ? [1, sa[0]] : sa;
        int[] b2 = sb.Length == 1 ? [sb[0], 1] : sb;
        int m = a2[^2], k = a2[^1], n = b2[^1];
        if (b2[^2] != k)
            throw new ShapeMismatchException($"MatMul inner dimensions differ: {ShapeUtil.Format(sa)} x {ShapeUtil.Format(sb)}.");
        var batch = ShapeUtil.Broadcast(a2.AsSpan(0, a2.Length - 2), b2.AsSpan(0, b2.Length - 2));
        var outShape = new List<int>(batch);
        if (sa.Length > 1) outShape.Add(m);
        if (sb.Length > 1) outShape.Add(n);
        return (outShape.ToArray(), batch, m, k, n);
    }

    /// <summary>numpy matmul: a [..., M, K] · b [..., K, N] with broadcast batch dims; 1-D operands are promoted and the
    /// promoted dim removed from the result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor<T> MatMul<T>(Tensor<T> a, Tensor<T> b) where T : unmanaged, INumber<T>
    {
        var (outShape, batch, m, k, n) = Plan(a.Shape, b.Shape);
        var y = new Tensor<T>(outShape);
        if (y.Length == 0 || k == 0) return y;
        int batchCount = ShapeUtil.ElementCount(batch);
        int[] batchA = a.Rank > 2 ? a.Shape[..^2] : [], batchB = b.Rank > 2 ? b.Shape[..^2] : [];
        int countA = ShapeUtil.ElementCount(batchA), countB = ShapeUtil.ElementCount(batchB);
        var am = a.Memory;
        var bm = b.Memory;
        var ym = y.Memory;
        if (countB == 1 && countA == batchCount)
        {
            // B is one matrix shared by every batch: fold the batch into M.
            Gemm(false, false, batchCount * m, n, k, am.Span, k, bm.Span, n, ym.Span, n);
            return y;
        }
        var offA = BatchOffsets(batchA, batch, m * k);
        var offB = BatchOffsets(batchB, batch, k * n);
        void One(int i) => Gemm(false, false, m, n, k, am.Span.Slice(offA[i], m * k), k, bm.Span.Slice(offB[i], k * n), n,
            ym.Span.Slice(i * m * n, m * n), n);
        if (batchCount > 1 && (long)m * n * k < SmallProduct) KernelParallelism.For(0, batchCount, One);
        else for (int i = 0; i < batchCount; i++) One(i);
        return y;
    }

    /// <summary>For each index of the broadcast <paramref name="batch"/> shape, the element offset of the matching
    /// matrix of an operand whose own batch shape is <paramref name="own"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] BatchOffsets(int[] own, int[] batch, int matrixSize)
    {
        var r = StridedOffsets.Of(batch, ShapeUtil.BroadcastStrides(own, batch.Length));
        for (int i = 0; i < r.Length; i++) r[i] = checked(r[i] * matrixSize);
        return r;
    }
}
