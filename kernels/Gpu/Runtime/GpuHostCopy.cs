using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Runtime;

/// <summary>
/// Copies between host memory and a device view with the host memory pinned for the whole copy; use these instead of
/// ILGPU's <c>CopyFromCPU(stream, ref T, length)</c> / <c>CopyToCPU(stream, ref T, length)</c> overloads. Those turn the
/// managed reference into a raw pointer (<c>Unsafe.AsPointer</c>, no pinning) and then wrap it in a temporary buffer
/// registered under the accelerator's lock, a lock that a kernel compile holds for a long time. A garbage collection
/// that compacts while a copy waits there moves the host array, and the copy then reads from or writes to where the
/// array used to be: the result stays zero (the sporadic zeros of the ilgpu-cpu backend under load) and the write lands
/// in the managed heap (the crash). Both calls return once the copy is complete.
/// </summary>
public static class GpuHostCopy
{
    /// <summary>Copies <paramref name="source"/> to the start of <paramref name="target"/> (at least as long).</summary>
    public static unsafe void ToDevice(AcceleratorStream stream, ArrayView<byte> target, ReadOnlySpan<byte> source)
    {
        if (source.Length > target.Length)
            throw new ArgumentException($"{source.Length} host bytes do not fit in a device view of {target.Length} bytes.");
        if (source.IsEmpty) return;
        fixed (byte* p = source)
        {
            target.SubView(0, source.Length).CopyFromCPUUnsafeAsync(stream, ref Unsafe.AsRef<byte>(p), source.Length);
            stream.Synchronize();
        }
    }

    /// <summary>Copies the first <c>target.Length</c> bytes of <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static unsafe void ToHost(AcceleratorStream stream, ArrayView<byte> source, Span<byte> target)
    {
        if (target.Length > source.Length)
            throw new ArgumentException($"A device view of {source.Length} bytes cannot fill {target.Length} host bytes.");
        if (target.IsEmpty) return;
        fixed (byte* p = target)
        {
            source.SubView(0, target.Length).CopyToCPUUnsafeAsync(stream, ref Unsafe.AsRef<byte>(p), target.Length);
            stream.Synchronize();
        }
    }
}
