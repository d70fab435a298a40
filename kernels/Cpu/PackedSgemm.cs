using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Row-major float32 GEMM: C = alpha·op(A)·op(B) + beta·C, where op(A) is M×K and op(B) is K×N.
/// B is packed in KC×NR column strips and A in MR×KC row strips; a 6×16 register-blocked micro-kernel (Vector256,
/// FMA where the CPU has it, scalar otherwise) computes each tile. Cache blocking runs over K (KC) and N (NC); the
/// tiles of one packed B panel are spread over threads by row block and column block.
/// With beta = 0, C is not read (NaN/garbage in C does not leak into the result).
/// </summary>
public static unsafe class PackedSgemm
{
    private const int MR = 6;
    private const int NR = 16;
    private const int KC = 256;
    private const int MC = 72;
    /// <summary>Columns per task: a KC×NB packed B block (512 KB) stays in L2 while the task's row strips pass over it.</summary>
    private const int NB = 512;

    /// <summary>Below this many multiply-adds the call runs on the calling thread only.</summary>
    private const long ParallelThreshold = 1L << 18;

    /// <summary>
    /// Computes C = alpha·op(A)·op(B) + beta·C. op(A)[i,k] is A[i*lda + k] (or A[k*lda + i] when transA); op(B)[k,j]
    /// is B[k*ldb + j] (or B[j*ldb + k] when transB); C[i,j] is C[i*ldc + j].
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        MatrixChecks.Operands(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            if (k == 0 || alpha == 0f)
            {
                ScaleC(pc, m, n, ldc, beta);
                return;
            }
            if (m == 1) Gemv(transB, n, k, alpha, pa, transA ? lda : 1, pb, ldb, beta, pc);
            else Blocked(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }

    private static void ScaleC(float* c, int m, int n, int ldc, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) row.Clear();
            else if (beta != 1f) for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }

    // ---- M = 1: y = alpha·x·op(B) + beta·y, no packing (packing would cost as much as the product itself).

    private static void Gemv(bool transB, int n, int k, float alpha, float* x, int incx, float* b, int ldb, float beta, float* y)
    {
        nint px = (nint)x, pb = (nint)b, py = (nint)y;
        int chunk = transB ? 64 : 256;
        int chunks = (n + chunk - 1) / chunk;
        void Body(int ci)
        {
            int j0 = ci * chunk, j1 = Math.Min(n, j0 + chunk);
            float* xx = (float*)px, bb = (float*)pb, yy = (float*)py;
            if (transB)
            {
                for (int j = j0; j < j1; j++)
                {
                    float s = Dot(xx, incx, bb + (long)j * ldb, k);
                    yy[j] = beta == 0f ? alpha * s : alpha * s + beta * yy[j];
                }
            }
            else
            {
                int len = j1 - j0;
                float* acc = stackalloc float[256];
                new Span<float>(acc, len).Clear();
                for (int p = 0; p < k; p++) Axpy(xx[(long)p * incx], bb + (long)p * ldb + j0, acc, len);
                for (int j = 0; j < len; j++) yy[j0 + j] = beta == 0f ? alpha * acc[j] : alpha * acc[j] + beta * yy[j0 + j];
            }
        }
        if ((long)n * k < ParallelThreshold || chunks == 1) for (int ci = 0; ci < chunks; ci++) Body(ci);
        else KernelParallelism.For(0, chunks, Body);
    }

    private static float Dot(float* x, int incx, float* y, int k)
    {
        int p = 0;
        float s = 0f;
        if (incx == 1 && Vector256.IsHardwareAccelerated)
        {
            Vector256<float> s0 = default, s1 = default;
            for (; p + 16 <= k; p += 16)
            {
                s0 = MulAdd(Vector256.Load(x + p), Vector256.Load(y + p), s0);
                s1 = MulAdd(Vector256.Load(x + p + 8), Vector256.Load(y + p + 8), s1);
            }
            s = Vector256.Sum(s0 + s1);
        }
        for (; p < k; p++) s += x[(long)p * incx] * y[p];
        return s;
    }

