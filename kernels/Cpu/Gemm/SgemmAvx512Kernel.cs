using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// AVX-512 micro-kernel, 12×32 tile: 24 zmm accumulators (12 rows × 2 vectors), two B loads and 12 broadcasts per
/// k step; enough independent FMA chains to cover two 512-bit FMA pipes at latency 4. Row tails run a specialization
/// with only the live rows; column tails store through an AVX-512 mask.
/// </summary>
internal unsafe struct SgemmAvx512Kernel : ISgemmMicroKernel
{
    public static SgemmIsa Isa => SgemmIsa.Avx512;
    public static int MR => 12;
    public static int NR => 32;

    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    public static void Run(int kc, float* a, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta)
    {
        switch (mr)
        {
            case 12: Tile<Rows12>(kc, a, b, c, ldc, nr, alpha, beta); break;
            case 11: Tile<Rows11>(kc, a, b, c, ldc, nr, alpha, beta); break;
            case 10: Tile<Rows10>(kc, a, b, c, ldc, nr, alpha, beta); break;
            case 9: Tile<Rows9>(kc, a, b, c, ldc, nr, alpha, beta); break;
            case 8: Tile<Rows8>(kc, a, b, c, ldc, nr, alpha, beta); break;
            case 7: Tile<Rows7>(kc, a, b, c, ldc, nr, alpha, beta); break;
            case 6: Tile<Rows6>(kc, a, b, c, ldc, nr, alpha, beta); break;
            case 5: Tile<Rows5>(kc, a, b, c, ldc, nr, alpha, beta); break;
            case 4: Tile<Rows4>(kc, a, b, c, ldc, nr, alpha, beta); break;
            case 3: Tile<Rows3>(kc, a, b, c, ldc, nr, alpha, beta); break;
            case 2: Tile<Rows2>(kc, a, b, c, ldc, nr, alpha, beta); break;
            default: Tile<Rows1>(kc, a, b, c, ldc, nr, alpha, beta); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows>(int kc, float* a, float* b, float* c, nint ldc, int nr, float alpha, float beta)
        where TRows : struct, IRowCount
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default, c90 = default, c91 = default, c100 = default, c101 = default, c110 = default, c111 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
                { var a0 = Vector512.Create(a[0]); c00 = Fma(a0, b0, c00); c01 = Fma(a0, b1, c01); }
                if (TRows.Value > 1) { var a1 = Vector512.Create(a[1]); c10 = Fma(a1, b0, c10); c11 = Fma(a1, b1, c11); }
                if (TRows.Value > 2) { var a2 = Vector512.Create(a[2]); c20 = Fma(a2, b0, c20); c21 = Fma(a2, b1, c21); }
                if (TRows.Value > 3) { var a3 = Vector512.Create(a[3]); c30 = Fma(a3, b0, c30); c31 = Fma(a3, b1, c31); }
                if (TRows.Value > 4) { var a4 = Vector512.Create(a[4]); c40 = Fma(a4, b0, c40); c41 = Fma(a4, b1, c41); }
                if (TRows.Value > 5) { var a5 = Vector512.Create(a[5]); c50 = Fma(a5, b0, c50); c51 = Fma(a5, b1, c51); }
                if (TRows.Value > 6) { var a6 = Vector512.Create(a[6]); c60 = Fma(a6, b0, c60); c61 = Fma(a6, b1, c61); }
                if (TRows.Value > 7) { var a7 = Vector512.Create(a[7]); c70 = Fma(a7, b0, c70); c71 = Fma(a7, b1, c71); }
                if (TRows.Value > 8) { var a8 = Vector512.Create(a[8]); c80 = Fma(a8, b0, c80); c81 = Fma(a8, b1, c81); }
                if (TRows.Value > 9) { var a9 = Vector512.Create(a[9]); c90 = Fma(a9, b0, c90); c91 = Fma(a9, b1, c91); }
                if (TRows.Value > 10) { var a10 = Vector512.Create(a[10]); c100 = Fma(a10, b0, c100); c101 = Fma(a10, b1, c101); }
                if (TRows.Value > 11) { var a11 = Vector512.Create(a[11]); c110 = Fma(a11, b0, c110); c111 = Fma(a11, b1, c111); }
            a += 12;
            b += 32;
        }
        var va = Vector512.Create(alpha);
            StoreRow(c + 0 * ldc, c00, c01, va, beta, nr);
            if (TRows.Value > 1) StoreRow(c + 1 * ldc, c10, c11, va, beta, nr);
            if (TRows.Value > 2) StoreRow(c + 2 * ldc, c20, c21, va, beta, nr);
            if (TRows.Value > 3) StoreRow(c + 3 * ldc, c30, c31, va, beta, nr);
            if (TRows.Value > 4) StoreRow(c + 4 * ldc, c40, c41, va, beta, nr);
            if (TRows.Value > 5) StoreRow(c + 5 * ldc, c50, c51, va, beta, nr);
            if (TRows.Value > 6) StoreRow(c + 6 * ldc, c60, c61, va, beta, nr);
            if (TRows.Value > 7) StoreRow(c + 7 * ldc, c70, c71, va, beta, nr);
            if (TRows.Value > 8) StoreRow(c + 8 * ldc, c80, c81, va, beta, nr);
            if (TRows.Value > 9) StoreRow(c + 9 * ldc, c90, c91, va, beta, nr);
            if (TRows.Value > 10) StoreRow(c + 10 * ldc, c100, c101, va, beta, nr);
            if (TRows.Value > 11) StoreRow(c + 11 * ldc, c110, c111, va, beta, nr);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> va, float beta, int nr)
    {
        if (nr == 32)
        {
            if (beta == 0f)
            {
                Vector512.Store(x0 * va, c);
                Vector512.Store(x1 * va, c + 16);
            }
            else if (beta == 1f)
            {
                Vector512.Store(Fma(x0, va, Vector512.Load(c)), c);
                Vector512.Store(Fma(x1, va, Vector512.Load(c + 16)), c + 16);
            }
            else
            {
                var vb = Vector512.Create(beta);
                Vector512.Store(Fma(x0, va, Vector512.Load(c) * vb), c);
                Vector512.Store(Fma(x1, va, Vector512.Load(c + 16) * vb), c + 16);
            }
            return;
        }
        StorePartial(c, x0 * va, beta, nr);
        if (nr > 16) StorePartial(c + 16, x1 * va, beta, nr - 16);
    }

    /// <summary>Stores lanes [0, count) of v (+ beta·C) through a mask: nothing past the tile is read or written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePartial(float* c, Vector512<float> v, float beta, int count)
    {
        var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
        if (beta != 0f) v = Fma(Avx512F.MaskLoad(c, mask, Vector512<float>.Zero), Vector512.Create(beta), v);
        Avx512F.MaskStore(c, mask, v);
    }
}
