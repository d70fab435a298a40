using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Gpu;

/// <summary>
/// A session's device activation memory: free blocks by size (rounded up to 256 bytes), reused by later tensors of the
/// same rounded size in this run and later runs. Thread-safe. Holds at most <c>maxBytes</c> of free blocks; a return
/// beyond that frees the block instead (shapes changed).
/// </summary>
internal sealed class GpuBufferPool(Accelerator accelerator, long maxBytes) : IDisposable
{
    public const long Granule = 256;

    private readonly Dictionary<long, Stack<MemoryBuffer1D<byte, Stride1D.Dense>>> _free = new();
    private readonly List<MemoryBuffer1D<byte, Stride1D.Dense>> _persistent = new();
    private long _freeBytes;
    private bool _disposed;

    /// <summary>Bytes of free blocks held for reuse.</summary>
    public long FreeBytes
    {
        get { lock (_free) return _freeBytes; }
    }

    /// <summary>Device blocks allocated so far (a run that reuses the pool allocates none).</summary>
    public int Allocations { get; private set; }

    public static long RoundUp(long bytes) => Math.Max(Granule, (bytes + Granule - 1) / Granule * Granule);

    /// <summary>A block of at least <paramref name="bytes"/> bytes: a free one of that rounded size, else a new one.</summary>
    public GpuBlock Rent(long bytes)
    {
        long size = RoundUp(bytes);
        lock (_free)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_free.TryGetValue(size, out var stack) && stack.Count > 0)
            {
                _freeBytes -= size;
                return new GpuBlock(stack.Pop(), persistent: false);
            }
            Allocations++;
        }
        return new GpuBlock(accelerator.Allocate1D<byte>(size), persistent: false);
    }

    /// <summary>A block that lives as long as the session (uploaded weights).</summary>
    public GpuBlock RentPersistent(long bytes)
    {
        var buffer = accelerator.Allocate1D<byte>(RoundUp(bytes));
        lock (_free) _persistent.Add(buffer);
        return new GpuBlock(buffer, persistent: true);
    }

    public void Return(GpuBlock block)
    {
        if (block.Persistent) return;
        var buffer = block.Buffer;
        lock (_free)
        {
            if (_disposed || _freeBytes + buffer.Length > maxBytes)
            {
                buffer.Dispose();
                return;
            }
            if (!_free.TryGetValue(buffer.Length, out var stack)) _free[buffer.Length] = stack = new();
            stack.Push(buffer);
            _freeBytes += buffer.Length;
        }
    }

    public void Dispose()
    {
        lock (_free)
        {
            _disposed = true;
            foreach (var stack in _free.Values)
                foreach (var b in stack) b.Dispose();
            _free.Clear();
            foreach (var b in _persistent) b.Dispose();
            _persistent.Clear();
            _freeBytes = 0;
        }
    }
}
