using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// AVX-512 micro-kernel, 12×32 tile: 24 zmm accumulators (12 rows × 2 vectors), two B loads and 12 broadcasts per
/// k step; enough independent FMA chains to cover two 512-bit FMA pipes at latency 4. Row tails run a specialization
/// with only the live rows; column tails store through an AVX-512 mask. A fused epilogue (biases, residual, a cheap
/// activation) is applied to the tile, spilled to L1, on its way to the single store into C.
/// </summary>
[SkipLocalsInit]
internal unsafe struct SgemmAvx512Kernel : ISgemmMicroKernel
{
    public static SgemmIsa Isa => SgemmIsa.Avx512;
    public static int MR => 12;
    public static int NR => 32;

    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    public static bool FusesEpilogue => true;

    public static void Run(int kc, float* a, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta) =>
        RunFused(kc, a, b, c, ldc, mr, nr, alpha, beta, null);

    public static void RunFused(int kc, float* a, float* b, float* c, nint ldc, int mr, int nr, float alpha, float beta,
        SgemmTileEpilogue* e) => Dispatch(kc, a, new PackedStrip(b), c, ldc, mr, nr, alpha, beta, e);

    /// <summary>
    /// <see cref="RunFused"/> with B read in place instead of from a packed strip: row p of the 32-wide strip is the
    /// 32 floats at <c>b + offsets[p]</c> (all readable, also past <paramref name="nr"/>). The window convolution's
    /// rows are shifted windows of one image copy, so no panel is packed.
    /// </summary>
    public static void RunRows(int kc, float* a, float* b, int* offsets, float* c, nint ldc, int mr, int nr, float beta,
        SgemmTileEpilogue* e) => Dispatch(kc, a, new RowsStrip(b, offsets), c, ldc, mr, nr, 1f, beta, e);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dispatch<TB>(int kc, float* a, TB b, float* c, nint ldc, int mr, int nr, float alpha, float beta,
        SgemmTileEpilogue* e) where TB : struct, IStrip
    {
        switch (mr)
        {
            case 12: Tile<Rows12, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
            case 11: Tile<Rows11, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
            case 10: Tile<Rows10, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
            case 9: Tile<Rows9, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
            case 8: Tile<Rows8, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
            case 7: Tile<Rows7, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
            case 6: Tile<Rows6, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
            case 5: Tile<Rows5, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
            case 4: Tile<Rows4, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
            case 3: Tile<Rows3, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
            case 2: Tile<Rows2, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
            default: Tile<Rows1, TB>(kc, a, b, c, ldc, nr, alpha, beta, e); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows, TB>(int kc, float* a, TB b, float* c, nint ldc, int nr, float alpha, float beta,
        SgemmTileEpilogue* e)
        where TRows : struct, IRowCount
        where TB : struct, IStrip
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default, c90 = default, c91 = default, c100 = default, c101 = default, c110 = default, c111 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = b.Load0();
            var b1 = b.Load1();
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
            b.Next();
        }
        if (e == null)
        {
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
            return;
        }
        if (nr == 32 && beta == 0f && alpha == 1f && e->ColBias == null)
        {
            // The common conv/GEMM epilogue (row bias, residual, a register activation) straight from the
            // accumulators: no spill, no per-row branching beyond the activation kind. Matters when K is small.
            float* rb = e->RowBias, res = e->Residual;
            nint rs = e->ResidualStride;
            var kind = e->Activation;
            float p0 = e->P0, p1 = e->P1;
            StoreDirect(c + 0 * ldc, c00, c01, rb, 0, res, rs, kind, p0, p1);
            if (TRows.Value > 1) StoreDirect(c + 1 * ldc, c10, c11, rb, 1, res, rs, kind, p0, p1);
            if (TRows.Value > 2) StoreDirect(c + 2 * ldc, c20, c21, rb, 2, res, rs, kind, p0, p1);
            if (TRows.Value > 3) StoreDirect(c + 3 * ldc, c30, c31, rb, 3, res, rs, kind, p0, p1);
            if (TRows.Value > 4) StoreDirect(c + 4 * ldc, c40, c41, rb, 4, res, rs, kind, p0, p1);
            if (TRows.Value > 5) StoreDirect(c + 5 * ldc, c50, c51, rb, 5, res, rs, kind, p0, p1);
            if (TRows.Value > 6) StoreDirect(c + 6 * ldc, c60, c61, rb, 6, res, rs, kind, p0, p1);
            if (TRows.Value > 7) StoreDirect(c + 7 * ldc, c70, c71, rb, 7, res, rs, kind, p0, p1);
            if (TRows.Value > 8) StoreDirect(c + 8 * ldc, c80, c81, rb, 8, res, rs, kind, p0, p1);
            if (TRows.Value > 9) StoreDirect(c + 9 * ldc, c90, c91, rb, 9, res, rs, kind, p0, p1);
            if (TRows.Value > 10) StoreDirect(c + 10 * ldc, c100, c101, rb, 10, res, rs, kind, p0, p1);
            if (TRows.Value > 11) StoreDirect(c + 11 * ldc, c110, c111, rb, 11, res, rs, kind, p0, p1);
            return;
        }
        // Any other fused epilogue spills the tile to L1 first: calling out with the accumulators live would make
        // the JIT spill them inside the k loop.
        float* t = stackalloc float[12 * 32];
        {
            { Vector512.Store(c00, t + 0); Vector512.Store(c01, t + 16); }
            if (TRows.Value > 1) { Vector512.Store(c10, t + 32); Vector512.Store(c11, t + 48); }
            if (TRows.Value > 2) { Vector512.Store(c20, t + 64); Vector512.Store(c21, t + 80); }
            if (TRows.Value > 3) { Vector512.Store(c30, t + 96); Vector512.Store(c31, t + 112); }
            if (TRows.Value > 4) { Vector512.Store(c40, t + 128); Vector512.Store(c41, t + 144); }
            if (TRows.Value > 5) { Vector512.Store(c50, t + 160); Vector512.Store(c51, t + 176); }
            if (TRows.Value > 6) { Vector512.Store(c60, t + 192); Vector512.Store(c61, t + 208); }
            if (TRows.Value > 7) { Vector512.Store(c70, t + 224); Vector512.Store(c71, t + 240); }
            if (TRows.Value > 8) { Vector512.Store(c80, t + 256); Vector512.Store(c81, t + 272); }
            if (TRows.Value > 9) { Vector512.Store(c90, t + 288); Vector512.Store(c91, t + 304); }
            if (TRows.Value > 10) { Vector512.Store(c100, t + 320); Vector512.Store(c101, t + 336); }
            if (TRows.Value > 11) { Vector512.Store(c110, t + 352); Vector512.Store(c111, t + 368); }
        }
        StoreFusedTile(t, c, ldc, TRows.Value, nr, alpha, beta, e);
    }

