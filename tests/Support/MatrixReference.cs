using System.Numerics;

namespace NativeInfer.Tests.Support;

/// <summary>Naive reference GEMM and matrix helpers for kernel tests (double accumulation for floats).</summary>
internal static class MatrixReference
{
    /// <summary>op(A)[i,p] for a row-major A with leading dimension <paramref name="lda"/>.</summary>
    public static T At<T>(T[] a, bool trans, int i, int p, int ld) => trans ? a[p * ld + i] : a[i * ld + p];

    /// <summary>C = alpha·op(A)·op(B) + beta·C in double, with beta = 0 ignoring C (NaN in C does not propagate).</summary>
    public static double[] Gemm(bool transA, bool transB, int m, int n, int k, double alpha, float[] a, int lda,
        float[] b, int ldb, double beta, float[] c, int ldc)
    {
        var r = new double[c.Length];
        for (int i = 0; i < c.Length; i++) r[i] = c[i];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)At(a, transA, i, p, lda) * At(b, transB, p, j, ldb);
                r[i * ldc + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * ldc + j]);
            }
        return r;
    }

    /// <summary>Generic C (+)= op(A)·op(B) in T's own arithmetic (so integer wrap-around matches).</summary>
    public static T[] Gemm<T>(bool transA, bool transB, int m, int n, int k, T[] a, int lda, T[] b, int ldb, T[] c, int ldc, bool accumulate)
        where T : INumber<T>
    {
        var r = (T[])c.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T s = accumulate ? c[i * ldc + j] : T.Zero;
                for (int p = 0; p < k; p++) s += At(a, transA, i, p, lda) * At(b, transB, p, j, ldb);
                r[i * ldc + j] = s;
            }
        return r;
    }

    /// <summary>Small integers in [-range, range] as floats: products and sums of a few hundred stay exact in float32.</summary>
    public static float[] SmallInts(Random rng, int length, int range = 4)
    {
        var v = new float[length];
        for (int i = 0; i < length; i++) v[i] = rng.Next(-range, range + 1);
        return v;
    }
}
