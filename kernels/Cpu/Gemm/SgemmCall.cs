using System.Numerics;
using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// One SGEMM invocation for micro-kernel <typeparamref name="TK"/>: C = act(alpha·op(A)·op(B) + beta·C + bias + R),
/// with each operand plain (pointer + stride), pre-packed, or (B) produced panel by panel by an
/// <see cref="ISgemmBPacker"/>.
/// </summary>
/// <remarks>
/// The output is cut into a grid of at most <see cref="KernelParallelism.MaxDegree"/> rectangular tasks (one fork/join
/// per GEMM, however long K is); each task runs the classic blocked loop nest on its rectangle: NC columns × KC depth
/// B panel (from the pre-packed operand or packed into a per-thread buffer), then MC rows × KC depth A blocks, then
/// NR-wide B strips (held in L1) against MR-high A strips. The grid shape is chosen by a cost model so that whatever
/// must be packed per task (an operand that is not pre-packed) is duplicated as little as possible.
/// </remarks>
internal sealed unsafe class SgemmCall<TK> where TK : struct, ISgemmMicroKernel
{
    /// <summary>K block: a KC×NR B strip (32 KB for NR = 32) stays in the 48 KB L1 while A strips stream past.</summary>
    public const int KC = 256;
    /// <summary>Rows per A block: MC×KC (≈ 240 KB) stays in the 1 MB L2 while the B panel streams past.</summary>
    private static int MC => 240 / TK.MR * TK.MR;
    /// <summary>Columns per B panel reused by several A blocks: KC×NC (2 MB) in L3.</summary>
    private static int NC => 2048 / TK.NR * TK.NR;
    /// <summary>Columns per B panel used by one A block at a time: KC×NCSmall (512 KB) stays in the 1 MB L2.</summary>
    private static int NCSmall => 512 / TK.NR * TK.NR;
    /// <summary>
    /// Below this many multiply-adds (≈ 10 µs on one AVX-512 core) the product runs on the calling thread only: a
    /// fork/join costs several microseconds.
    /// </summary>
    private const long ParallelThreshold = 1L << 20;

    /// <summary>
    /// K is cut into ceil(K / KC) blocks of near-equal depth (e.g. 576 = 3 × 192, not 256 + 256 + 64), so no block is
    /// so shallow that storing C and the epilogue outweigh its multiply-adds. Block b spans [KBlockStart(b), KBlockStart(b + 1)).
    /// </summary>
    public static int KBlocks(int k) => (k + KC - 1) / KC;

    public static int KBlockStart(int k, int blocks, int b) => (int)((long)b * k / blocks);

    public int M, N, K;
    public float Alpha, Beta;
    public float* C;
    public nint Ldc;
    public float* A;
    public nint Lda;
    public bool TransA;
    public float* APacked;
    public int MPad;
    public float* B;
    public nint Ldb;
    public bool TransB;
    public float* BPacked;
    public int NPad;
    public ISgemmBPacker? Packer;
    public SgemmEpilogueArgs Epi;

