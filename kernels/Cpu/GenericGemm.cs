using System.Numerics;
using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Row-major GEMM for any numeric element type (double, integers): C = op(A)·op(B), or C += op(A)·op(B) when
/// <c>accumulate</c> is set. Integer products wrap like the element type does. Plain loops in i-p-j order so the inner
/// loop streams contiguous rows; rows of C are spread over threads for large products.
/// </summary>
public static class GenericGemm
{
    private const long ParallelThreshold = 1L << 17;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        MatrixChecks.Operands(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        unsafe
        {
            fixed (T* pa = a)
            fixed (T* pb = b)
            fixed (T* pc = c)
            {
                nint xa = (nint)pa, xb = (nint)pb, xc = (nint)pc;
                void Row(int i) => RowProduct((T*)xa, (T*)xb, (T*)xc, i, transA, transB, n, k, lda, ldb, ldc, accumulate);
                if ((long)m * n * k >= ParallelThreshold && m > 1) KernelParallelism.For(0, m, Row);
                else for (int i = 0; i < m; i++) Row(i);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void RowProduct<T>(T* a, T* b, T* c, int i, bool transA, bool transB, int n, int k,
        int lda, int ldb, int ldc, bool accumulate) where T : unmanaged, INumber<T>
    {
        T* crow = c + (long)i * ldc;
        if (!accumulate) new Span<T>(crow, n).Clear();
        if (transB)
        {
            for (int j = 0; j < n; j++)
            {
                T* brow = b + (long)j * ldb;
                T s = T.Zero;
                for (int p = 0; p < k; p++) s += A(a, i, p, lda, transA) * brow[p];
                crow[j] += s;
            }
            return;
        }
        for (int p = 0; p < k; p++)
        {
            T av = A(a, i, p, lda, transA);
            T* brow = b + (long)p * ldb;
            for (int j = 0; j < n; j++) crow[j] += av * brow[j];
        }
    }

    private static unsafe T A<T>(T* a, int i, int p, int lda, bool transA) where T : unmanaged =>
        transA ? a[(long)p * lda + i] : a[(long)i * lda + p];
}
