namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Row-major float32 GEMM, C = alpha·op(A)·op(B) + beta·C: the original entry point, kept for its callers; it runs
/// <see cref="Sgemm"/> (packed panels, per-ISA micro-kernels, cache blocking, threads).
/// With beta = 0, C is not read (NaN/garbage in C does not leak into the result).
/// </summary>
public static class PackedSgemm
{
    /// <summary>
    /// Computes C = alpha·op(A)·op(B) + beta·C. op(A)[i,k] is A[i*lda + k] (or A[k*lda + i] when transA); op(B)[k,j]
    /// is B[k*ldb + j] (or B[j*ldb + k] when transB); C[i,j] is C[i*ldc + j].
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        Sgemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
