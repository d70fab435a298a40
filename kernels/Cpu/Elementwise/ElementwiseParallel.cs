using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu.Elementwise;

/// <summary>
/// The elementwise loops over pinned buffers, split across <see cref="KernelParallelism"/> in chunks of at least
/// <see cref="MinChunkElements"/> (one thread below twice that). Chunk starts are multiples of 16 elements, so chunks
/// written by different threads never share a 64-byte line of a 4-byte output.
/// </summary>
public static unsafe class ElementwiseParallel
{
    /// <summary>The least work (elements) worth a chunk of its own: 32K floats, 128 KiB read per operand.</summary>
    public const int MinChunkElements = 32 * 1024;

    /// <summary>How many chunks <paramref name="elements"/> of work split into under the current thread budget.</summary>
    public static int ChunkCount(long elements)
    {
        int degree = KernelParallelism.MaxDegree;
        if (degree <= 1 || elements < 2L * MinChunkElements) return 1;
        // A few chunks per thread evens out a busy core.
        return (int)Math.Min(elements / MinChunkElements, 4L * degree);
    }

    /// <summary>The [start, start + length) of chunk <paramref name="c"/> of <paramref name="chunks"/> over n elements.</summary>
    public static (int Start, int Length) ChunkRange(int c, int chunks, int n)
    {
        long size = ((long)n + chunks - 1) / chunks;
        size = (size + 15) & ~15L;
        long start = Math.Min(c * size, n);
        return ((int)start, (int)Math.Min(size, n - start));
    }

    /// <summary>y[i] = op(x[i]), i &lt; n; y may be x.</summary>
    public static void Unary<TOp>(float* x, float* y, int n, TOp op) where TOp : struct, IUnaryOperator
    {
        int chunks = ChunkCount(n);
        if (chunks == 1)
        {
            UnaryKernel.Map(new ReadOnlySpan<float>(x, n), new Span<float>(y, n), op);
            return;
        }
        KernelParallelism.For(0, chunks, c =>
        {
            var (s, len) = ChunkRange(c, chunks, n);
            UnaryKernel.Map(new ReadOnlySpan<float>(x + s, len), new Span<float>(y + s, len), op);
        });
    }

    /// <summary>r[i] = op(a[i], b[i]), i &lt; n.</summary>
    public static void Binary<T, TOp>(T* a, T* b, T* r, int n, TOp op) where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        int chunks = ChunkCount(n);
        if (chunks == 1)
        {
            BinaryKernel.Map(new ReadOnlySpan<T>(a, n), new ReadOnlySpan<T>(b, n), new Span<T>(r, n), op);
            return;
        }
        KernelParallelism.For(0, chunks, c =>
        {
            var (s, len) = ChunkRange(c, chunks, n);
            BinaryKernel.Map(new ReadOnlySpan<T>(a + s, len), new ReadOnlySpan<T>(b + s, len), new Span<T>(r + s, len), op);
        });
    }

    /// <summary>r[i] = op(a[i], b), i &lt; n.</summary>
    public static void BinaryScalarRight<T, TOp>(T* a, T b, T* r, int n, TOp op) where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        int chunks = ChunkCount(n);
        if (chunks == 1)
        {
            BinaryKernel.MapScalarRight(new ReadOnlySpan<T>(a, n), b, new Span<T>(r, n), op);
            return;
        }
        KernelParallelism.For(0, chunks, c =>
        {
            var (s, len) = ChunkRange(c, chunks, n);
            BinaryKernel.MapScalarRight(new ReadOnlySpan<T>(a + s, len), b, new Span<T>(r + s, len), op);
        });
    }

    /// <summary>r[i] = op(a, b[i]), i &lt; n.</summary>
    public static void BinaryScalarLeft<T, TOp>(T a, T* b, T* r, int n, TOp op) where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        int chunks = ChunkCount(n);
        if (chunks == 1)
        {
            BinaryKernel.MapScalarLeft(a, new ReadOnlySpan<T>(b, n), new Span<T>(r, n), op);
            return;
        }
        KernelParallelism.For(0, chunks, c =>
        {
            var (s, len) = ChunkRange(c, chunks, n);
            BinaryKernel.MapScalarLeft(a, new ReadOnlySpan<T>(b + s, len), new Span<T>(r + s, len), op);
        });
    }
}
