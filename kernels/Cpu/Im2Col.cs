using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Moves data between an image (channels × spatial input, row-major) and its column matrix
/// ((channels·kernel) rows × output positions): <see cref="Pack"/> gathers windows into columns (zeros where a window
/// reaches into padding); <see cref="Accumulate"/> is the adjoint, adding every column entry back into the image
/// position it came from (col2im, used by ConvTranspose and Col2Im). Both can work on a range of output positions, so
/// a convolution can bound its column buffer.
/// </summary>
public static class Im2Col
{
    private const long ParallelThreshold = 1L << 16;

    /// <summary>
    /// Fills <paramref name="columns"/> (rows = channels·KernelSize, <paramref name="count"/> columns starting at
    /// output position <paramref name="start"/>) from <paramref name="image"/> (channels × InputSize).
    /// </summary>
    public static void Pack<T>(ReadOnlySpan<T> image, int channels, SpatialGeometry g, int start, int count, Span<T> columns)
        where T : unmanaged
    {
        Check(image.Length, columns.Length, channels, g, start, count);
        unsafe
        {
            fixed (T* img = image)
            fixed (T* col = columns)
                Transfer<T>((nint)img, (nint)col, channels, g, start, count);
        }
    }

    /// <summary>
    /// Adds every entry of <paramref name="columns"/> (rows = channels·KernelSize, OutputSize columns) into
    /// <paramref name="image"/> (channels × InputSize) at the input position its window offset reads; entries that fall
    /// into padding are dropped. The image is not cleared first.
    /// </summary>
    public static void Accumulate<T>(ReadOnlySpan<T> columns, int channels, SpatialGeometry g, Span<T> image)
        where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
    {
        Check(image.Length, columns.Length, channels, g, 0, g.OutputSize);
        unsafe
        {
            fixed (T* img = image)
            fixed (T* col = columns)
                AccumulateCore<T>((nint)img, (nint)col, channels, g);
        }
    }

