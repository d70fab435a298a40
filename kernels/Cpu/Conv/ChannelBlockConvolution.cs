using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// Convolution with the vectors along output channels: each AVX-512 tile is 64 output channels (four zmm rows of the
/// weights, packed k-major per 64-channel block) × 6 output pixels, whose input values are broadcast from the window
/// layout of <see cref="WindowConvolution"/> (or, for a pointwise conv, from the image itself) through a per-pixel
/// offset table. Pixels are taken in output order, so a tile may span output rows and no grid column is computed and
/// thrown away (the window SGEMM's 32-column strips waste a quarter of their work on a 7×7 plane: 49 useful columns of
/// 64, and its grid adds two columns per row at 3×3). The finished block is copied channel by channel into Y, then
/// bias, residual and activation run over each channel's contiguous row. Measured faster than the window route for
/// deep convs (1 thread, 3×3 256→256 at 14²: 163 vs 145 GFLOP/s; 2 threads 279 vs 208), so weights of such convs are
/// packed for this route alone (<see cref="Prefers"/>).
/// </summary>
internal static unsafe class ChannelBlockConvolution
{
    /// <summary>Output channels per tile (four zmm).</summary>
    public const int Block = 64;
    /// <summary>Output pixels per tile: 24 accumulators, four weight vectors and one broadcast fit the 32 zmm.</summary>
    public const int Pixels = 6;
    /// <summary>
    /// Below this depth the per-block copy into Y outweighs what the tile saves (3×3 64→64 at 56², K = 576: 1 thread
    /// 152 vs 148 GFLOP/s on the window route, 2 threads 254 vs 227; the K = 27 squeezenet stem: 31 vs 77).
    /// </summary>
    public const long MinDepth = 256;
    /// <summary>
    /// A pointwise conv reads the image in place on the SGEMM route, so it takes this one only when deeper (1×1 256→64 at
    /// 56²: 146 vs 174 GFLOP/s; 2048→512 at 7²: 149 vs 139, and 307 vs 227 on 2 threads).
    /// </summary>
    public const long MinPointwiseDepth = 512;
    /// <summary>Tiles one work item covers at most: its pixel-major scratch (≤ 512 KB) stays in L2.</summary>
    private const int MaxTilesPerItem = 2048 / Pixels;
    /// <summary>
    /// K rows per pass over a block's tiles for windowed convs: the block's weight slice (32 KB) stays in L1 across the
    /// tiles, at the price of reloading the accumulators every 128 rows. Measured against 1024-row passes (a 256 KB
    /// slice in L2), 1 thread: 3×3 128→128 at 28² 179 → 189-191 GFLOP/s, 256→256 at 14² 183 → 190-199, 512→512 at 7²
    /// 150 → 153-166, 128→160 stride 2 at 28² 119 → 135-137; 64 and 192 rows were slower than 128.
    /// </summary>
    private const int KBlock = 128;
    /// <summary>
    /// K rows per pass for pointwise convs (deep ones: 2048→512 at 7² measured 177 vs 175 GFLOP/s for 1024 vs 128 rows).
    /// </summary>
    private const int PointwiseKBlock = 1024;

    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>
    /// True when weights of this shape are packed for this route (and Auto runs them on it): AVX-512, not grouped,
    /// blocks at least <see cref="MinBlockUse"/> full, and deep enough.
    /// </summary>
    public static bool Prefers(int group, int outputChannelsPerGroup, long depth, bool unitKernel) =>
        IsSupported && !Disabled && group == 1 && outputChannelsPerGroup > 0 &&
        outputChannelsPerGroup >= MinBlockUse * ((outputChannelsPerGroup + Block - 1) / Block * Block) &&
        depth >= (unitKernel ? MinPointwiseDepth : MinDepth);

    /// <summary>
    /// The least used fraction of the 64-channel blocks: fewer output channels leave too much of each tile idle
    /// (densenet's 3×3 convs to 32 channels would compute twice their work).
    /// </summary>
    public const double MinBlockUse = 0.8;

    /// <summary>Turns the route off for new weights (benchmarks compare sessions with and without it).</summary>
    internal static bool Disabled;

