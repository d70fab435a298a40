using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Portable Vector128 micro-kernel (SSE or NEON; FMA when the CPU has it, multiply + add otherwise), 6×8 tile: 12
/// accumulators. Partial tiles are computed whole and stored through a stack tile.
/// </summary>
internal unsafe struct SgemmVector128Kernel : ISgemmMicroKernel
{
    public static SgemmIsa Isa => SgemmIsa.Vector128;
    public static int MR => 6;
    public static int NR => 8;

    public static bool IsSupported => Vector128.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c) : System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? Vector128.FusedMultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b + 0);
            var b1 = Vector128.Load(b + 4);
            var a0 = Vector128.Create(a[0]); c00 = Fma(a0, b0, c00); c01 = Fma(a0, b1, c01);
            var a1 = Vector128.Create(a[1]); c10 = Fma(a1, b0, c10); c11 = Fma(a1, b1, c11);
            var a2 = Vector128.Create(a[2]); c20 = Fma(a2, b0, c20); c21 = Fma(a2, b1, c21);
            var a3 = Vector128.Create(a[3]); c30 = Fma(a3, b0, c30); c31 = Fma(a3, b1, c31);
            var a4 = Vector128.Create(a[4]); c40 = Fma(a4, b0, c40); c41 = Fma(a4, b1, c41);
            var a5 = Vector128.Create(a[5]); c50 = Fma(a5, b0, c50); c51 = Fma(a5, b1, c51);
            a += 6;
            b += 8;
        }
        var va = Vector128.Create(alpha);
        if (mr == 6 && nr == 8)
        {
            StoreRow(c + 0 * ldc, c00, c01, va, beta);
            StoreRow(c + 1 * ldc, c10, c11, va, beta);
            StoreRow(c + 2 * ldc, c20, c21, va, beta);
            StoreRow(c + 3 * ldc, c30, c31, va, beta);
            StoreRow(c + 4 * ldc, c40, c41, va, beta);
            StoreRow(c + 5 * ldc, c50, c51, va, beta);
            return;
        }
        float* t = stackalloc float[48];
        Vector128.Store(c00, t + 0);
        Vector128.Store(c01, t + 4);
        Vector128.Store(c10, t + 8);
        Vector128.Store(c11, t + 12);
        Vector128.Store(c20, t + 16);
        Vector128.Store(c21, t + 20);
        Vector128.Store(c30, t + 24);
        Vector128.Store(c31, t + 28);
        Vector128.Store(c40, t + 32);
        Vector128.Store(c41, t + 36);
        Vector128.Store(c50, t + 40);
        Vector128.Store(c51, t + 44);
        SgemmTileStore.Partial(t, 8, c, ldc, mr, nr, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector128<float> x0, Vector128<float> x1, Vector128<float> va, float beta)
    {
        if (beta == 0f)
        {
            Vector128.Store(x0 * va, c + 0);
            Vector128.Store(x1 * va, c + 4);
        }
        else if (beta == 1f)
        {
            Vector128.Store(Fma(x0, va, Vector128.Load(c + 0)), c + 0);
            Vector128.Store(Fma(x1, va, Vector128.Load(c + 4)), c + 4);
        }
        else
        {
            var vb = Vector128.Create(beta);
            Vector128.Store(Fma(x0, va, Vector128.Load(c + 0) * vb), c + 0);
            Vector128.Store(Fma(x1, va, Vector128.Load(c + 4) * vb), c + 4);
        }
    }
}