    private static void Check(int imageLength, int columnsLength, int channels, SpatialGeometry g, int start, int count)
    {
        if (channels < 0 || start < 0 || count < 0 || (long)start + count > g.OutputSize)
            throw new ArgumentOutOfRangeException(nameof(start), "Column range is outside the output positions.");
        if ((long)channels * g.InputSize > imageLength)
            throw new ArgumentException($"Image buffer of {imageLength} elements is too small for {channels} channels of {g.InputSize}.");
        if ((long)channels * g.KernelSize * count > columnsLength)
            throw new ArgumentException($"Column buffer of {columnsLength} elements is too small.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Transfer<T>(nint img, nint col, int channels, SpatialGeometry g, int start, int count)
        where T : unmanaged
    {
        int rows = channels * g.KernelSize;
        void Row(int row) => TransferRow((T*)img, (T*)col + (long)row * count, row, g, start, count);
        if ((long)rows * count >= ParallelThreshold && rows > 1) KernelParallelism.For(0, rows, Row);
        else for (int r = 0; r < rows; r++) Row(r);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AccumulateCore<T>(nint img, nint col, int channels, SpatialGeometry g)
        where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
    {
        // Rows of one channel write the same image plane, so channels (not rows) are the unit of parallel work.
        int count = g.OutputSize;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void Channel(int c)
        {
            for (int kr = 0; kr < g.KernelSize; kr++)
            {
                int row = c * g.KernelSize + kr;
                AccumulateRow((T*)img, (T*)col + (long)row * count, row, g);
            }
        }
        if ((long)channels * g.KernelSize * count >= ParallelThreshold && channels > 1) KernelParallelism.For(0, channels, Channel);
        else for (int c = 0; c < channels; c++) Channel(c);
    }

    /// <summary>Decodes a column-matrix row into its channel and kernel offsets (3-D view).</summary>
    private static (int C, int Kd, int Kh, int Kw) SplitRow(int row, SpatialGeometry g)
    {
        var k = g.Kernel3;
        int kw = row % k[2];
        int t = row / k[2];
        int kh = t % k[1];
        t /= k[1];
        int kd = t % k[0];
        return (t / k[0], kd, kh, kw);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void TransferRow<T>(T* img, T* dst, int row, SpatialGeometry g, int start, int count) where T : unmanaged
    {
        var (c, kd, kh, kw) = SplitRow(row, g);
        int[] inp = g.In3, st = g.Stride3, dil = g.Dilation3, pad = g.Pad3, outp = g.Out3;
        T* plane = img + (long)c * g.InputSize;
        int ow = start % outp[2];
        int t = start / outp[2];
        int oh = t % outp[1];
        int od = t / outp[1];
        int done = 0;
        while (done < count)
        {
            int run = Math.Min(count - done, outp[2] - ow);
            int id = od * st[0] - pad[0] + kd * dil[0];
            int ih = oh * st[1] - pad[1] + kh * dil[1];
            T* d = dst + done;
            if ((uint)id >= (uint)inp[0] || (uint)ih >= (uint)inp[1])
            {
                new Span<T>(d, run).Clear();
            }
            else
            {
                T* src = plane + ((long)id * inp[1] + ih) * inp[2];
                int offset = kw * dil[2] - pad[2];
                var (lo, hi) = ValidRange(ow, run, st[2], offset, inp[2]);
                for (int i = 0; i < lo; i++) d[i] = default;
                if (st[2] == 1)
                {
                    if (hi > lo) new Span<T>(src + ow + lo + offset, hi - lo).CopyTo(new Span<T>(d + lo, hi - lo));
                }
                else
                {
                    for (int i = lo; i < hi; i++) d[i] = src[(ow + i) * st[2] + offset];
                }
                for (int i = Math.Max(hi, lo); i < run; i++) d[i] = default;
            }
            done += run;
            ow = 0;
            if (++oh == outp[1]) { oh = 0; od++; }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AccumulateRow<T>(T* img, T* src, int row, SpatialGeometry g)
        where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
    {
        var (c, kd, kh, kw) = SplitRow(row, g);
        int[] inp = g.In3, st = g.Stride3, dil = g.Dilation3, pad = g.Pad3, outp = g.Out3;
        T* plane = img + (long)c * g.InputSize;
        int offset = kw * dil[2] - pad[2];
        var (lo, hi) = ValidRange(0, outp[2], st[2], offset, inp[2]);
        for (int od = 0; od < outp[0]; od++)
        {
            int id = od * st[0] - pad[0] + kd * dil[0];
            for (int oh = 0; oh < outp[1]; oh++, src += outp[2])
            {
                int ih = oh * st[1] - pad[1] + kh * dil[1];
                if ((uint)id >= (uint)inp[0] || (uint)ih >= (uint)inp[1]) continue;
                T* dst = plane + ((long)id * inp[1] + ih) * inp[2];
                for (int i = lo; i < hi; i++)
                {
                    T* p = dst + i * st[2] + offset;
                    *p = *p + src[i];
                }
            }
        }
    }

    /// <summary>
    /// For output columns ow0..ow0+run along the innermost dim, the sub-range [lo, hi) (relative to ow0) whose input
    /// position (ow0+i)·stride + offset lies inside [0, size).
    /// </summary>
    internal static (int Lo, int Hi) ValidRange(int ow0, int run, int stride, int offset, int size)
    {
        // first i with (ow0+i)*stride + offset >= 0
        long lo = offset >= 0 ? 0 : CeilDiv(-offset, stride) - ow0;
        // last i with (ow0+i)*stride + offset <= size-1
        long hiIncl = size - 1 - offset < 0 ? -1 - ow0 : (size - 1 - offset) / stride - ow0;
        lo = Math.Clamp(lo, 0, run);
        long hi = Math.Clamp(hiIncl + 1, lo, run);
        return ((int)lo, (int)hi);
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
