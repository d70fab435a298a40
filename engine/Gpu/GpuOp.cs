using NativeInfer.Tensors;

namespace NativeInfer.Gpu;

/// <summary>
/// The GPU form of one node: built once per node by a <see cref="GpuOpFactory"/> registered in
/// <see cref="GpuOpTable"/> (which returns null when the node's attributes or element types have no GPU kernel, so the
/// node runs on the CPU). Like a CPU op it keeps no per-run state and may be called from several runs at once. An
/// adapter validates shapes on the host, allocates outputs with <see cref="GpuOpContext.Allocate"/> and launches its
/// kernels on <see cref="GpuOpContext.Stream"/>; it never synchronizes.
/// </summary>
public abstract class GpuOp
{
    /// <summary>
    /// True when input <paramref name="i"/> is read on the host (a shape, axes, clip bounds): the runner passes it as a
    /// host tensor (<see cref="GpuOpInputs.Host"/>), copying it from the device if it was produced there.
    /// </summary>
    public virtual bool ReadsOnHost(int i) => false;

    /// <summary>
    /// The element type of output <paramref name="i"/> given input 0's (the default: the same), used to place the nodes
    /// that follow when shape inference could not type the output.
    /// </summary>
    public virtual DataType OutputType(int i, DataType input0) => input0;

    /// <summary>Computes the node's outputs (one per declared output; null for an omitted one).</summary>
    public abstract GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs);
}

/// <summary>A GPU op's inputs: device tensors, and host tensors for the inputs it reads on the host.</summary>
public readonly struct GpuOpInputs(GpuTensor?[] device, Tensor?[] host)
{
    public int Count => device.Length;

    /// <summary>Device input i (null when omitted or read on the host).</summary>
    public GpuTensor? Device(int i) => i < device.Length ? device[i] : null;

    /// <summary>Device input i, which must be present.</summary>
    public GpuTensor Req(int i) => Device(i) ?? throw new ArgumentException($"Required input {i} is missing.");

    /// <summary>Host input i (only for inputs the op reads on the host; null when omitted).</summary>
    public Tensor? Host(int i) => i < host.Length ? host[i] : null;
}
