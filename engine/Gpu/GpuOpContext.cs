using ILGPU.Runtime;
using NativeInfer.IR;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu;

/// <summary>What a <see cref="GpuOp"/> sees while it runs: its node, the device, the run's stream and the memory pool.</summary>
public sealed class GpuOpContext
{
    private readonly GpuBufferPool _pool;

    internal GpuOpContext(Node node, GpuDevice device, AcceleratorStream stream, GpuBufferPool pool)
    {
        Node = node;
        Device = device;
        Stream = stream;
        _pool = pool;
    }

    public Node Node { get; }
    public GpuDevice Device { get; }
    public AcceleratorStream Stream { get; }

    /// <summary>A new (uninitialized) device tensor from the session's pool; refused beyond the session's size limit.</summary>
    public GpuTensor Allocate(DataType type, int[] shape)
    {
        int n = ShapeUtil.ElementCount(shape);
        TensorLimits.CheckAllocation(n, type);
        return new GpuTensor(type, (int[])shape.Clone(), _pool.Rent((long)n * DataTypes.SizeOf(type)));
    }

    /// <summary>
    /// A new device tensor holding a copy of a host tensor (a shape, indices checked on the host); the copy is complete
    /// when this returns, so <paramref name="value"/> may be reused.
    /// </summary>
    public GpuTensor Upload(Tensor value)
    {
        var t = Allocate(value.DataType, value.Shape);
        if (value.Length > 0) GpuHostCopy.ToDevice(Stream, t.Raw, value.RawBytes());
        return t;
    }

    /// <summary>
    /// Returns a scratch tensor this op allocated and will not output (later launches on the same stream run after the
    /// ones already queued, so its reuse is safe).
    /// </summary>
    public void Free(GpuTensor scratch)
    {
        if (scratch.Block.Refs == 0) _pool.Return(scratch.Block);
    }
}
