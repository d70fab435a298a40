using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// AVX2 + FMA micro-kernel, 6×16 tile: 12 ymm accumulators, two B loads and six broadcasts per k step (15 of the 16
/// ymm registers). Partial tiles are computed whole and stored through a stack tile.
/// </summary>
internal unsafe struct SgemmAvx2Kernel : ISgemmMicroKernel
{
    public static SgemmIsa Isa => SgemmIsa.Avx2;
    public static int MR => 6;
    public static int NR => 16;

    public static bool IsSupported => Vector256.IsHardwareAccelerated && Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]); c00 = Fma(a0, b0, c00); c01 = Fma(a0, b1, c01);
            var a1 = Vector256.Create(a[1]); c10 = Fma(a1, b0, c10); c11 = Fma(a1, b1, c11);
            var a2 = Vector256.Create(a[2]); c20 = Fma(a2, b0, c20); c21 = Fma(a2, b1, c21);
            var a3 = Vector256.Create(a[3]); c30 = Fma(a3, b0, c30); c31 = Fma(a3, b1, c31);
            var a4 = Vector256.Create(a[4]); c40 = Fma(a4, b0, c40); c41 = Fma(a4, b1, c41);
            var a5 = Vector256.Create(a[5]); c50 = Fma(a5, b0, c50); c51 = Fma(a5, b1, c51);
            a += 6;
            b += 16;
        }
        var va = Vector256.Create(alpha);
        if (mr == 6 && nr == 16)
        {
            StoreRow(c + 0 * ldc, c00, c01, va, beta);
            StoreRow(c + 1 * ldc, c10, c11, va, beta);
            StoreRow(c + 2 * ldc, c20, c21, va, beta);
            StoreRow(c + 3 * ldc, c30, c31, va, beta);
            StoreRow(c + 4 * ldc, c40, c41, va, beta);
            StoreRow(c + 5 * ldc, c50, c51, va, beta);
            return;
        }
        float* t = stackalloc float[96];
        Vector256.Store(c00, t + 0);
        Vector256.Store(c01, t + 8);
        Vector256.Store(c10, t + 16);
        Vector256.Store(c11, t + 24);
        Vector256.Store(c20, t + 32);
        Vector256.Store(c21, t + 40);
        Vector256.Store(c30, t + 48);
        Vector256.Store(c31, t + 56);
        Vector256.Store(c40, t + 64);
        Vector256.Store(c41, t + 72);
        Vector256.Store(c50, t + 80);
        Vector256.Store(c51, t + 88);
        SgemmTileStore.Partial(t, 16, c, ldc, mr, nr, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> va, float beta)
    {
        if (beta == 0f)
        {
            Vector256.Store(x0 * va, c + 0);
            Vector256.Store(x1 * va, c + 8);
        }
        else if (beta == 1f)
        {
            Vector256.Store(Fma(x0, va, Vector256.Load(c + 0)), c + 0);
            Vector256.Store(Fma(x1, va, Vector256.Load(c + 8)), c + 8);
        }
        else
        {
            var vb = Vector256.Create(beta);
            Vector256.Store(Fma(x0, va, Vector256.Load(c + 0) * vb), c + 0);
            Vector256.Store(Fma(x1, va, Vector256.Load(c + 8) * vb), c + 8);
        }
    }
}
