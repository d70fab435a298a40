namespace NativeInfer.Runtime;

/// <summary>
/// A session's free tensor buffers, by array type and exact length, reused by later tensors of the same size (see
/// <see cref="ExecutionScope"/> for which buffers come back). Thread-safe. Holds at most <c>maxBytes</c>: a return that
/// would exceed it first drops every pooled buffer (shapes changed; the stale sizes go to the GC).
/// </summary>
internal sealed class TensorBufferPool(long maxBytes)
{
    /// <summary>Smaller tensors are left to the GC (cheaper than the pool's bookkeeping).</summary>
    public const int MinPooledBytes = 4096;

    private readonly Dictionary<(Type ArrayType, int Length), Stack<Array>> _free = new();
    private long _bytes;

    /// <summary>Bytes currently held for reuse.</summary>
    public long PooledBytes
    {
        get { lock (_free) return _bytes; }
    }

    /// <summary>Drops every pooled buffer (a memory arena took over their role).</summary>
    public void Clear()
    {
        lock (_free)
        {
            _free.Clear();
            _bytes = 0;
        }
    }

    public T[]? TryTake<T>(int length)
    {
        lock (_free)
        {
            if (!_free.TryGetValue((typeof(T[]), length), out var stack) || stack.Count == 0) return null;
            var array = (T[])stack.Pop();
            _bytes -= (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            return array;
        }
    }

    public void Return(Array array, long bytes)
    {
        if (bytes > maxBytes) return;
        lock (_free)
        {
            if (_bytes + bytes > maxBytes)
            {
                _free.Clear();
                _bytes = 0;
            }
            var key = (array.GetType(), array.Length);
            if (!_free.TryGetValue(key, out var stack)) _free[key] = stack = new Stack<Array>();
            stack.Push(array);
            _bytes += bytes;
        }
    }
}
