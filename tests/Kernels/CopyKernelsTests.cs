using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Threading;
using Xunit;

namespace NativeInfer.Tests.Kernels;

/// <summary>CopyKernels.Rows against a byte-by-byte reference: short and long rows, one and two threads (both split modes).</summary>
public class CopyKernelsTests
{
    [Theory]
    [InlineData(1, 3, 5, 0)]
    [InlineData(1, 7, 1, 3)]
    [InlineData(2, 1, 3 << 20, 0)]
    [InlineData(2, 300, 5000, 17)]
    [InlineData(2, 2, 1 << 20, 4)]
    public void RowsMatchReference(int threads, int rows, int rowBytes, int gap)
    {
        using var _ = KernelParallelism.Push(threads);
        var rng = new Random(rows);
        long srcStride = rowBytes + gap, dstStride = rowBytes + 2 * gap;
        var src = new byte[7 + rows * srcStride];
        rng.NextBytes(src);
        var dst = new byte[3 + rows * dstStride];
        var expected = (byte[])dst.Clone();
        for (int r = 0; r < rows; r++)
            Array.Copy(src, 7 + r * srcStride, expected, 3 + r * dstStride, rowBytes);
        CopyKernels.Rows(src, 7, srcStride, dst, 3, dstStride, rows, rowBytes);
        Assert.True(expected.AsSpan().SequenceEqual(dst));
    }

    [Fact]
    public void RejectsRowsPastTheEnd()
    {
        Assert.Throws<ArgumentException>(() => CopyKernels.Rows(new byte[10], 0, 5, new byte[20], 0, 5, 3, 5));
        Assert.Throws<ArgumentException>(() => CopyKernels.Rows(new byte[10], 0, -1, new byte[20], 0, 5, 1, 5));
    }
}