    /// <summary>Floats of one group's packed weights: ceil(M/64) blocks of K × 64, zero past M.</summary>
    public static long PackedLength(int mg, int kdim) => (long)(mg + Block - 1) / Block * Block * kdim;

    /// <summary>Packs plain weights W [mg, kdim] (row-major) into <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* w, int mg, int kdim, float* dst)
    {
        long length = PackedLength(mg, kdim);
        new Span<float>(dst, (int)length).Clear();
        for (int i = 0; i < mg; i++)
        {
            float* block = dst + (long)(i / Block) * kdim * Block + i % Block;
            float* row = w + (long)i * kdim;
            for (int p = 0; p < kdim; p++) block[(long)p * Block] = row[p];
        }
    }

    /// <summary>The inverse of <see cref="Pack(float*, int, int, float*)"/>: W [mg, kdim] back from its blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unpack(float* blocks, int mg, int kdim, float* w)
    {
        for (int i = 0; i < mg; i++)
        {
            float* block = blocks + (long)(i / Block) * kdim * Block + i % Block;
            float* row = w + (long)i * kdim;
            for (int p = 0; p < kdim; p++) row[p] = block[(long)p * Block];
        }
    }

    /// <summary>Packs weights already packed for the AVX-512 SGEMM (12-row strips per K block) into <paramref name="dst"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(SgemmPackedA a, float* dst)
    {
        if (a.Isa != SgemmIsa.Avx512) throw new ArgumentException("Only AVX-512 packed weights can be re-packed by channel block.");
        int mg = a.Rows, kdim = a.Depth, mr = SgemmAvx512Kernel.MR, padded = a.PaddedRows;
        new Span<float>(dst, (int)PackedLength(mg, kdim)).Clear();
        float* data = a.Data;
        int blocks = SgemmCall<SgemmAvx512Kernel>.KBlocks(kdim);
        for (int kb = 0; kb < blocks; kb++)
        {
            int k0 = SgemmCall<SgemmAvx512Kernel>.KBlockStart(kdim, blocks, kb);
            int kc = SgemmCall<SgemmAvx512Kernel>.KBlockStart(kdim, blocks, kb + 1) - k0;
            float* kBlock = data + (long)k0 * padded;
            for (int i = 0; i < mg; i++)
            {
                float* src = kBlock + (long)(i / mr) * kc * mr + i % mr;
                float* d = dst + (long)(i / Block) * kdim * Block + (long)k0 * Block + i % Block;
                for (int p = 0; p < kc; p++) d[(long)p * Block] = src[(long)p * mr];
            }
        }
    }

