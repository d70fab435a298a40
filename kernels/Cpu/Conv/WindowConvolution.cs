using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// 1-D/2-D convolution as an SGEMM whose right operand rows are shifted windows of one padded, phase-split copy of
/// the image: the AVX-512 micro-kernel reads those rows in place (no B packing at all); other kernels get panels
/// packed by one contiguous copy per row instead of im2col's per-pixel index arithmetic.
/// </summary>
/// <remarks>
/// <para>The image is copied once into <see cref="WindowLayout"/>: per channel, one plane per stride phase
/// (row phase ph, column phase pw) that the kernel's taps use, each plane Hq×Wq holding padded rows r·sh + ph and
/// columns t·sw + pw (zeros in the padding). The output is computed on a grid of OH rows × Wq columns, q = oh·Wq + ow:
/// tap (c, kh, kw) of output q reads plane (c, (kh·dh) mod sh, (kw·dw) mod sw) at q + (kh·dh div sh)·Wq + (kw·dw div sw),
/// a fixed offset per GEMM row k. Grid columns ow ≥ OW are computed and thrown away (Wq − OW of every Wq: 2 of 58 for
/// a 3×3 conv on 56 columns).</para>
/// <para>The grid is cut into bands of output rows. Each band is one SGEMM into a per-thread scratch block (or, when
/// the grid has no thrown-away columns, straight into Y), then copied into Y row by row, adding the residual and
/// applying the activation; the bias (and the activation, without a residual) runs in the SGEMM epilogue. Bands run
/// in parallel when there are enough of them; otherwise the SGEMM splits each band over the threads.</para>
/// </remarks>
internal static unsafe class WindowConvolution
{
    /// <summary>Largest grid width per valid output column worth computing (beyond it im2col wastes less).</summary>
    private const double MaxGridWaste = 1.5;
    /// <summary>Target columns per band: several B panels, while the band's output block stays cache-sized.</summary>
    private const int BandColumns = 1024;
    /// <summary>Most floats of one band's output scratch (1 MB).</summary>
    private const int BandFloats = 1 << 18;
    /// <summary>Floats in a 1 MB L2.</summary>
    private const long L2Floats = 1 << 18;
    /// <summary>Weights up to 1 MB: split a one-band image into bands per thread rather than splitting M.</summary>
    private const long SmallWeightFloats = 1 << 18;

    /// <summary>
    /// True when the geometry is 1-D or 2-D, its output grid wastes little and the product is deep enough
    /// (<paramref name="depth"/> = C/group·kernel ≥ 64) or runs on one thread: below that depth, on several threads,
    /// the copy of the grid into Y costs as much as the product and im2col panels (a few rows each) are cheap
    /// (squeezenet's 3×3/2 stem, K = 27: 2 threads 0.45 ms here, 0.25–0.32 ms through im2col; 1 thread 0.37 vs 0.50 ms).
    /// </summary>
    public static bool Applies(SpatialGeometry g, long depth)
    {
        if (g.Rank > 2 || g.OutputSize == 0 || depth < 64 && KernelParallelism.MaxDegree > 1) return false;
        var l = new WindowLayout(g);
        return l.GridWidth <= MaxGridWaste * l.OutWidth;
    }

