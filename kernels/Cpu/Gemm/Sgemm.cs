namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// The float32 GEMM entry points on <see cref="SgemmKernel.Default"/> (the fastest kernel this CPU runs):
/// <c>C = act(alpha·op(A)·op(B) + beta·C + bias + R)</c>, row-major, arbitrary leading dimensions. See
/// <see cref="SgemmKernel"/> for the operand conventions, <see cref="SgemmEpilogue"/> for the fused epilogue and
/// <see cref="ISgemmBPacker"/> for the packed panel layout.
/// </summary>
public static class Sgemm
{
    public static SgemmKernel Kernel => SgemmKernel.Default;

    /// <summary>NR of the default kernel: the strip width an <see cref="ISgemmBPacker"/> writes.</summary>
    public static int PanelWidth => SgemmKernel.Default.PanelWidth;

    /// <summary>KC of the default kernel: the deepest panel an <see cref="ISgemmBPacker"/> is asked for.</summary>
    public static int PanelDepth => SgemmKernel.Default.PanelDepth;

    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc) =>
        SgemmKernel.Default.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc, scoped in SgemmEpilogue epilogue) =>
        SgemmKernel.Default.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);

    public static SgemmPackedA PackA(bool transA, int m, int k, ReadOnlySpan<float> a, int lda) =>
        SgemmKernel.Default.PackA(transA, m, k, a, lda);

    public static SgemmPackedB PackB(bool transB, int k, int n, ReadOnlySpan<float> b, int ldb) =>
        SgemmKernel.Default.PackB(transB, k, n, b, ldb);

    public static void Multiply(SgemmPackedA a, bool transB, int n, float alpha, ReadOnlySpan<float> b, int ldb, float beta,
        Span<float> c, int ldc, scoped in SgemmEpilogue epilogue = default) =>
        SgemmKernel.Default.Multiply(a, transB, n, alpha, b, ldb, beta, c, ldc, epilogue);

    public static void Multiply(SgemmPackedA a, ISgemmBPacker b, int n, float alpha, float beta, Span<float> c, int ldc,
        scoped in SgemmEpilogue epilogue = default) =>
        SgemmKernel.Default.Multiply(a, b, n, alpha, beta, c, ldc, epilogue);

    public static void Multiply(bool transA, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda, ISgemmBPacker b,
        float beta, Span<float> c, int ldc, scoped in SgemmEpilogue epilogue = default) =>
        SgemmKernel.Default.Multiply(transA, m, n, k, alpha, a, lda, b, beta, c, ldc, epilogue);

    public static void Multiply(bool transA, int m, float alpha, ReadOnlySpan<float> a, int lda, SgemmPackedB b, float beta,
        Span<float> c, int ldc, scoped in SgemmEpilogue epilogue = default) =>
        SgemmKernel.Default.Multiply(transA, m, alpha, a, lda, b, beta, c, ldc, epilogue);
}
