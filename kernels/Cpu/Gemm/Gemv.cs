using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Matrix-vector products for the M = 1 (and N = 1) SGEMM paths, Vector&lt;float&gt; wide. They are bound by the
/// matrix's memory traffic, so each keeps 8 independent accumulators to cover FMA latency and no more.
/// </summary>
internal static unsafe class Gemv
{
    /// <summary>y[j·incy] = alpha·Σp x[p·incx]·b[p·ldb + j] + beta·y[j·incy] for j in [j0, j1) (beta = 0: y not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(int k, float* x, nint incx, float* b, nint ldb, int j0, int j1, float* y, nint incy, float alpha, float beta)
    {
        int w = Vector<float>.Count;
        int j = j0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j + 4 * w <= j1; j += 4 * w)
            {
                Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
                Vector<float> t0 = default, t1 = default, t2 = default, t3 = default;
                float* bj = b + j;
                int p = 0;
                for (; p + 2 <= k; p += 2)
                {
                    float* r0 = bj + p * ldb, r1 = r0 + ldb;
                    var x0 = new Vector<float>(x[p * incx]);
                    var x1 = new Vector<float>(x[(p + 1) * incx]);
                    s0 = MulAdd(x0, Vector.Load(r0), s0);
                    s1 = MulAdd(x0, Vector.Load(r0 + w), s1);
                    s2 = MulAdd(x0, Vector.Load(r0 + 2 * w), s2);
                    s3 = MulAdd(x0, Vector.Load(r0 + 3 * w), s3);
                    t0 = MulAdd(x1, Vector.Load(r1), t0);
                    t1 = MulAdd(x1, Vector.Load(r1 + w), t1);
                    t2 = MulAdd(x1, Vector.Load(r1 + 2 * w), t2);
                    t3 = MulAdd(x1, Vector.Load(r1 + 3 * w), t3);
                }
                if (p < k)
                {
                    float* r0 = bj + p * ldb;
                    var x0 = new Vector<float>(x[p * incx]);
                    s0 = MulAdd(x0, Vector.Load(r0), s0);
                    s1 = MulAdd(x0, Vector.Load(r0 + w), s1);
                    s2 = MulAdd(x0, Vector.Load(r0 + 2 * w), s2);
                    s3 = MulAdd(x0, Vector.Load(r0 + 3 * w), s3);
                }
                Put(y, j, incy, s0 + t0, alpha, beta);
                Put(y, j + w, incy, s1 + t1, alpha, beta);
                Put(y, j + 2 * w, incy, s2 + t2, alpha, beta);
                Put(y, j + 3 * w, incy, s3 + t3, alpha, beta);
            }
            for (; j + w <= j1; j += w)
            {
                Vector<float> s0 = default;
                for (int p = 0; p < k; p++) s0 = MulAdd(new Vector<float>(x[p * incx]), Vector.Load(b + p * ldb + j), s0);
                Put(y, j, incy, s0, alpha, beta);
            }
        }
        for (; j < j1; j++)
        {
            float s = 0f;
            for (int p = 0; p < k; p++) s += x[p * incx] * b[p * ldb + j];
            y[j * incy] = beta == 0f ? alpha * s : alpha * s + beta * y[j * incy];
        }
    }

    /// <summary>a·b + c, fused where the CPU has FMA (the software-emulated fused form is far slower than this).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> MulAdd(Vector<float> a, Vector<float> b, Vector<float> c) =>
        Fma.IsSupported || AdvSimd.IsSupported ? Vector.FusedMultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Put(float* y, int j, nint incy, Vector<float> s, float alpha, float beta)
    {
        if (incy == 1)
        {
            s *= alpha;
            if (beta != 0f) s = MulAdd(Vector.Load(y + j), new Vector<float>(beta), s);
            Vector.Store(s, y + j);
            return;
        }
        for (int q = 0; q < Vector<float>.Count; q++)
        {
            float* yq = y + (j + q) * incy;
            *yq = beta == 0f ? alpha * s[q] : alpha * s[q] + beta * *yq;
        }
    }

    /// <summary>y[j·incy] = alpha·Σp x[p·incx]·b[j·ldb + p] + beta·y[j·incy] for j in [j0, j1) (beta = 0: y not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot(int k, float* x, nint incx, float* b, nint ldb, int j0, int j1, float* y, nint incy, float alpha, float beta)
    {
        if (incx != 1)
        {
            float* xc = SgemmScratch.ABlock(k);
            for (int p = 0; p < k; p++) xc[p] = x[p * incx];
            x = xc;
        }
        int w = Vector<float>.Count;
        int j = j0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j + 4 <= j1; j += 4)
            {
                float* r0 = b + j * ldb, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
                Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
                Vector<float> t0 = default, t1 = default, t2 = default, t3 = default;
                int p = 0;
                for (; p + 2 * w <= k; p += 2 * w)
                {
                    var xa = Vector.Load(x + p);
                    var xb = Vector.Load(x + p + w);
                    s0 = MulAdd(xa, Vector.Load(r0 + p), s0);
                    s1 = MulAdd(xa, Vector.Load(r1 + p), s1);
                    s2 = MulAdd(xa, Vector.Load(r2 + p), s2);
                    s3 = MulAdd(xa, Vector.Load(r3 + p), s3);
                    t0 = MulAdd(xb, Vector.Load(r0 + p + w), t0);
                    t1 = MulAdd(xb, Vector.Load(r1 + p + w), t1);
                    t2 = MulAdd(xb, Vector.Load(r2 + p + w), t2);
                    t3 = MulAdd(xb, Vector.Load(r3 + p + w), t3);
                }
                float d0 = Vector.Sum(s0 + t0), d1 = Vector.Sum(s1 + t1), d2 = Vector.Sum(s2 + t2), d3 = Vector.Sum(s3 + t3);
                for (; p < k; p++)
                {
                    float xp = x[p];
                    d0 += xp * r0[p]; d1 += xp * r1[p]; d2 += xp * r2[p]; d3 += xp * r3[p];
                }
                Set(y, j, incy, d0, alpha, beta);
                Set(y, j + 1, incy, d1, alpha, beta);
                Set(y, j + 2, incy, d2, alpha, beta);
                Set(y, j + 3, incy, d3, alpha, beta);
            }
        }
        for (; j < j1; j++)
        {
            float* r = b + j * ldb;
            int p = 0;
            float d = 0f;
            if (Vector.IsHardwareAccelerated)
            {
                Vector<float> s = default;
                for (; p + w <= k; p += w) s = MulAdd(Vector.Load(x + p), Vector.Load(r + p), s);
                d = Vector.Sum(s);
            }
            for (; p < k; p++) d += x[p] * r[p];
            Set(y, j, incy, d, alpha, beta);
        }
    }

    private static void Set(float* y, int j, nint incy, float s, float alpha, float beta)
    {
        float* yj = y + j * incy;
        *yj = beta == 0f ? alpha * s : alpha * s + beta * *yj;
    }

    /// <summary>acc[q] += Σp x[p·incx]·b[p·nr + q] for q &lt; nr: one packed B strip against a row vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Strip(int kc, float* x, nint incx, float* b, int nr, float* acc)
    {
        int w = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated && nr % w == 0 && nr / w is 1 or 2 or 4)
        {
            int nv = nr / w;
            Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector<float> t0 = default, t1 = default, t2 = default, t3 = default;
            int p = 0;
            for (; p + 2 <= kc; p += 2)
            {
                float* r0 = b + p * nr, r1 = r0 + nr;
                var x0 = new Vector<float>(x[p * incx]);
                var x1 = new Vector<float>(x[(p + 1) * incx]);
                s0 = MulAdd(x0, Vector.Load(r0), s0);
                t0 = MulAdd(x1, Vector.Load(r1), t0);
                if (nv > 1)
                {
                    s1 = MulAdd(x0, Vector.Load(r0 + w), s1);
                    t1 = MulAdd(x1, Vector.Load(r1 + w), t1);
                }
                if (nv > 2)
                {
                    s2 = MulAdd(x0, Vector.Load(r0 + 2 * w), s2);
                    t2 = MulAdd(x1, Vector.Load(r1 + 2 * w), t2);
                    s3 = MulAdd(x0, Vector.Load(r0 + 3 * w), s3);
                    t3 = MulAdd(x1, Vector.Load(r1 + 3 * w), t3);
                }
            }
            if (p < kc)
            {
                float* r0 = b + p * nr;
                var x0 = new Vector<float>(x[p * incx]);
                s0 = MulAdd(x0, Vector.Load(r0), s0);
                if (nv > 1) s1 = MulAdd(x0, Vector.Load(r0 + w), s1);
                if (nv > 2)
                {
                    s2 = MulAdd(x0, Vector.Load(r0 + 2 * w), s2);
                    s3 = MulAdd(x0, Vector.Load(r0 + 3 * w), s3);
                }
            }
            Vector.Store(Vector.Load(acc) + s0 + t0, acc);
            if (nv > 1) Vector.Store(Vector.Load(acc + w) + s1 + t1, acc + w);
            if (nv > 2)
            {
                Vector.Store(Vector.Load(acc + 2 * w) + s2 + t2, acc + 2 * w);
                Vector.Store(Vector.Load(acc + 3 * w) + s3 + t3, acc + 3 * w);
            }
            return;
        }
        for (int p = 0; p < kc; p++)
        {
            float xp = x[p * incx];
            float* r = b + p * nr;
            for (int q = 0; q < nr; q++) acc[q] += xp * r[q];
        }
    }
}