    /// <summary>
    /// Y [N, M, OH, OW] = act(conv(X, W) + bias + residual) for every image and group, with W per group pre-packed
    /// (<paramref name="packed"/>) or plain (<paramref name="w"/>, [M, C/group, KH, KW]).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* x, int batch, int c, float* w, ConvWeights? packed, int m, int group, SpatialGeometry g,
        float* bias, float* residual, float* y, SgemmActivation activation)
    {
        var l = new WindowLayout(g);
        int cg = c / group, mg = m / group, kdim = cg * g.KernelSize;
        long bufferLength = l.ChannelStride * c + l.Slack;
        if (bufferLength > Array.MaxLength) throw new ArgumentException("The convolution's padded input is too large.");
        float* buffer = ConvScratch.Window((int)bufferLength);
        int* offsets = ConvScratch.Offsets(kdim);
        l.TapOffsets(cg, offsets);
        var job = new BandJob
        {
            Layout = l, Buffer = buffer, Offsets = offsets, Kdim = kdim, Mg = mg, Activation = activation,
            Nr = Sgemm.PanelWidth,
        };
        int threads = KernelParallelism.MaxDegree;
        job.PlanBands(threads);
        bool parallel = job.Bands > 1 && threads > 1;
        job.Channels = c;
        job.WindowLength = (int)bufferLength;
        for (int b = 0; b < batch; b++)
        {
            float* image = x + (long)b * c * g.InputSize;
            // Parallel: each thread fills its own copy on its first band (ConvScratch.OwnWindow). Against one shared copy,
            // 2 threads, GFLOP/s: 7×7/2 stem 225-242 → 274-282, 3×3 96→96 at 28² 235-256 → 293-309, 16→64 at 55²
            // 197-246 → 283, 128→32 at 28² 169-199 → 286-293; whole models (same process, alternating runs):
            // densenet121 0.91-0.92, inception_v1 0.98, inception_v2 0.98, ResNet18 0.98, squeezenet 0.98-1.0.
            if (!parallel) l.Fill(image, c, buffer);
            job.Image = image;
            job.FillId = parallel ? ConvScratch.NextFillId() : 0;
            for (int gi = 0; gi < group; gi++)
            {
                long yOff = ((long)b * m + (long)gi * mg) * g.OutputSize;
                job.Source = buffer + (long)gi * cg * l.ChannelStride;
                job.SourceOffset = (long)gi * cg * l.ChannelStride;
                job.Packed = packed?.PackedGroup(gi);
                job.W = w + (long)gi * mg * kdim;
                job.Bias = bias == null ? null : bias + gi * mg;
                job.Residual = residual == null ? null : residual + yOff;
                job.Y = y + yOff;
                if (job.Bands > 1 && threads > 1) KernelParallelism.For(0, job.Bands, ref job);
                else for (int band = 0; band < job.Bands; band++) job.Invoke(band);
            }
        }
    }

    /// <summary>
    /// A pointwise conv (1×1, stride 1, no pad) of one image and group, Y [M, size] = act(W·X + bias + residual), on
    /// the in-place-rows AVX-512 kernel: B row k is input channel k itself, so nothing is packed or copied except the
    /// last size mod 32 columns. False (nothing done) when the weights are not packed for AVX-512.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryPointwise(float* image, int channels, int size, SgemmPackedA? packed, float* bias, float* residual,
        float* y, SgemmActivation activation)
    {
        if (packed is null || packed.Isa != SgemmIsa.Avx512 || channels == 0 || size < 32) return false;
        const int nr = 32;
        int main = size / nr * nr, tail = size - main;
        int* offsets = ConvScratch.Offsets(channels);
        for (int k = 0; k < channels; k++) offsets[k] = checked(k * size);
        var gemm = new RowsGemm
        {
            A = packed, Source = image, Offsets = offsets, Cols = main, C = y, Ldc = size, Bias = bias,
            Residual = residual, ResidualStride = size, Activation = activation, Prefetch = (long)channels * size > L2Floats,
        };
        gemm.Run();
        if (tail == 0) return true;
        // The last columns would read past the image: copy them into a zero-padded K×32 block.
        float* block = ConvScratch.Band(channels * nr);
        int* tailOffsets = ConvScratch.TailOffsets(channels);
        for (int k = 0; k < channels; k++)
        {
            float* d = block + (long)k * nr;
            new ReadOnlySpan<float>(image + (long)k * size + main, tail).CopyTo(new Span<float>(d, tail));
            new Span<float>(d + tail, nr - tail).Clear();
            tailOffsets[k] = k * nr;
        }
        gemm.Source = block;
        gemm.Offsets = tailOffsets;
        gemm.Cols = tail;
        gemm.C = y + main;
        gemm.Residual = residual == null ? null : residual + main;
        gemm.Run();
        return true;
    }

    /// <summary>One image and group, band by band (a struct body: no allocation per call).</summary>
    private struct BandJob : IParallelBody
    {
        public WindowLayout Layout;
        public float* Buffer, Source, W, Bias, Residual, Y, Image;
        public int* Offsets;
        public SgemmPackedA? Packed;
        public int Kdim, Mg, Nr, Bands, BandRows, Channels, WindowLength;
        public long FillId, SourceOffset;
        public SgemmActivation Activation;

        /// <summary>
        /// Bands of near <see cref="BandColumns"/> grid columns (fewer when M is large, so the scratch stays ≤ 1 MB),
        /// their count rounded up to a multiple of the threads so parallel bands finish together.
        /// </summary>
        public void PlanBands(int threads)
        {
            int oh = Layout.OutHeight, wq = Layout.GridWidth;
            long columns = (long)oh * wq;
            long target = Math.Max(wq, Math.Min(BandColumns, BandFloats / Math.Max(1, Mg)));
            int bands = (int)Math.Clamp((columns + target - 1) / target, 1, oh);
            // One band would leave the threads to split M, each reading every B row: fine when A is large (it is
            // then streamed once in total), but with small weights (≤ 1 MB) bands per thread scale better
            // (128→128 3×3 at 28², 2 threads: 1.12–1.24 ms as one band, 0.84–0.88 ms as two; 512→512 at 7²: the
            // reverse, 0.95 vs 1.75 ms).
            bool smallWeights = (long)Mg * Kdim <= SmallWeightFloats;
            if (threads > 1 && (bands > 1 || smallWeights && oh >= 2 * threads)) bands = Math.Min(oh, (bands + threads - 1) / threads * threads);
            BandRows = (oh + bands - 1) / bands;
            Bands = (oh + BandRows - 1) / BandRows;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int band)
        {
            var l = Layout;
            int r0 = band * BandRows, rows = Math.Min(BandRows, l.OutHeight - r0);
            int cols = rows * l.GridWidth, outSize = l.OutHeight * l.OutWidth;
            float* window = FillId == 0 ? Source : ConvScratch.OwnWindow(l, Image, Channels, WindowLength, FillId) + SourceOffset;
            float* source = window + (long)r0 * l.GridWidth;
            bool direct = l.GridWidth == l.OutWidth;
            float* target, residual;
            nint ldc;
            SgemmActivation activation;
            if (direct)
            {
                // No thrown-away columns: the band's grid columns are Y's own, the whole epilogue runs in the SGEMM.
                target = Y + (long)r0 * l.OutWidth;
                ldc = outSize;
                residual = Residual == null ? null : Residual + (long)r0 * l.OutWidth;
                activation = Activation;
            }
            else
            {
                target = ConvScratch.Band(Mg * cols);
                ldc = cols;
                residual = null;
                activation = Residual == null ? Activation : SgemmActivation.None;
            }
            if (Packed is not null && Packed.Isa == SgemmIsa.Avx512)
            {
                var gemm = new RowsGemm
                {
                    A = Packed, Source = source, Offsets = Offsets, Cols = cols, C = target, Ldc = ldc, Bias = Bias,
                    Residual = residual, ResidualStride = outSize, Activation = activation,
                    Prefetch = l.ChannelStride * (Kdim / l.TapsPerChannel) > L2Floats,
                };
                gemm.Run();
            }
            else
            {
                var epilogue = new SgemmEpilogue
                {
                    Bias = Bias == null ? default : new ReadOnlySpan<float>(Bias, Mg),
                    BiasKind = Bias == null ? SgemmBiasKind.None : SgemmBiasKind.PerRow,
                    Activation = activation,
                    Residual = residual == null ? default : new ReadOnlySpan<float>(residual, (Mg - 1) * outSize + cols),
                    ResidualStride = outSize,
                };
                var c = new Span<float>(target, (int)((Mg - 1) * ldc + cols));
                var packer = new WindowPacker(source, Offsets, Nr);
                if (Packed is not null) Sgemm.Multiply(Packed, packer, cols, 1f, 0f, c, (int)ldc, epilogue);
                else Sgemm.Multiply(false, Mg, cols, Kdim, 1f, new ReadOnlySpan<float>(W, Mg * Kdim), Kdim, packer, 0f, c, (int)ldc, epilogue);
            }
            if (direct) return;
            var compact = new Compaction
            {
                Scratch = target, Y = Y + (long)r0 * l.OutWidth, Residual = Residual == null ? null : Residual + (long)r0 * l.OutWidth,
                Rows = rows, Cols = cols, GridWidth = l.GridWidth, OutWidth = l.OutWidth, OutSize = outSize, Activation = Activation,
            };
            if ((long)Mg * cols >= 1 << 16 && KernelParallelism.MaxDegree > 1)
                KernelParallelism.For(0, Mg, ref compact);
            else for (int ch = 0; ch < Mg; ch++) compact.Invoke(ch);
        }
    }

    /// <summary>
    /// C = act(A·B + bias + residual) on the AVX-512 micro-kernel reading B rows in place (no panel packing): row k of
    /// B is the Cols floats at Source + Offsets[k] (readable up to 31 floats past Cols). Blocks of columns whose C block
    /// stays in L2; per block, per K block, per 32-column strip (its rows stay in L1), every 12-row A strip; the
    /// epilogue on the last K block. Split over threads by A strips, or by columns when there are few strips, when
    /// called outside a parallel region.
    /// </summary>
    private struct RowsGemm : IParallelBody
    {
        public SgemmPackedA A;
        public float* Source, C, Bias, Residual;
        public int* Offsets;
        public int Cols;
        public nint Ldc, ResidualStride;
        public SgemmActivation Activation;
        /// <summary>Prefetch each next strip's rows: worth it when the source is larger than L2 (measured: vgg 3×3 128→128
        /// at 112², 1 thread, 153 → 173 GFLOP/s; small sources already in L2 only pay for the instructions).</summary>
        public bool Prefetch;
        private int _strips, _rowChunks, _colChunks, _colUnits;

        public void Run()
        {
            const int mr = 12, nr = 32;
            _strips = (A.Rows + mr - 1) / mr;
            _colUnits = (Cols + nr - 1) / nr;
            _rowChunks = _colChunks = 1;
            int threads = KernelParallelism.MaxDegree;
            if (threads > 1 && (long)A.Rows * A.Depth * Cols >= 1 << 20)
            {
                if (_strips >= 2 * threads || _colUnits < threads) _rowChunks = Math.Min(threads, _strips);
                else _colChunks = Math.Min(threads, _colUnits);
            }
            int chunks = _rowChunks * _colChunks;
            if (chunks > 1) KernelParallelism.For(0, chunks, ref this);
            else Invoke(0);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int chunk)
        {
            const int mrK = 12, nrK = 32;
            int rc = chunk / _colChunks, cc = chunk % _colChunks;
            int s0 = (int)((long)rc * _strips / _rowChunks), s1 = (int)((long)(rc + 1) * _strips / _rowChunks);
            int j0 = (int)((long)cc * _colUnits / _colChunks) * nrK, j1 = Math.Min(Cols, (int)((long)(cc + 1) * _colUnits / _colChunks) * nrK);
            int m = A.Rows, k = A.Depth;
            // Columns per block: the block's C rows (this chunk's) stay in L2 across the K blocks.
            int rows = Math.Max(1, (s1 - s0) * mrK);
            int block = Math.Max(nrK, (1 << 17) / rows / nrK * nrK);
            for (int jb = j0; jb < j1; jb += block)
                Block(s0, s1, jb, Math.Min(j1, jb + block), m, k);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Block(int s0, int s1, int j0, int j1, int m, int k)
        {
            const int mrK = 12, nrK = 32;
            float* data = A.Data;
            int mPad = A.PaddedRows;
            int kBlocks = SgemmCall<SgemmAvx512Kernel>.KBlocks(k);
            bool registerActivation = SgemmTileEpilogue.IsRegisterActivation(Activation.Kind);
            SgemmTileEpilogue tile = default;
            tile.ResidualStride = ResidualStride;
            tile.Activation = registerActivation ? Activation.Kind : SgemmActivationKind.None;
            tile.P0 = Activation.Alpha;
            tile.P1 = Activation.Beta;
            for (int kb = 0; kb < kBlocks; kb++)
            {
                int pc = SgemmCall<SgemmAvx512Kernel>.KBlockStart(k, kBlocks, kb);
                int kc = SgemmCall<SgemmAvx512Kernel>.KBlockStart(k, kBlocks, kb + 1) - pc;
                float* aBlock = data + (nint)pc * mPad;
                int* offsets = Offsets + pc;
                float beta = kb == 0 ? 0f : 1f;
                bool last = kb == kBlocks - 1;
                for (int j = j0; j < j1; j += nrK)
                {
                    int nr = Math.Min(nrK, j1 - j);
                    if (Prefetch && Sse.IsSupported && j + nrK < j1)
                    {
                        // The next strip's rows are scattered over many planes (too many streams for the hardware
                        // prefetcher): ask for them now, while this strip runs against every A strip.
                        float* next = Source + j + nrK;
                        for (int p = 0; p < kc; p++)
                        {
                            Sse.Prefetch0(next + offsets[p]);
                            Sse.Prefetch0(next + offsets[p] + 16);
                        }
                    }
                    for (int s = s0; s < s1; s++)
                        Tile(s, j, nr, kc, aBlock + (nint)s * kc * mrK, offsets, beta, last, registerActivation, &tile, m);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        private readonly void Tile(int s, int j, int nr, int kc, float* at, int* offsets, float beta, bool last, bool registerActivation,
            SgemmTileEpilogue* tile, int m)
        {
            const int mrK = 12;
            int row = s * mrK, mr = Math.Min(mrK, m - row);
            float* c = C + row * Ldc + j;
            if (!last)
            {
                SgemmAvx512Kernel.RunRows(kc, at, Source + j, offsets, c, Ldc, mr, nr, beta, null);
                return;
            }
            tile->RowBias = Bias == null ? null : Bias + row;
            tile->Residual = Residual == null ? null : Residual + row * ResidualStride + j;
            SgemmAvx512Kernel.RunRows(kc, at, Source + j, offsets, c, Ldc, mr, nr, beta, tile);
            if (!registerActivation)
                for (int r = 0; r < mr; r++) SgemmActivations.ApplyRow(c + r * Ldc, nr, 0f, null, null, Activation);
        }
    }

    /// <summary>One output channel of a band: valid grid columns into Y, plus residual and activation when present.</summary>
    private struct Compaction : IParallelBody
    {
        public float* Scratch, Y, Residual;
        public int Rows, Cols, GridWidth, OutWidth, OutSize;
        public SgemmActivation Activation;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int ch)
        {
            float* src = Scratch + (long)ch * Cols;
            float* dst = Y + (long)ch * OutSize;
            float* res = Residual == null ? null : Residual + (long)ch * OutSize;
            for (int r = 0; r < Rows; r++)
            {
                float* d = dst + (long)r * OutWidth;
                new ReadOnlySpan<float>(src + (long)r * GridWidth, OutWidth).CopyTo(new Span<float>(d, OutWidth));
                if (res != null) SgemmActivations.ApplyRow(d, OutWidth, 0f, null, res + (long)r * OutWidth, Activation);
            }
        }
    }

    /// <summary>B panels of one band: row k of a strip is NR contiguous floats at the band's source + offset[k].</summary>
    private sealed class WindowPacker(float* source, int* offsets, int nr) : ISgemmBPacker
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void PackPanel(int k0, int kc, int j0, int nc, Span<float> panel)
        {
            int strips = (nc + nr - 1) / nr;
            if (panel.Length < (long)strips * kc * nr) throw new ArgumentException("Panel buffer is too small.");
            fixed (float* pan = panel)
            {
                for (int s = 0; s < strips; s++)
                {
                    float* dst = pan + (long)s * kc * nr;
                    float* src = source + j0 + (long)s * nr;
                    int* off = offsets + k0;
                    int count = Math.Min(nr, nc - s * nr);
                    if (count == 32 && Vector512.IsHardwareAccelerated)
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            float* from = src + off[p];
                            Vector512.Load(from).Store(dst + p * 32);
                            Vector512.Load(from + 16).Store(dst + p * 32 + 16);
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            float* d = dst + (long)p * nr;
                            Im2ColPacker.CopyShort(src + off[p], d, count);
                            for (int q = count; q < nr; q++) d[q] = 0f;
                        }
                    }
                }
            }
        }
    }
}