    /// <summary>Row by row of the spilled tile t: alpha·acc + beta·C + biases + residual, activation, one store to C.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void StoreFusedTile(float* t, float* c, nint ldc, int rows, int nr, float alpha, float beta, SgemmTileEpilogue* e)
    {
        var va = Vector512.Create(alpha);
        for (int row = 0; row < rows; row++)
            StoreFused(c + row * ldc, Vector512.Load(t + row * 32), Vector512.Load(t + row * 32 + 16), va, beta, nr, e, row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreFused(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> va, float beta, int nr,
        SgemmTileEpilogue* e, int row)
    {
        var v0 = x0 * va;
        var v1 = x1 * va;
        float* res = e->Residual == null ? null : e->Residual + row * e->ResidualStride;
        if (nr == 32)
        {
            if (beta != 0f)
            {
                var vb = Vector512.Create(beta);
                v0 = Fma(Vector512.Load(c), vb, v0);
                v1 = Fma(Vector512.Load(c + 16), vb, v1);
            }
            if (e->RowBias != null)
            {
                var rb = Vector512.Create(e->RowBias[row]);
                v0 += rb;
                v1 += rb;
            }
            if (e->ColBias != null)
            {
                v0 += Vector512.Load(e->ColBias);
                v1 += Vector512.Load(e->ColBias + 16);
            }
            if (res != null)
            {
                v0 += Vector512.Load(res);
                v1 += Vector512.Load(res + 16);
            }
            Vector512.Store(Activate(v0, e), c);
            Vector512.Store(Activate(v1, e), c + 16);
            return;
        }
        // Column tail: every load and store through a mask, so nothing past the tile (or past a bias) is touched.
        var m0 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(nr)).AsSingle();
        var m1 = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(nr - 16)).AsSingle();
        var zero = Vector512<float>.Zero;
        if (beta != 0f)
        {
            var vb = Vector512.Create(beta);
            v0 = Fma(Avx512F.MaskLoad(c, m0, zero), vb, v0);
            v1 = Fma(Avx512F.MaskLoad(c + 16, m1, zero), vb, v1);
        }
        if (e->RowBias != null)
        {
            var rb = Vector512.Create(e->RowBias[row]);
            v0 += rb;
            v1 += rb;
        }
        if (e->ColBias != null)
        {
            v0 += Avx512F.MaskLoad(e->ColBias, m0, zero);
            v1 += Avx512F.MaskLoad(e->ColBias + 16, m1, zero);
        }
        if (res != null)
        {
            v0 += Avx512F.MaskLoad(res, m0, zero);
            v1 += Avx512F.MaskLoad(res + 16, m1, zero);
        }
        Avx512F.MaskStore(c, m0, Activate(v0, e));
        Avx512F.MaskStore(c + 16, m1, Activate(v1, e));
    }

