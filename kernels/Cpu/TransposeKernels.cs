using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Axis permutation of dense row-major data of any element size (raw bytes). Size-1 axes are dropped and output axes
/// that stay adjacent in the input are merged; then either the innermost output axis is contiguous in the input too
/// (a copy of contiguous runs), or the data is a batch of 2-D transposes, done in cache blocks of 8×8 tiles (an AVX
/// shuffle network for 4-byte elements, scalar tiles otherwise). Large permutations split over disjoint output
/// ranges through <see cref="KernelParallelism"/>.
/// </summary>
public static unsafe class TransposeKernels
{
    private const int MaxRank = 32;
    private const long ParallelBytes = 1 << 18;   // below this the copy is too short to split
    private const int Block = 64;                 // cache block edge (elements) of the 2-D transpose

    /// <summary>
    /// dst = src (of <paramref name="shape"/>) with its axes permuted: output axis i is input axis perm[i].
    /// <paramref name="elementSize"/> is in bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Permute(ReadOnlySpan<byte> src, Span<byte> dst, int elementSize, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm)
    {
        int rank = shape.Length;
        if (elementSize <= 0) throw new ArgumentOutOfRangeException(nameof(elementSize), "Element size must be positive.");
        if (perm.Length != rank || rank > MaxRank) throw new ArgumentException($"Permute: perm of {perm.Length} axes for rank {rank}.");
        long count = 1;
        Span<bool> seen = stackalloc bool[rank];
        for (int d = 0; d < rank; d++)
        {
            if (shape[d] < 0) throw new ArgumentException("Permute: negative dimension.");
            if ((uint)perm[d] >= (uint)rank || seen[perm[d]]) throw new ArgumentException("Permute: perm is not a permutation.");
            seen[perm[d]] = true;
            count *= shape[d];
        }
        if (src.Length < count * elementSize || dst.Length < count * elementSize)
            throw new ArgumentException($"Permute: buffers of {src.Length} and {dst.Length} bytes do not hold {count} elements of {elementSize} bytes.");
        if (count == 0) return;

        // input strides, then the output axes with their input strides, size-1 axes dropped, adjacent ones merged
        Span<long> inStrides = stackalloc long[rank];
        long s = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            inStrides[d] = s;
            s *= shape[d];
        }
        Span<long> dims = stackalloc long[rank];
        Span<long> srcStr = stackalloc long[rank];
        int m = 0;
        for (int i = 0; i < rank; i++)
        {
            long len = shape[perm[i]], st = inStrides[perm[i]];
            if (len == 1) continue;
            if (m > 0 && srcStr[m - 1] == st * len)
            {
                dims[m - 1] *= len;
                srcStr[m - 1] = st;
                continue;
            }
            dims[m] = len;
            srcStr[m] = st;
            m++;
        }
        fixed (byte* ps = src)
        fixed (byte* pd = dst)
        {
            if (m == 0 || srcStr[m - 1] == 1)
            {
                long run = m == 0 ? 1 : dims[m - 1];
                CopyRuns(ps, pd, elementSize, dims[..Math.Max(m - 1, 0)], srcStr[..Math.Max(m - 1, 0)], run);
                return;
            }
            // the output axis read contiguously (source stride 1) becomes the tile's other edge
            int a = 0;
            while (srcStr[a] != 1) a++;
            Transposes(ps, pd, elementSize, dims[..m], srcStr[..m], a);
        }
    }

    /// <summary>dst [cols, rows] = transpose of src [rows, cols] (float32).</summary>
    public static void Transpose2D(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        if (rows < 0 || cols < 0 || src.Length < (long)rows * cols || dst.Length < (long)rows * cols)
            throw new ArgumentException($"Transpose2D: buffers do not hold [{rows}, {cols}].");
        fixed (float* ps = src)
        fixed (float* pd = dst)
            Tile2D((byte*)ps, cols, (byte*)pd, rows, 4, cols, 0, cols, rows);
    }

    /// <summary>
    /// Copies runs of <paramref name="run"/> contiguous elements: output run t (row-major over dims) reads the source
    /// at Σ idx_d · srcStr_d.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRuns(byte* src, byte* dst, int es, ReadOnlySpan<long> dims, ReadOnlySpan<long> srcStr, long run)
    {
        long runs = 1;
        foreach (long d in dims) runs *= d;
        long runBytes = run * es;
        int outer = dims.Length;
        var dimArr = dims.ToArray();
        var strArr = srcStr.ToArray();
        int degree = KernelParallelism.MaxDegree;
        if (degree <= 1 || runs < 2 || runs * runBytes < ParallelBytes)
        {
            RunRange(src, dst, es, dimArr, strArr, runBytes, 0, runs);
            return;
        }
        int chunks = (int)Math.Min(runs, degree * 4);
        KernelParallelism.For(0, chunks, c =>
            RunRange(src, dst, es, dimArr, strArr, runBytes, runs * c / chunks, runs * (c + 1) / chunks));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRange(byte* src, byte* dst, int es, long[] dims, long[] srcStr, long runBytes, long from, long to)
    {
        if (from >= to) return;
        int outer = dims.Length;
        Span<long> idx = stackalloc long[outer];
        long so = 0, t = from;
        for (int d = outer - 1; d >= 0; d--)
        {
            idx[d] = t % dims[d];
            t /= dims[d];
            so += idx[d] * srcStr[d];
        }
        byte* d0 = dst + from * runBytes;
        for (long r = from; r < to; r++, d0 += runBytes)
        {
            Buffer.MemoryCopy(src + so * es, d0, runBytes, runBytes);
            for (int d = outer - 1; d >= 0; d--)
            {
                so += srcStr[d];
                if (++idx[d] < dims[d]) break;
                so -= srcStr[d] * dims[d];
                idx[d] = 0;
            }
        }
    }

    /// <summary>
    /// A batch of 2-D transposes: the innermost output axis J (source stride srcStr[^1] ≠ 1) against output axis
    /// <paramref name="a"/> (source stride 1); the other axes enumerate the batch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transposes(byte* src, byte* dst, int es, ReadOnlySpan<long> dims, ReadOnlySpan<long> srcStr, int a)
    {
        int m = dims.Length;
        Span<long> dstStr = stackalloc long[m];
        long s = 1;
        for (int d = m - 1; d >= 0; d--)
        {
            dstStr[d] = s;
            s *= dims[d];
        }
        long total = s;
        int nJ = checked((int)dims[m - 1]), nI = checked((int)dims[a]);
        long srcLdJ = srcStr[m - 1], dstLdI = dstStr[a];
        // batch axes: every axis but a and J
        int nb = m - 2;
        var bDims = new long[nb];
        var bSrc = new long[nb];
        var bDst = new long[nb];
        for (int d = 0, k = 0; d < m - 1; d++)
        {
            if (d == a) continue;
            bDims[k] = dims[d];
            bSrc[k] = srcStr[d];
            bDst[k] = dstStr[d];
            k++;
        }
        long batches = total / ((long)nI * nJ);
        int iBlocks = (nI + Block - 1) / Block;
        long units = batches * iBlocks;
        int degree = KernelParallelism.MaxDegree;
        if (degree <= 1 || units < 2 || total * es < ParallelBytes)
        {
            TransposeUnits(src, dst, es, bDims, bSrc, bDst, nI, nJ, srcLdJ, dstLdI, iBlocks, 0, units);
            return;
        }
        int chunks = (int)Math.Min(units, degree * 4);
        KernelParallelism.For(0, chunks, c =>
            TransposeUnits(src, dst, es, bDims, bSrc, bDst, nI, nJ, srcLdJ, dstLdI, iBlocks, units * c / chunks, units * (c + 1) / chunks));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeUnits(byte* src, byte* dst, int es, long[] bDims, long[] bSrc, long[] bDst,
        int nI, int nJ, long srcLdJ, long dstLdI, int iBlocks, long from, long to)
    {
        for (long u = from; u < to; u++)
        {
            long b = u / iBlocks;
            int i0 = (int)(u % iBlocks) * Block;
            long so = 0, dOff = 0;
            for (int d = bDims.Length - 1; d >= 0; d--)
            {
                long k = b % bDims[d];
                b /= bDims[d];
                so += k * bSrc[d];
                dOff += k * bDst[d];
            }
            Tile2D(src + so * es, srcLdJ, dst + dOff * es, dstLdI, es, nI, i0, Math.Min(nI, i0 + Block), nJ);
        }
    }

    /// <summary>dst[i·dstLd + j] = src[j·srcLd + i] for i in [i0, i1), j in [0, nJ) (element units).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2D(byte* src, long srcLd, byte* dst, long dstLd, int es, int nI, int i0, int i1, int nJ)
    {
        switch (es)
        {
            case 4: Tile2D4((uint*)src, srcLd, (uint*)dst, dstLd, i0, i1, nJ); break;
            case 1: TileScalar((byte*)src, srcLd, (byte*)dst, dstLd, i0, i1, nJ); break;
            case 2: TileScalar((ushort*)src, srcLd, (ushort*)dst, dstLd, i0, i1, nJ); break;
            case 8: TileScalar((ulong*)src, srcLd, (ulong*)dst, dstLd, i0, i1, nJ); break;
            default:
                for (int j0 = 0; j0 < nJ; j0 += Block)
                {
                    int j1 = Math.Min(nJ, j0 + Block);
                    for (int i = i0; i < i1; i++)
                        for (int j = j0; j < j1; j++)
                            Buffer.MemoryCopy(src + (j * srcLd + i) * es, dst + (i * dstLd + j) * es, es, es);
                }
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileScalar<T>(T* src, long srcLd, T* dst, long dstLd, int i0, int i1, int nJ) where T : unmanaged
    {
        for (int j0 = 0; j0 < nJ; j0 += Block)
        {
            int j1 = Math.Min(nJ, j0 + Block);
            for (int i = i0; i < i1; i++)
            {
                T* d = dst + i * dstLd;
                T* sp = src + i;
                for (int j = j0; j < j1; j++) d[j] = sp[j * srcLd];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile2D4(uint* src, long srcLd, uint* dst, long dstLd, int i0, int i1, int nJ)
    {
        if (!Avx.IsSupported || i1 - i0 < 8 || nJ < 8)
        {
            TileScalar(src, srcLd, dst, dstLd, i0, i1, nJ);
            return;
        }
        int iFull = i0 + (i1 - i0) / 8 * 8, jFull = nJ / 8 * 8;
        for (int j0 = 0; j0 < jFull; j0 += Block)
        {
            int j1 = Math.Min(jFull, j0 + Block);
            for (int i = i0; i < iFull; i += 8)
                for (int j = j0; j < j1; j += 8)
                    Transpose8x8((float*)(src + j * srcLd + i), srcLd, (float*)(dst + i * dstLd + j), dstLd);
        }
        // ragged edges: the right columns j ≥ jFull for all rows, the bottom rows i ≥ iFull for the full columns
        if (jFull < nJ)
            for (int i = i0; i < i1; i++)
                for (int j = jFull; j < nJ; j++)
                    dst[i * dstLd + j] = src[j * srcLd + i];
        for (int i = iFull; i < i1; i++)
            for (int j = 0; j < jFull; j++)
                dst[i * dstLd + j] = src[j * srcLd + i];
    }

    /// <summary>8×8 float transpose: unpack pairs, shuffle quads, swap 128-bit halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, long ls, float* d, long ld)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + ls);
        var r2 = Avx.LoadVector256(s + 2 * ls);
        var r3 = Avx.LoadVector256(s + 3 * ls);
        var r4 = Avx.LoadVector256(s + 4 * ls);
        var r5 = Avx.LoadVector256(s + 5 * ls);
        var r6 = Avx.LoadVector256(s + 6 * ls);
        var r7 = Avx.LoadVector256(s + 7 * ls);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ld, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ld, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ld, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ld, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ld, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ld, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ld, Avx.Permute2x128(u3, u7, 0x31));
    }
}
