using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu;

/// <summary>Stores the valid part of an accumulator tile that was spilled to memory (partial tiles, scalar kernel).</summary>
internal static unsafe class SgemmTileStore
{
    /// <summary>C[r, q] = alpha·t[r·tileStride + q] + beta·C[r, q] for r &lt; mr, q &lt; nr; with beta = 0, C is not read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Partial(float* t, int tileStride, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        for (int r = 0; r < mr; r++)
        {
            float* tr = t + r * tileStride;
            float* cr = c + r * ldc;
            if (beta == 0f) for (int q = 0; q < nr; q++) cr[q] = alpha * tr[q];
            else for (int q = 0; q < nr; q++) cr[q] = alpha * tr[q] + beta * cr[q];
        }
    }
}