    /// <summary>One full row of the tile: + row bias, + residual, activation, store (alpha 1, beta 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreDirect(float* c, Vector512<float> x0, Vector512<float> x1, float* rowBias, int row, float* res, nint rs,
        SgemmActivationKind kind, float p0, float p1)
    {
        if (rowBias != null)
        {
            var b = Vector512.Create(rowBias[row]);
            x0 += b;
            x1 += b;
        }
        if (res != null)
        {
            x0 += Vector512.Load(res + row * rs);
            x1 += Vector512.Load(res + row * rs + 16);
        }
        if (kind == SgemmActivationKind.Relu)
        {
            x0 = Avx512F.Max(x0, Vector512<float>.Zero);
            x1 = Avx512F.Max(x1, Vector512<float>.Zero);
        }
        else if (kind != SgemmActivationKind.None)
        {
            x0 = Activate(x0, kind, p0, p1);
            x1 = Activate(x1, kind, p0, p1);
        }
        Vector512.Store(x0, c);
        Vector512.Store(x1, c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Activate(Vector512<float> v, SgemmActivationKind kind, float p0, float p1) => kind switch
    {
        SgemmActivationKind.Relu => Avx512F.Max(v, Vector512<float>.Zero),
        SgemmActivationKind.Clip => Avx512F.Min(Avx512F.Max(v, Vector512.Create(p0)), Vector512.Create(p1)),
        SgemmActivationKind.LeakyRelu => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(v, Vector512<float>.Zero), v, v * p0),
        _ => v,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Activate(Vector512<float> v, SgemmTileEpilogue* e) => e->Activation switch
    {
        SgemmActivationKind.Relu => Avx512F.Max(v, Vector512<float>.Zero),
        SgemmActivationKind.Clip => Avx512F.Min(Avx512F.Max(v, Vector512.Create(e->P0)), Vector512.Create(e->P1)),
        SgemmActivationKind.LeakyRelu => Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(v, Vector512<float>.Zero), v, v * e->P0),
        _ => v,
    };

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

    /// <summary>Where a k step's two B vectors come from (the JIT specializes <see cref="Tile"/> per strip kind).</summary>
    private interface IStrip
    {
        Vector512<float> Load0();
        Vector512<float> Load1();
        void Next();
    }

    /// <summary>A packed strip: 32 contiguous floats per k step.</summary>
    private struct PackedStrip(float* b) : IStrip
    {
        private float* _b = b;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector512<float> Load0() => Vector512.Load(_b);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector512<float> Load1() => Vector512.Load(_b + 16);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Next() => _b += 32;
    }

    /// <summary>Rows in place: k step p reads the 32 floats at b + offsets[p].</summary>
    private struct RowsStrip(float* b, int* offsets) : IStrip
    {
        private readonly float* _b = b;
        private int* _offsets = offsets;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector512<float> Load0() => Vector512.Load(_b + *_offsets);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public readonly Vector512<float> Load1() => Vector512.Load(_b + *_offsets + 16);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Next() => _offsets++;
    }
}