    private int _tm, _tn, _rowUnits, _colUnits;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Execute()
    {
        if (M == 0 || N == 0) return;
        if (K == 0 || Alpha == 0f)
        {
            for (int i = 0; i < M; i++)
            {
                float* row = C + i * Ldc;
                if (Beta == 0f) new Span<float>(row, N).Clear();
                else if (Beta != 1f) for (int j = 0; j < N; j++) row[j] *= Beta;
                if (Epi.Active) Epi.ApplyTile(row, Ldc, i, 0, 1, N);
            }
            return;
        }
        if (M == 1 && APacked == null && Packer == null)
        {
            if (BPacked != null) RunGemv(GemvKind.Packed);
            else RunGemv(TransB ? GemvKind.Dot : GemvKind.Axpy);
            return;
        }
        if (N == 1 && APacked == null && BPacked == null && Packer == null)
        {
            RunGemv(TransA ? GemvKind.AxpyColumn : GemvKind.DotColumn);
            return;
        }
        Plan();
        int tasks = _tm * _tn;
        if (tasks == 1) Region(0, M, 0, N);
        else KernelParallelism.For(0, tasks, RunTask);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Plan()
    {
        int mr = TK.MR, nr = TK.NR;
        _rowUnits = (M + mr - 1) / mr;
        _colUnits = (N + nr - 1) / nr;
        _tm = _tn = 1;
        int threads = KernelParallelism.MaxDegree;
        if (threads <= 1 || (long)M * N * K < ParallelThreshold) return;
        double best = double.MaxValue;
        for (int tm = 1; tm <= Math.Min(threads, _rowUnits); tm++)
            for (int tn = 1; tm * tn <= threads && tn <= _colUnits; tn++)
            {
                // Cycles of the largest task: multiply-adds at 32 per cycle, plus the packing it must do itself.
                double rows = (double)((_rowUnits + tm - 1) / tm) * mr, cols = (double)((_colUnits + tn - 1) / tn) * nr;
                double cost = rows * cols * K / 32;
                if (APacked == null) cost += rows * K * Math.Ceiling(cols / NC);
                if (BPacked == null) cost += cols * K * (Packer != null ? 1.0 : 0.5);
                if (cost < best * 0.98) { best = cost; _tm = tm; _tn = tn; }
            }
    }

    private void RunTask(int t)
    {
        int ti = t / _tn, tj = t % _tn;
        int i0 = (int)((long)ti * _rowUnits / _tm) * TK.MR, i1 = Math.Min(M, (int)((long)(ti + 1) * _rowUnits / _tm) * TK.MR);
        int j0 = (int)((long)tj * _colUnits / _tn) * TK.NR, j1 = Math.Min(N, (int)((long)(tj + 1) * _colUnits / _tn) * TK.NR);
        if (i0 < i1 && j0 < j1) Region(i0, i1, j0, j1);
    }

    /// <summary>C[i0:i1, j0:j1], all of K. i0 is a multiple of MR and j0 of NR.</summary>
    /// <remarks>
    /// Two loop orders. With several A blocks to pack (a plain A taller than MC), B panels of NC columns are reused by
    /// every A block and live in L3 (jc → pc → ic). Otherwise (A pre-packed, or one A block) a panel is used once per
    /// A block already in cache, so panels are narrower (NCSmall: KC×NCSmall ≈ 512 KB) and stay in L2 from packing to
    /// use; a single plain A block is then packed once per K block (pc → jc).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Region(int i0, int i1, int j0, int j1)
    {
        int nrK = TK.NR;
        bool oneABlock = i1 - i0 <= MC;
        int nc0 = APacked != null || oneABlock ? NCSmall : NC;
        float* aBuf = APacked == null ? SgemmScratch.ABlock(MC * KC) : null;
        float* bBuf = BPacked == null ? SgemmScratch.BPanel(KC * Math.Min(nc0, RoundUp(j1 - j0, nrK))) : null;
        int kBlocks = KBlocks(K);
        if (APacked == null && oneABlock)
        {
            for (int kb = 0; kb < kBlocks; kb++)
            {
                int pc = KBlockStart(K, kBlocks, kb), kc = KBlockStart(K, kBlocks, kb + 1) - pc;
                SgemmPacking<TK>.PackA(TransA, A, Lda, i0, i1 - i0, pc, kc, aBuf);
                for (int jc = j0; jc < j1; jc += nc0)
                {
                    int nc = Math.Min(nc0, j1 - jc);
                    Macro(aBuf, PanelB(pc, kc, jc, nc, bBuf), kc, i0, i1 - i0, jc, nc, kb == 0 ? Beta : 1f, kb == kBlocks - 1);
                }
            }
            return;
        }
        for (int jc = j0; jc < j1; jc += nc0)
        {
            int nc = Math.Min(nc0, j1 - jc);
            for (int kb = 0; kb < kBlocks; kb++)
            {
                int pc = KBlockStart(K, kBlocks, kb), kc = KBlockStart(K, kBlocks, kb + 1) - pc;
                float* bp = PanelB(pc, kc, jc, nc, bBuf);
                for (int ic = i0; ic < i1; ic += MC)
                {
                    int mc = Math.Min(MC, i1 - ic);
                    float* ap;
                    if (APacked != null) ap = APacked + (nint)pc * MPad + (nint)(ic / TK.MR) * kc * TK.MR;
                    else
                    {
                        ap = aBuf;
                        SgemmPacking<TK>.PackA(TransA, A, Lda, ic, mc, pc, kc, aBuf);
                    }
                    Macro(ap, bp, kc, ic, mc, jc, nc, kb == 0 ? Beta : 1f, kb == kBlocks - 1);
                }
            }
        }
    }

    /// <summary>The packed B panel for rows [pc, pc+kc) and columns [jc, jc+nc): in the pre-packed B, or packed into buf.</summary>
    private float* PanelB(int pc, int kc, int jc, int nc, float* buf)
    {
        int nrK = TK.NR;
        if (BPacked != null) return BPacked + (nint)pc * NPad + (nint)(jc / nrK) * kc * nrK;
        if (Packer != null) Packer.PackPanel(pc, kc, jc, nc, new Span<float>(buf, kc * RoundUp(nc, nrK)));
        else SgemmPacking<TK>.PackB(TransB, B, Ldb, pc, kc, jc, nc, buf);
        return buf;
    }

    /// <summary>The mc×nc block at (ic, jc) for one K block: B strips outer (each stays in L1), A strips inner.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Macro(float* ap, float* bp, int kc, int ic, int mc, int jc, int nc, float beta, bool last)
    {
        int mrK = TK.MR, nrK = TK.NR;
        bool epi = last && Epi.Active;
        bool fused = epi && TK.FusesEpilogue;
        bool activationAfter = fused && !SgemmTileEpilogue.IsRegisterActivation(Epi.Activation.Kind);
        SgemmTileEpilogue tile = default;
        if (fused)
        {
            tile.ResidualStride = Epi.ResidualStride;
            tile.Activation = activationAfter ? SgemmActivationKind.None : Epi.Activation.Kind;
            tile.P0 = Epi.Activation.Alpha;
            tile.P1 = Epi.Activation.Beta;
        }
        for (int jr = 0; jr < nc; jr += nrK)
        {
            int nr = Math.Min(nrK, nc - jr);
            float* bs = bp + (nint)(jr / nrK) * kc * nrK;
            for (int ir = 0; ir < mc; ir += mrK)
            {
                int mr = Math.Min(mrK, mc - ir);
                int row = ic + ir, col = jc + jr;
                float* c = C + row * Ldc + col;
                float* at = ap + (nint)(ir / mrK) * kc * mrK;
                if (fused)
                {
                    // Biases, residual and a cheap activation in registers; a transcendental one right after the store.
                    tile.RowBias = Epi.BiasKind == SgemmBiasKind.PerRow ? Epi.Bias + row : null;
                    tile.ColBias = Epi.BiasKind == SgemmBiasKind.PerColumn ? Epi.Bias + col : null;
                    tile.Residual = Epi.Residual == null ? null : Epi.Residual + row * Epi.ResidualStride + col;
                    TK.RunFused(kc, at, bs, c, Ldc, mr, nr, Alpha, beta, &tile);
                    if (activationAfter) Epi.ApplyActivation(c, Ldc, mr, nr);
                }
                else
                {
                    TK.Run(kc, at, bs, c, Ldc, mr, nr, Alpha, beta);
                    if (epi) Epi.ApplyTile(c, Ldc, row, col, mr, nr);
                }
            }
        }
    }

    private static int RoundUp(int v, int multiple) => (v + multiple - 1) / multiple * multiple;

    // ---- Matrix-vector products (M = 1, or N = 1): packing would cost as much as the product, so none is done
    // (except for a pre-packed B, which is read strip by strip).

    private enum GemvKind
    {
        /// <summary>y[j] = Σp x[p]·B[p·ldb + j]: rows of B are contiguous in j.</summary>
        Axpy,
        /// <summary>y[j] = Σp x[p]·B[j·ldb + p]: dot products over contiguous rows of B.</summary>
        Dot,
        /// <summary>y[j] = Σp x[p]·strip(j)[p, j mod NR] over the pre-packed B.</summary>
        Packed,
        /// <summary>N = 1 with op(A) = Aᵀ: C[i] = Σp op(B)[p]·A[p·lda + i].</summary>
        AxpyColumn,
        /// <summary>N = 1 with op(A) = A: C[i] = Σp A[i·lda + p]·op(B)[p].</summary>
        DotColumn,
    }

    private GemvKind _gemv;
    private int _chunk, _outputs;

    private void RunGemv(GemvKind kind)
    {
        _gemv = kind;
        bool column = kind is GemvKind.AxpyColumn or GemvKind.DotColumn;
        _outputs = column ? M : N;
        // Chunks of outputs: a multiple of NR (packed strips) and of 64; split over threads when large enough.
        int threads = KernelParallelism.MaxDegree;
        int chunks = threads > 1 && (long)M * N * K >= ParallelThreshold ? threads : 1;
        _chunk = RoundUp(Math.Max(1, (_outputs + chunks - 1) / chunks), Math.Max(64, TK.NR));
        chunks = (_outputs + _chunk - 1) / _chunk;
        if (chunks <= 1) GemvChunk(0);
        else KernelParallelism.For(0, chunks, GemvChunk);
    }

    private void GemvChunk(int chunkIndex)
    {
        int j0 = chunkIndex * _chunk, j1 = Math.Min(_outputs, j0 + _chunk);
        switch (_gemv)
        {
            case GemvKind.Axpy: Gemv.Axpy(K, A, TransA ? Lda : 1, B, Ldb, j0, j1, C, 1, Alpha, Beta); break;
            case GemvKind.Dot: Gemv.Dot(K, A, TransA ? Lda : 1, B, Ldb, j0, j1, C, 1, Alpha, Beta); break;
            case GemvKind.AxpyColumn: Gemv.Axpy(K, B, TransB ? 1 : Ldb, A, Lda, j0, j1, C, Ldc, Alpha, Beta); break;
            case GemvKind.DotColumn: Gemv.Dot(K, B, TransB ? 1 : Ldb, A, Lda, j0, j1, C, Ldc, Alpha, Beta); break;
            case GemvKind.Packed: GemvPacked(j0, j1); break;
        }
        if (!Epi.Active) return;
        if (_gemv is GemvKind.AxpyColumn or GemvKind.DotColumn) Epi.ApplyTile(C + j0 * Ldc, Ldc, j0, 0, j1 - j0, 1);
        else Epi.ApplyTile(C + j0, Ldc, 0, j0, 1, j1 - j0);
    }

    /// <summary>y[j0:j1] for M = 1 over the pre-packed B: per strip, NR accumulators over all K blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void GemvPacked(int j0, int j1)
    {
        int nrK = TK.NR;
        nint incx = TransA ? Lda : 1;
        float* acc = stackalloc float[nrK];
        for (int j = j0; j < j1; j += nrK)
        {
            int nr = Math.Min(nrK, j1 - j);
            new Span<float>(acc, nrK).Clear();
            int kBlocks = KBlocks(K);
            for (int kb = 0; kb < kBlocks; kb++)
            {
                int pc = KBlockStart(K, kBlocks, kb), kc = KBlockStart(K, kBlocks, kb + 1) - pc;
                Gemv.Strip(kc, A + pc * incx, incx, BPacked + (nint)pc * NPad + (nint)(j / nrK) * kc * nrK, nrK, acc);
            }
            float* y = C + j;
            if (Beta == 0f) for (int q = 0; q < nr; q++) y[q] = Alpha * acc[q];
            else for (int q = 0; q < nr; q++) y[q] = Alpha * acc[q] + Beta * y[q];
        }
    }
}
