using System.Runtime.CompilerServices;
namespace NativeInfer.Kernels.Cpu;

/// <summary>Scalar micro-kernel, 4×4 tile in locals: the floor for a CPU without SIMD, and a reference path.</summary>
[SkipLocalsInit]
internal unsafe struct SgemmScalarKernel : ISgemmMicroKernel
{
    public static SgemmIsa Isa => SgemmIsa.Scalar;
    public static int MR => 4;
    public static bool FusesEpilogue => false;

    public static void RunFused(int kc, float* a, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta,
        SgemmTileEpilogue* epilogue) => throw new NotSupportedException();

    public static int NR => 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        float* t = stackalloc float[16];
        for (int i = 0; i < 16; i++) t[i] = 0f;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            for (int r = 0; r < 4; r++)
            {
                float ar = a[r];
                float* tr = t + r * 4;
                tr[0] += ar * b0; tr[1] += ar * b1; tr[2] += ar * b2; tr[3] += ar * b3;
            }
            a += 4;
            b += 4;
        }
        SgemmTileStore.Partial(t, 4, c, ldc, mr, nr, alpha, beta);
    }
}
