namespace NativeInfer.Kernels.Cpu;

/// <summary>Argument checks shared by the GEMM kernels: a bad stride or short buffer throws instead of reading past it.</summary>
internal static class MatrixChecks
{
    public static void Operands(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), "GEMM dimensions must be non-negative.");
        Extent(aLength, transA ? k : m, transA ? m : k, lda, "a");
        Extent(bLength, transB ? n : k, transB ? k : n, ldb, "b");
        Extent(cLength, m, n, ldc, "c");
    }

    public static void Extent(int length, int rows, int cols, int ld, string name)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new ArgumentException($"Leading dimension {ld} is smaller than the row length {cols}.", name);
        if ((long)(rows - 1) * ld + cols > length)
            throw new ArgumentException($"Buffer of {length} elements is too small for a {rows}x{cols} matrix with stride {ld}.", name);
    }
}
