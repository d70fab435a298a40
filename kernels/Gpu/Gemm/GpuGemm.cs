using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Kernels.Gpu.Elementwise;
using NativeInfer.Kernels.Gpu.Runtime;

namespace NativeInfer.Kernels.Gpu.Gemm;

/// <summary>
/// Tiled SGEMM: each group of 16×16 threads computes a 64×64 tile of C; per K step of 16 it stages a 64×16 panel of A
/// and a 16×64 panel of B in shared memory, and each thread accumulates a 4×4 register block (rows ty + 16i, columns
/// tx + 16j: neighbouring threads read neighbouring shared-memory words, no bank conflicts). The epilogue (alpha, bias,
/// residual, activation) is applied to the registers before the one store of C. Batches run on the grid's Z axis.
/// </summary>
public static class GpuGemm
{
    public const int Tile = 64, TileK = 16, Threads = 16;

    private static readonly object s_key = new();

    /// <summary>
    /// Launches the GEMM <paramref name="p"/> describes over <paramref name="batch"/> batches. Views must hold every
    /// element the strides reach; unused bias/residual views may be any view (they are not read).
    /// </summary>
    public static void Run(GpuDevice device, AcceleratorStream stream, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c,
        ArrayView<float> bias, ArrayView<float> residual, in GemmParams p, int batch = 1)
    {
        if (p.M < 0 || p.N < 0 || p.K < 0 || batch < 0) throw new ArgumentException("GEMM sizes must be non-negative.");
        if (!GpuOpCode.IsUnary(p.Activation)) throw new ArgumentException($"Activation {p.Activation} is not a unary function.");
        if (p.M == 0 || p.N == 0 || batch == 0) return;
        if ((long)batch * p.M * p.N > c.Length) throw new ArgumentException("C is too small for the GEMM's output.");
        var kernel = device.Kernel(s_key, acc => acc.LoadKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<float>, GemmParams>(Kernel));
        var grid = new Index3D((p.N + Tile - 1) / Tile, (p.M + Tile - 1) / Tile, batch);
        kernel(stream, new KernelConfig(grid, new Index3D(Threads, Threads, 1)), a, b, c, bias, residual, p);
    }

    internal static void Kernel(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ArrayView<float> bias,
        ArrayView<float> residual, GemmParams p)
    {
        var sa = SharedMemory.Allocate<float>(TileK * Tile);   // [k][m]
        var sb = SharedMemory.Allocate<float>(TileK * Tile);   // [k][n]
        int tx = Group.IdxX, ty = Group.IdxY, tid = ty * Threads + tx;
        int row0 = Grid.IdxY * Tile, col0 = Grid.IdxX * Tile, batch = Grid.IdxZ;
        long aBase = (long)batch * p.BatchA, bBase = (long)batch * p.BatchB;
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int k0 = 0; k0 < p.K; k0 += TileK)
        {
            for (int e = tid; e < TileK * Tile; e += Threads * Threads)
            {
                // A panel: consecutive threads take consecutive k (contiguous in a row-major A).
                int r = e / TileK, kk = e % TileK, gm = row0 + r, gk = k0 + kk;
                sa[kk * Tile + r] = gm < p.M && gk < p.K ? a[aBase + (long)gm * p.Am + (long)gk * p.Ak] : 0f;
                // B panel: consecutive threads take consecutive n.
                int kb = e / Tile, cc = e % Tile, gn = col0 + cc, gkb = k0 + kb;
                sb[kb * Tile + cc] = gn < p.N && gkb < p.K ? b[bBase + (long)gkb * p.Bk + (long)gn * p.Bn] : 0f;
            }
            Group.Barrier();
            for (int kk = 0; kk < TileK; kk++)
            {
                int o = kk * Tile;
                float a0 = sa[o + ty], a1 = sa[o + ty + 16], a2 = sa[o + ty + 32], a3 = sa[o + ty + 48];
                float b0 = sb[o + tx], b1 = sb[o + tx + 16], b2 = sb[o + tx + 32], b3 = sb[o + tx + 48];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }
            Group.Barrier();
        }
        int r0 = row0 + ty, n0 = col0 + tx;
        Store(c, bias, residual, p, batch, r0, n0, c00); Store(c, bias, residual, p, batch, r0, n0 + 16, c01);
        Store(c, bias, residual, p, batch, r0, n0 + 32, c02); Store(c, bias, residual, p, batch, r0, n0 + 48, c03);
        Store(c, bias, residual, p, batch, r0 + 16, n0, c10); Store(c, bias, residual, p, batch, r0 + 16, n0 + 16, c11);
        Store(c, bias, residual, p, batch, r0 + 16, n0 + 32, c12); Store(c, bias, residual, p, batch, r0 + 16, n0 + 48, c13);
        Store(c, bias, residual, p, batch, r0 + 32, n0, c20); Store(c, bias, residual, p, batch, r0 + 32, n0 + 16, c21);
        Store(c, bias, residual, p, batch, r0 + 32, n0 + 32, c22); Store(c, bias, residual, p, batch, r0 + 32, n0 + 48, c23);
        Store(c, bias, residual, p, batch, r0 + 48, n0, c30); Store(c, bias, residual, p, batch, r0 + 48, n0 + 16, c31);
        Store(c, bias, residual, p, batch, r0 + 48, n0 + 32, c32); Store(c, bias, residual, p, batch, r0 + 48, n0 + 48, c33);
    }

    /// <summary>The epilogue of one element: alpha, bias, residual, activation, store.</summary>
    private static void Store(ArrayView<float> c, ArrayView<float> bias, ArrayView<float> residual, in GemmParams p,
        int batch, int m, int n, float acc)
    {
        if (m >= p.M || n >= p.N) return;
        float v = p.Alpha * acc;
        if (p.HasBias != 0) v += p.BiasScale * bias[(long)batch * p.BiasBatch + (long)m * p.BiasM + (long)n * p.BiasN];
        if (p.HasResidual != 0) v += p.ResidualScale * residual[(long)batch * p.ResidualBatch + (long)m * p.ResidualM + (long)n * p.ResidualN];
        if (p.Activation != GpuOpCode.Identity) v = GpuMath.Unary(p.Activation, v, p.ActP0, p.ActP1);
        c[(long)batch * p.BatchC + (long)m * p.N + n] = v;
    }

    /// <summary>The kernel method, for offline compilation checks.</summary>
    public static System.Reflection.MethodInfo KernelMethod => typeof(GpuGemm).GetMethod(nameof(Kernel),
        System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
}
