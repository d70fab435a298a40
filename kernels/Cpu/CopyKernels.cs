using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Raw byte movement for the data-movement ops (Concat, Split, ...): rows of contiguous bytes between two strided
/// layouts, one block copy per row; large copies split over rows through <see cref="KernelParallelism"/>.
/// </summary>
public static unsafe class CopyKernels
{
    private const long ParallelBytes = 1 << 20;   // below this one thread copies at memory speed already

    /// <summary>
    /// For r in [0, rows): dst[dstOffset + r·dstStride ..][..rowBytes] = src[srcOffset + r·srcStride ..][..rowBytes]
    /// (all in bytes). The regions must not overlap.
    /// </summary>
    public static void Rows(ReadOnlySpan<byte> src, long srcOffset, long srcStride, Span<byte> dst, long dstOffset, long dstStride,
        int rows, long rowBytes)
    {
        if (rows < 0 || rowBytes < 0 || srcOffset < 0 || dstOffset < 0 || srcStride < 0 || dstStride < 0)
            throw new ArgumentException("Rows: negative size, offset or stride.");
        if (rows == 0 || rowBytes == 0) return;
        if (srcOffset + (rows - 1) * srcStride + rowBytes > src.Length || dstOffset + (rows - 1) * dstStride + rowBytes > dst.Length)
            throw new ArgumentException("Rows: the rows reach past the end of a buffer.");
        fixed (byte* ps = src)
        fixed (byte* pd = dst)
        {
            byte* s = ps + srcOffset, d = pd + dstOffset;
            int degree = KernelParallelism.MaxDegree;
            long total = rows * rowBytes;
            if (degree <= 1 || total < ParallelBytes)
            {
                Copy(s, srcStride, d, dstStride, 0, rows, rowBytes);
                return;
            }
            if (rows >= degree)
            {
                int chunks = Math.Min(rows, degree * 4);
                KernelParallelism.For(0, chunks, c =>
                    Copy(s, srcStride, d, dstStride, (int)((long)rows * c / chunks), (int)((long)rows * (c + 1) / chunks), rowBytes));
                return;
            }
            // few long rows: split each row into byte ranges
            int parts = degree * 4;
            KernelParallelism.For(0, rows * parts, t =>
            {
                int r = t / parts, k = t % parts;
                long from = rowBytes * k / parts, to = rowBytes * (k + 1) / parts;
                Buffer.MemoryCopy(s + r * srcStride + from, d + r * dstStride + from, to - from, to - from);
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Copy(byte* s, long srcStride, byte* d, long dstStride, int from, int to, long rowBytes)
    {
        for (int r = from; r < to; r++) Buffer.MemoryCopy(s + r * srcStride, d + r * dstStride, rowBytes, rowBytes);
    }
}