/// <summary>
/// The padded, phase-split image layout of <see cref="WindowConvolution"/> for one geometry: per channel, one Hq×Wq
/// plane per (row phase, column phase) that some tap uses.
/// </summary>
internal readonly unsafe struct WindowLayout
{
    private readonly int _kh, _kw, _sh, _sw, _dh, _dw, _padTop, _padLeft, _height, _width;
    /// <summary>Bit ph (pw) set when a tap reads row (column) phase ph (pw).</summary>
    private readonly ulong _rowPhases, _colPhases;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public WindowLayout(SpatialGeometry g)
    {
        int[] k = g.Kernel3, s = g.Stride3, d = g.Dilation3, p = g.Pad3, o = g.Out3, i = g.In3;
        _kh = k[1]; _kw = k[2]; _sh = s[1]; _sw = s[2]; _dh = d[1]; _dw = d[2]; _padTop = p[1]; _padLeft = p[2];
        _height = i[1]; _width = i[2];
        OutHeight = o[1];
        OutWidth = o[2];
        GridHeight = checked(OutHeight + (_kh - 1) * _dh / _sh);
        GridWidth = checked(OutWidth + (_kw - 1) * _dw / _sw);
        for (int kh = 0; kh < _kh; kh++) _rowPhases |= 1UL << (kh * _dh % _sh % 64);
        for (int kw = 0; kw < _kw; kw++) _colPhases |= 1UL << (kw * _dw % _sw % 64);
        RowPhaseCount = System.Numerics.BitOperations.PopCount(_rowPhases);
        ColPhaseCount = System.Numerics.BitOperations.PopCount(_colPhases);
        PlaneLength = checked((long)GridHeight * GridWidth);
        ChannelStride = checked(PlaneLength * RowPhaseCount * ColPhaseCount);
        // The last strip of the last band reads up to NR − 1 columns past the grid, plus the largest tap offset.
        Slack = GridWidth + 64;
    }

    public int OutHeight { get; }
    public int OutWidth { get; }
    /// <summary>Rows of one phase plane (Hq).</summary>
    public int GridHeight { get; }
    /// <summary>Columns of one phase plane and of the output grid (Wq).</summary>
    public int GridWidth { get; }
    public int RowPhaseCount { get; }
    /// <summary>GEMM rows per input channel (kernel taps).</summary>
    public int TapsPerChannel => _kh * _kw;
    public int ColPhaseCount { get; }
    public long PlaneLength { get; }
    public long ChannelStride { get; }
    /// <summary>Floats after the last plane that a strip may read (kept zero).</summary>
    public int Slack { get; }

    private static int PhaseIndex(ulong mask, int phase) =>
        System.Numerics.BitOperations.PopCount(mask & ((1UL << phase) - 1));

    /// <summary>offsets[k] for GEMM row k = (c, kh, kw) of one group with <paramref name="channels"/> channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void TapOffsets(int channels, int* offsets)
    {
        int k = 0;
        for (int c = 0; c < channels; c++)
            for (int kh = 0; kh < _kh; kh++)
            {
                int rh = kh * _dh;
                long rowPart = c * ChannelStride + PhaseIndex(_rowPhases, rh % _sh) * ColPhaseCount * PlaneLength + (long)(rh / _sh) * GridWidth;
                for (int kw = 0; kw < _kw; kw++)
                {
                    int cw = kw * _dw;
                    long off = rowPart + PhaseIndex(_colPhases, cw % _sw) * PlaneLength + cw / _sw;
                    offsets[k++] = checked((int)off);
                }
            }
    }

    /// <summary>Layouts smaller than this are filled on the calling thread.</summary>
    private const long ParallelFillFloats = 1 << 14;

    /// <summary>Writes the layout of a [channels, H, W] image into <paramref name="dst"/> (ChannelStride·channels + Slack floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(float* image, int channels, float* dst)
    {
        var fill = new FillJob { Layout = this, Image = image, Dst = dst };
        long total = ChannelStride * channels;
        // A parallel copy pays a worker wake-up when the workers sleep (about 150 µs on the 2-vCPU VM); a session holds
        // them awake for its run (WorkerPool.Hold), and there splitting copies from 16K floats up measured 2-5% faster
        // models (inception_v2 0.95, resnet50 0.97, same-process A/B against a 256K-float threshold).
        if (channels >= 2 * KernelParallelism.MaxDegree && total >= ParallelFillFloats && KernelParallelism.MaxDegree > 1)
            KernelParallelism.For(0, channels, ref fill);
        else for (int c = 0; c < channels; c++) fill.Invoke(c);
        new Span<float>(dst + total, Slack).Clear();
    }

    private struct FillJob : IParallelBody
    {
        public WindowLayout Layout;
        public float* Image, Dst;

        public readonly void Invoke(int c) => Layout.FillChannel(Image + (long)c * Layout._height * Layout._width, Dst + c * Layout.ChannelStride);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillChannel(float* src, float* dst)
    {
        for (int ph = 0; ph < _sh; ph++)
        {
            if ((_rowPhases & (1UL << (ph % 64))) == 0) continue;
            for (int pw = 0; pw < _sw; pw++)
            {
                if ((_colPhases & (1UL << (pw % 64))) == 0) continue;
                float* plane = dst + (PhaseIndex(_rowPhases, ph) * ColPhaseCount + PhaseIndex(_colPhases, pw)) * PlaneLength;
                // Phase column t holds input column t·sw + pw − padLeft: [lo, hi) of them lie inside the image.
                int first = pw - _padLeft;
                int lo = first >= 0 ? 0 : (-first + _sw - 1) / _sw;
                int hi = _width - first <= 0 ? 0 : (_width - first + _sw - 1) / _sw;
                lo = Math.Min(lo, GridWidth);
                hi = Math.Clamp(hi, lo, GridWidth);
                for (int r = 0; r < GridHeight; r++)
                {
                    float* row = plane + (long)r * GridWidth;
                    int ih = r * _sh + ph - _padTop;
                    if ((uint)ih >= (uint)_height)
                    {
                        new Span<float>(row, GridWidth).Clear();
                        continue;
                    }
                    if (lo > 0) new Span<float>(row, lo).Clear();
                    if (hi > lo) PaddedPlane.StridedCopy(src + (long)ih * _width + (long)lo * _sw + first, _sw, row + lo, hi - lo);
                    if (hi < GridWidth) new Span<float>(row + hi, GridWidth - hi).Clear();
                }
            }
        }
    }
}

/// <summary>Per-thread scratch of <see cref="WindowConvolution"/> (pinned, 64-byte aligned, grown on demand, reused).</summary>
internal static unsafe class ConvScratch
{
    [ThreadStatic] private static float[]? t_window;
    [ThreadStatic] private static float[]? t_band;
    [ThreadStatic] private static int[]? t_offsets;
    [ThreadStatic] private static int[]? t_tailOffsets;
    [ThreadStatic] private static float[]? t_blocks;

    public static float* Window(int floats) => Get(ref t_window, floats);
    public static float* Band(int floats) => Get(ref t_band, floats);
    /// <summary>Weights packed per call by <see cref="ChannelBlockConvolution"/> (plain, non-constant weights).</summary>
    public static float* Blocks(long floats) =>
        floats > Array.MaxLength - 16 ? throw new ArgumentException("The convolution's weights are too large.") : Get(ref t_blocks, (int)floats);

    public static int* Offsets(int count) => GetInts(ref t_offsets, count);
    public static int* TailOffsets(int count) => GetInts(ref t_tailOffsets, count);

    private static long s_fillIds;
    /// <summary>The fill (<see cref="NextFillId"/>) this thread's <see cref="Window"/> buffer holds.</summary>
    [ThreadStatic] private static long t_filledId;

    /// <summary>A number for one image of one parallel conv call, to pass to <see cref="OwnWindow"/> on every thread.</summary>
    public static long NextFillId() => Interlocked.Increment(ref s_fillIds);

    /// <summary>
    /// This thread's own copy of <paramref name="image"/> in <paramref name="layout"/>, filled on the first call for
    /// <paramref name="fillId"/> and reused by the thread's later items of the same call. Parallel conv items read
    /// this instead of one copy filled by all threads: with a shared copy each thread's first reads pulled half the
    /// lines from the other core's cache, and on the 2-vCPU VM a strided 3×3 256→256 at 28² ran no faster on two
    /// threads than on one (1.45 ms; the first item of each thread took 500-890 µs instead of about 290). Filling twice
    /// costs the copy's time once, in parallel.
    /// </summary>
    public static float* OwnWindow(in WindowLayout layout, float* image, int channels, int length, long fillId)
    {
        float* own = Window(length);
        if (t_filledId != fillId)
        {
            t_filledId = 0; // a failed fill must not leave the marker set
            layout.Fill(image, channels, own);
            t_filledId = fillId;
        }
        return own;
    }

    private static int* GetInts(ref int[]? buffer, int count)
    {
        if (buffer is null || buffer.Length < count) buffer = GC.AllocateUninitializedArray<int>(count, pinned: true);
        return (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
    }

    private static float* Get(ref float[]? buffer, int floats)
    {
        if (buffer is null || buffer.Length < floats + 16)
            buffer = GC.AllocateUninitializedArray<float>(floats + 16, pinned: true);
        return SgemmScratch.Align((float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer)));
    }
}