    /// <summary>
    /// Y = act(conv(X, W) + bias + residual) for <paramref name="batch"/> images and <paramref name="group"/> groups, with
    /// each group's weights packed by channel block: kept by <paramref name="packed"/> (built on first use from its SGEMM
    /// packing), or packed per call from the plain weights <paramref name="w"/> [M, C/group, kernel...] when there is none.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* x, int batch, int c, int m, int group, SpatialGeometry g, ConvWeights? packed, float* w, float* bias,
        float* residual, float* y, SgemmActivation activation)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("The channel-block convolution needs AVX-512.");
        if (g.Rank > 2) throw new ArgumentException("The channel-block route handles 1-D and 2-D convolutions only.");
        int cg = c / group, mg = m / group, kdim = cg * g.KernelSize;
        int oh = g.Out3[1], ow = g.Out3[2], outSize = g.OutputSize, inSize = g.InputSize;
        bool pointwise = g.IsPointwise;
        var layout = pointwise ? default : new WindowLayout(g);
        float* buffer = null;
        if (!pointwise)
        {
            long bufferLength = layout.ChannelStride * c + layout.Slack;
            if (bufferLength > Array.MaxLength) throw new ArgumentException("The convolution's padded input is too large.");
            buffer = ConvScratch.Window((int)bufferLength);
        }
        int* offsets = ConvScratch.Offsets(kdim);
        if (pointwise) for (int k = 0; k < kdim; k++) offsets[k] = checked(k * inSize);
        else layout.TapOffsets(cg, offsets);
        // Pixel p of the output plane sits at column pixelAt[p] of the source grid; the table is padded to whole tiles.
        int tiles = (outSize + Pixels - 1) / Pixels;
        int* pixelAt = ConvScratch.TailOffsets(tiles * Pixels);
        int width = pointwise ? ow : layout.GridWidth;
        for (int p = 0; p < tiles * Pixels; p++)
        {
            int q = Math.Min(p, outSize - 1);
            pixelAt[p] = q / ow * width + q % ow;
        }
        int blockCount = (mg + Block - 1) / Block, threads = KernelParallelism.MaxDegree;
        int parts = threads > 1 && blockCount < 2 * threads ? Math.Min(threads, tiles) : 1;
        parts = Math.Max(parts, (tiles + MaxTilesPerItem - 1) / MaxTilesPerItem);
        int items = blockCount * parts;
        bool parallel = items > 1 && threads > 1;
        var job = new BlockJob
        {
            Offsets = offsets, PixelAt = pixelAt, Kdim = kdim, Mg = mg, OutSize = outSize, Tiles = tiles, Parts = parts,
            Activation = activation, KBlock = pointwise ? PointwiseKBlock : KBlock,
            Layout = layout, Channels = c, WindowLength = buffer == null ? 0 : (int)(layout.ChannelStride * c + layout.Slack),
        };
        for (int b = 0; b < batch; b++)
        {
            float* image = x + (long)b * c * inSize;
            // Parallel: each thread fills its own copy of the window layout on its first item (see BlockJob.Window).
            if (!pointwise && !parallel) layout.Fill(image, c, buffer);
            job.Image = image;
            job.FillId = parallel && !pointwise ? ConvScratch.NextFillId() : 0;
            for (int gi = 0; gi < group; gi++)
            {
                long yOff = ((long)b * m + (long)gi * mg) * outSize;
                job.Source = pointwise ? image + (long)gi * cg * inSize : buffer + (long)gi * cg * layout.ChannelStride;
                job.SourceOffset = (long)gi * cg * layout.ChannelStride;
                if (packed?.PackedIsa is not null) job.A = packed.ChannelBlocks(gi); // not PackedGroup: that would rebuild an SGEMM packing
                else
                {
                    job.A = ConvScratch.Blocks(PackedLength(mg, kdim));
                    Pack(w + (long)gi * mg * kdim, mg, kdim, job.A);
                }
                job.Bias = bias == null ? null : bias + gi * mg;
                job.Residual = residual == null ? null : residual + yOff;
                job.Y = y + yOff;
                if (parallel) KernelParallelism.For(0, items, ref job);
                else for (int i = 0; i < items; i++) job.Invoke(i);
            }
        }
    }

    /// <summary>One 64-channel block over one share of the tiles: K pass by K pass into scratch, then into Y.</summary>
    private struct BlockJob : IParallelBody
    {
        public float* Source, A, Bias, Residual, Y, Image;
        public int* Offsets, PixelAt;
        public int Kdim, Mg, OutSize, Tiles, Parts, KBlock, Channels, WindowLength;
        public long FillId, SourceOffset;
        public WindowLayout Layout;
        public SgemmActivation Activation;

        /// <summary>
        /// The window layout this item reads: in a parallel call (<see cref="FillId"/> ≠ 0) this thread's own copy (see
        /// <see cref="ConvScratch.OwnWindow"/>). Same-process A/B against one shared copy, 40 alternating runs, 2
        /// threads: ResNet18 0.92, resnet50 0.95, squeezenet 0.96, inception_v1 0.97, inception_v2 0.97 the time.
        /// </summary>
        private readonly float* Window() =>
            FillId == 0 ? Source : ConvScratch.OwnWindow(Layout, Image, Channels, WindowLength, FillId) + SourceOffset;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Invoke(int item)
        {
            int block = item / Parts, part = item % Parts;
            int t0 = (int)((long)part * Tiles / Parts), t1 = (int)((long)(part + 1) * Tiles / Parts);
            if (t1 <= t0) return;
            float* source = Window();
            float* acc = ConvScratch.Band((t1 - t0) * Pixels * Block);
            float* a = A + (long)block * Kdim * Block;
            for (int k0 = 0; k0 < Kdim; k0 += KBlock)
            {
                int kc = Math.Min(KBlock, Kdim - k0);
                for (int t = t0; t < t1; t++)
                {
                    int* px = PixelAt + t * Pixels;
                    Tile(kc, a + (long)k0 * Block, source, Offsets + k0, px, acc + (long)(t - t0) * Pixels * Block, k0 > 0);
                }
            }
            // Channel by channel into Y (pixel-major scratch → channel-major Y), then the epilogue over the row.
            int c0 = block * Block, channels = Math.Min(Block, Mg - c0);
            int p0 = t0 * Pixels, p1 = Math.Min(OutSize, t1 * Pixels), n = p1 - p0;
            for (int ch = 0; ch < channels; ch++)
            {
                float* yRow = Y + (long)(c0 + ch) * OutSize + p0;
                float* s = acc + ch;
                for (int p = 0; p < n; p++) yRow[p] = s[(long)p * Block];
                SgemmActivations.ApplyRow(yRow, n, Bias == null ? 0f : Bias[c0 + ch], null,
                    Residual == null ? null : Residual + (long)(c0 + ch) * OutSize + p0, Activation);
            }
        }
    }

    /// <summary>
    /// acc[p·64 + j] (+)= Σ_k a[k·64 + j] · source[offsets[k] + px[p]] for 6 pixels p and 64 channels j.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(int kc, float* a, float* source, int* offsets, int* px, float* acc, bool accumulate)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default,
            c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default,
            c40 = default, c41 = default, c42 = default, c43 = default, c50 = default, c51 = default, c52 = default, c53 = default;
        nint q0 = px[0], q1 = px[1], q2 = px[2], q3 = px[3], q4 = px[4], q5 = px[5];
        for (int k = 0; k < kc; k++)
        {
            float* r = source + offsets[k];
            var a0 = Vector512.Load(a);
            var a1 = Vector512.Load(a + 16);
            var a2 = Vector512.Load(a + 32);
            var a3 = Vector512.Load(a + 48);
            var x = Vector512.Create(r[q0]); c00 = Fma(a0, x, c00); c01 = Fma(a1, x, c01); c02 = Fma(a2, x, c02); c03 = Fma(a3, x, c03);
            x = Vector512.Create(r[q1]); c10 = Fma(a0, x, c10); c11 = Fma(a1, x, c11); c12 = Fma(a2, x, c12); c13 = Fma(a3, x, c13);
            x = Vector512.Create(r[q2]); c20 = Fma(a0, x, c20); c21 = Fma(a1, x, c21); c22 = Fma(a2, x, c22); c23 = Fma(a3, x, c23);
            x = Vector512.Create(r[q3]); c30 = Fma(a0, x, c30); c31 = Fma(a1, x, c31); c32 = Fma(a2, x, c32); c33 = Fma(a3, x, c33);
            x = Vector512.Create(r[q4]); c40 = Fma(a0, x, c40); c41 = Fma(a1, x, c41); c42 = Fma(a2, x, c42); c43 = Fma(a3, x, c43);
            x = Vector512.Create(r[q5]); c50 = Fma(a0, x, c50); c51 = Fma(a1, x, c51); c52 = Fma(a2, x, c52); c53 = Fma(a3, x, c53);
            a += Block;
        }
        Store(acc, c00, c01, c02, c03, accumulate);
        Store(acc + 64, c10, c11, c12, c13, accumulate);
        Store(acc + 128, c20, c21, c22, c23, accumulate);
        Store(acc + 192, c30, c31, c32, c33, accumulate);
        Store(acc + 256, c40, c41, c42, c43, accumulate);
        Store(acc + 320, c50, c51, c52, c53, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Avx512F.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Store(float* p, Vector512<float> x0, Vector512<float> x1, Vector512<float> x2, Vector512<float> x3, bool accumulate)
    {
        if (accumulate)
        {
            x0 += Vector512.Load(p);
            x1 += Vector512.Load(p + 16);
            x2 += Vector512.Load(p + 32);
            x3 += Vector512.Load(p + 48);
        }
        x0.Store(p);
        x1.Store(p + 16);
        x2.Store(p + 32);
        x3.Store(p + 48);
    }
}
