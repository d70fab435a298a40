using System.Collections.Concurrent;
using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Runtime;

/// <summary>
/// One ILGPU accelerator with its context and the kernels loaded on it: <see cref="Kernel{T}"/> compiles a kernel the
/// first time it is asked for and returns the cached launcher afterwards (thread-safe).
/// </summary>
public sealed class GpuDevice : IDisposable
{
    private readonly ConcurrentDictionary<object, Lazy<object>> _kernels = new();

    /// <summary>
    /// Kernel loads run one at a time per device. ILGPU compiles under the accelerator's own lock anyway, so this costs
    /// nothing after warm-up; it was added after a crash on an ILGPU frontend thread in a parallel conformance run, but
    /// that crash and the sporadic wrong results came from host copies through unpinned memory (see
    /// <see cref="GpuHostCopy"/>), not from concurrent loads.
    /// </summary>
    private readonly object _loadLock = new();

    internal GpuDevice(GpuDeviceKind kind, Context context, Accelerator accelerator)
    {
        Kind = kind;
        Context = context;
        Accelerator = accelerator;
    }

    public GpuDeviceKind Kind { get; }
    public Context Context { get; }
    public Accelerator Accelerator { get; }

    /// <summary>Name, kind and memory of the accelerator.</summary>
    public string Description => $"{Kind} ({Accelerator.Name}, {Accelerator.MemorySize / (1 << 20)} MiB, max group {Accelerator.MaxNumThreadsPerGroup})";

    /// <summary>
    /// The launcher registered under <paramref name="key"/> (use the launcher's own static field or type as the key),
    /// loaded by <paramref name="load"/> on first use.
    /// </summary>
    public T Kernel<T>(object key, Func<Accelerator, T> load) where T : class =>
        (T)_kernels.GetOrAdd(key, _ => new Lazy<object>(() =>
        {
            lock (_loadLock) return load(Accelerator);
        })).Value;

    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}
