using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu;

/// <summary>Packs blocks of op(A) into MR-interleaved strips and of op(B) into NR-wide strips for micro-kernel TK.</summary>
internal static unsafe class SgemmPacking<TK> where TK : struct, ISgemmMicroKernel
{
    /// <summary>
    /// op(A)[i0:i0+mc, p0:p0+kc] into ceil(mc/MR) strips of kc×MR (element (i, p) at strip i/MR, p·MR + i%MR),
    /// rows past mc zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transA, float* a, nint lda, int i0, int mc, int p0, int kc, float* dst)
    {
        int mrK = TK.MR;
        for (int r0 = 0; r0 < mc; r0 += mrK)
        {
            int mr = Math.Min(mrK, mc - r0);
            float* d = dst + (nint)(r0 / mrK) * kc * mrK;
            if (!transA)
            {
                // Row-major A: rows are contiguous in p; write the strip column by column of the tile.
                float* src0 = a + (i0 + r0) * lda + p0;
                if (mr == mrK)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* s = src0 + p;
                        float* dp = d + p * mrK;
                        for (int r = 0; r < mrK; r++) dp[r] = s[r * lda];
                    }
                    continue;
                }
                for (int p = 0; p < kc; p++)
                {
                    float* s = src0 + p;
                    float* dp = d + p * mrK;
                    for (int r = 0; r < mr; r++) dp[r] = s[r * lda];
                    for (int r = mr; r < mrK; r++) dp[r] = 0f;
                }
            }
            else
            {
                // Aᵀ stored: op(A) columns are contiguous rows of the stored matrix.
                for (int p = 0; p < kc; p++)
                {
                    float* s = a + (p0 + p) * lda + i0 + r0;
                    float* dp = d + p * mrK;
                    if (mr == mrK) Unsafe.CopyBlockUnaligned(dp, s, (uint)(mrK * sizeof(float)));
                    else
                    {
                        for (int r = 0; r < mr; r++) dp[r] = s[r];
                        for (int r = mr; r < mrK; r++) dp[r] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// op(B)[p0:p0+kc, j0:j0+nc] in the <see cref="ISgemmBPacker"/> panel layout: strips of kc×NR, columns past nc zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transB, float* b, nint ldb, int p0, int kc, int j0, int nc, float* dst)
    {
        int nrK = TK.NR;
        for (int q0 = 0; q0 < nc; q0 += nrK)
        {
            int nr = Math.Min(nrK, nc - q0);
            float* d = dst + (nint)(q0 / nrK) * kc * nrK;
            if (!transB)
            {
                float* s = b + p0 * ldb + j0 + q0;
                if (nr == nrK)
                    for (int p = 0; p < kc; p++) Unsafe.CopyBlockUnaligned(d + p * nrK, s + p * ldb, (uint)(nrK * sizeof(float)));
                else
                    for (int p = 0; p < kc; p++)
                    {
                        float* sp = s + p * ldb, dp = d + p * nrK;
                        for (int q = 0; q < nr; q++) dp[q] = sp[q];
                        for (int q = nr; q < nrK; q++) dp[q] = 0f;
                    }
            }
            else
            {
                // Bᵀ stored: op(B) column j is a contiguous row of the stored matrix.
                for (int q = 0; q < nr; q++)
                {
                    float* s = b + (j0 + q0 + q) * ldb + p0;
                    for (int p = 0; p < kc; p++) d[p * nrK + q] = s[p];
                }
                for (int q = nr; q < nrK; q++)
                    for (int p = 0; p < kc; p++) d[p * nrK + q] = 0f;
            }
        }
    }

    /// <summary>Packs all of op(A) (m×k) in the <see cref="SgemmPackedA"/> layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackAllA(bool transA, float* a, nint lda, int m, int k, int paddedRows, float* dst)
    {
        int kBlocks = SgemmCall<TK>.KBlocks(k);
        for (int kb = 0; kb < kBlocks; kb++)
        {
            int pc = SgemmCall<TK>.KBlockStart(k, kBlocks, kb), kc = SgemmCall<TK>.KBlockStart(k, kBlocks, kb + 1) - pc;
            PackA(transA, a, lda, 0, m, pc, kc, dst + (nint)pc * paddedRows);
        }
    }

    /// <summary>Packs all of op(B) (k×n) in the <see cref="SgemmPackedB"/> layout.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackAllB(bool transB, float* b, nint ldb, int k, int n, int paddedColumns, float* dst)
    {
        int kBlocks = SgemmCall<TK>.KBlocks(k);
        for (int kb = 0; kb < kBlocks; kb++)
        {
            int pc = SgemmCall<TK>.KBlockStart(k, kBlocks, kb), kc = SgemmCall<TK>.KBlockStart(k, kBlocks, kb + 1) - pc;
            PackB(transB, b, ldb, pc, kc, 0, n, dst + (nint)pc * paddedColumns);
        }
    }
}