    private static void Axpy(float alpha, float* x, float* y, int n)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(alpha);
            for (; j + 8 <= n; j += 8) Vector256.Store(MulAdd(va, Vector256.Load(x + j), Vector256.Load(y + j)), y + j);
        }
        for (; j < n; j++) y[j] += alpha * x[j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    // ---- General case: packed panels + micro-kernel.

    private static void Blocked(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        // Work is split once into (row block × column block) tasks; each task walks all of K itself, packing its own
        // A block and B sub-panel, so a GEMM has a single fork/join however long K is.
        int threads = KernelParallelism.MaxDegree;
        bool parallel = threads > 1 && (long)m * n * k >= ParallelThreshold;
        int mBlocks = (m + MC - 1) / MC;
        int nStrips = (n + NR - 1) / NR;
        int stripsPerBlock = NB / NR;
        if (parallel && mBlocks * ((nStrips + stripsPerBlock - 1) / stripsPerBlock) < 4 * threads)
            stripsPerBlock = Math.Max(1, Math.Min(stripsPerBlock, nStrips * mBlocks / (4 * threads)));
        int nBlocks = (nStrips + stripsPerBlock - 1) / stripsPerBlock;
        int tasks = mBlocks * nBlocks;
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        void Task(int t)
        {
            int mb = t / nBlocks, nb = t % nBlocks;
            int i0 = mb * MC, mc = Math.Min(MC, m - i0);
            int j0 = nb * stripsPerBlock * NR, nc = Math.Min(stripsPerBlock * NR, n - j0);
            float[] bArray = ArrayPool<float>.Shared.Rent(KC * RoundUp(nc, NR));
            try
            {
                fixed (float* bPack = bArray)
                {
                    float* aPack = stackalloc float[MC * KC];
                    for (int p0 = 0; p0 < k; p0 += KC)
                    {
                        int kc = Math.Min(KC, k - p0);
                        float betaEff = p0 == 0 ? beta : 1f;
                        PackA(transA, (float*)pa, lda, i0, mc, p0, kc, aPack);
                        PackB(transB, (float*)pb, ldb, p0, kc, j0, nc, bPack);
                        for (int j = 0; j < nc; j += NR)
                        {
                            float* bStrip = bPack + (long)(j / NR) * kc * NR;
                            int nr = Math.Min(NR, nc - j);
                            for (int r = 0; r < mc; r += MR)
                            {
                                float* cTile = (float*)pc + (long)(i0 + r) * ldc + j0 + j;
                                MicroKernel(kc, aPack + (long)r * kc, bStrip, cTile, ldc, alpha, betaEff, Math.Min(MR, mc - r), nr);
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(bArray);
            }
        }
        if (parallel && tasks > 1) KernelParallelism.For(0, tasks, Task);
        else for (int t = 0; t < tasks; t++) Task(t);
    }

    private static int RoundUp(int v, int multiple) => (v + multiple - 1) / multiple * multiple;

    /// <summary>Packs op(B)[p0:p0+kc, j0:j0+nc] into NR-wide strips, kc rows each, zero-padding the last strip.</summary>
    private static void PackB(bool transB, float* b, int ldb, int p0, int kc, int j0, int nc, float* dst)
    {
        for (int j = 0; j < nc; j += NR)
        {
            int nr = Math.Min(NR, nc - j);
            float* d = dst + (long)(j / NR) * kc * NR;
            if (!transB)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = b + (long)(p0 + p) * ldb + j0 + j;
                    float* row = d + p * NR;
                    if (nr == NR)
                    {
                        if (Vector256.IsHardwareAccelerated)
                        {
                            Vector256.Store(Vector256.Load(src), row);
                            Vector256.Store(Vector256.Load(src + 8), row + 8);
                        }
                        else for (int q = 0; q < NR; q++) row[q] = src[q];
                    }
                    else
                    {
                        for (int q = 0; q < nr; q++) row[q] = src[q];
                        for (int q = nr; q < NR; q++) row[q] = 0f;
                    }
                }
            }
            else
            {
                for (int q = 0; q < nr; q++)
                {
                    float* src = b + (long)(j0 + j + q) * ldb + p0;
                    for (int p = 0; p < kc; p++) d[p * NR + q] = src[p];
                }
                for (int q = nr; q < NR; q++)
                    for (int p = 0; p < kc; p++) d[p * NR + q] = 0f;
            }
        }
    }

    /// <summary>Packs op(A)[i0:i0+mc, p0:p0+kc] into MR-high strips (kc columns of MR values), zero-padding the last.</summary>
    private static void PackA(bool transA, float* a, int lda, int i0, int mc, int p0, int kc, float* dst)
    {
        for (int r = 0; r < mc; r += MR)
        {
            int mr = Math.Min(MR, mc - r);
            float* d = dst + (long)r * kc;
            if (!transA)
            {
                for (int q = 0; q < mr; q++)
                {
                    float* src = a + (long)(i0 + r + q) * lda + p0;
                    for (int p = 0; p < kc; p++) d[p * MR + q] = src[p];
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* src = a + (long)(p0 + p) * lda + i0 + r;
                    for (int q = 0; q < mr; q++) d[p * MR + q] = src[q];
                }
            }
            if (mr < MR)
                for (int p = 0; p < kc; p++)
                    for (int q = mr; q < MR; q++) d[p * MR + q] = 0f;
        }
    }

    /// <summary>
    /// One MR×NR tile: acc = Σp aStrip[p]·bStrip[p], then C = alpha·acc + beta·C on the mr×nr valid part.
    /// </summary>
    private static void MicroKernel(int kc, float* ap, float* bp, float* c, int ldc, float alpha, float beta, int mr, int nr)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            ScalarKernel(kc, ap, bp, c, ldc, alpha, beta, mr, nr);
            return;
        }
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(bp);
            var b1 = Vector256.Load(bp + 8);
            var a0 = Vector256.Create(ap[0]);
            c00 = MulAdd(a0, b0, c00); c01 = MulAdd(a0, b1, c01);
            var a1 = Vector256.Create(ap[1]);
            c10 = MulAdd(a1, b0, c10); c11 = MulAdd(a1, b1, c11);
            var a2 = Vector256.Create(ap[2]);
            c20 = MulAdd(a2, b0, c20); c21 = MulAdd(a2, b1, c21);
            var a3 = Vector256.Create(ap[3]);
            c30 = MulAdd(a3, b0, c30); c31 = MulAdd(a3, b1, c31);
            var a4 = Vector256.Create(ap[4]);
            c40 = MulAdd(a4, b0, c40); c41 = MulAdd(a4, b1, c41);
            var a5 = Vector256.Create(ap[5]);
            c50 = MulAdd(a5, b0, c50); c51 = MulAdd(a5, b1, c51);
            ap += MR;
            bp += NR;
        }
        if (mr == MR && nr == NR)
        {
            var va = Vector256.Create(alpha);
            StoreRow(c, c00, c01, va, beta);
            StoreRow(c + ldc, c10, c11, va, beta);
            StoreRow(c + 2L * ldc, c20, c21, va, beta);
            StoreRow(c + 3L * ldc, c30, c31, va, beta);
            StoreRow(c + 4L * ldc, c40, c41, va, beta);
            StoreRow(c + 5L * ldc, c50, c51, va, beta);
            return;
        }
        float* tile = stackalloc float[MR * NR];
        c00.Store(tile); c01.Store(tile + 8); c10.Store(tile + 16); c11.Store(tile + 24);
        c20.Store(tile + 32); c21.Store(tile + 40); c30.Store(tile + 48); c31.Store(tile + 56);
        c40.Store(tile + 64); c41.Store(tile + 72); c50.Store(tile + 80); c51.Store(tile + 88);
        WritePartial(tile, c, ldc, alpha, beta, mr, nr);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> lo, Vector256<float> hi, Vector256<float> alpha, float beta)
    {
        if (beta == 0f)
        {
            Vector256.Store(lo * alpha, c);
            Vector256.Store(hi * alpha, c + 8);
        }
        else if (beta == 1f)
        {
            Vector256.Store(MulAdd(lo, alpha, Vector256.Load(c)), c);
            Vector256.Store(MulAdd(hi, alpha, Vector256.Load(c + 8)), c + 8);
        }
        else
        {
            var vb = Vector256.Create(beta);
            Vector256.Store(MulAdd(lo, alpha, Vector256.Load(c) * vb), c);
            Vector256.Store(MulAdd(hi, alpha, Vector256.Load(c + 8) * vb), c + 8);
        }
    }

    private static void WritePartial(float* tile, float* c, int ldc, float alpha, float beta, int mr, int nr)
    {
        for (int i = 0; i < mr; i++)
        {
            float* row = c + (long)i * ldc;
            for (int j = 0; j < nr; j++)
                row[j] = beta == 0f ? alpha * tile[i * NR + j] : alpha * tile[i * NR + j] + beta * row[j];
        }
    }

    private static void ScalarKernel(int kc, float* ap, float* bp, float* c, int ldc, float alpha, float beta, int mr, int nr)
    {
        float* tile = stackalloc float[MR * NR];
        new Span<float>(tile, MR * NR).Clear();
        for (int p = 0; p < kc; p++)
        {
            for (int i = 0; i < MR; i++)
            {
                float av = ap[i];
                float* t = tile + i * NR;
                for (int j = 0; j < NR; j++) t[j] += av * bp[j];
            }
            ap += MR;
            bp += NR;
        }
        WritePartial(tile, c, ldc, alpha, beta, mr, nr);
    }
}
