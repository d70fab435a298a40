using Xunit;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace NativeInfer.Tests.Gpu.Kernels;

/// <summary>
/// One ILGPU context and accelerator for a test class, with the launchers the class builds cached, so every kernel
/// is compiled once per class. <see cref="Accelerator"/> is null when the device kind is not present.
/// </summary>
public abstract class GpuAcceleratorFixture : IDisposable
{
    private readonly Dictionary<Type, object> _launchers = [];

    protected GpuAcceleratorFixture(Func<(Context, Accelerator?)> create)
    {
        try
        {
            (Context, Accelerator) = create();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // No driver / no device: the tests of this accelerator skip.
            Accelerator = null;
            Reason = e.Message;
        }
    }

    public Context? Context { get; }
    public Accelerator? Accelerator { get; }
    public string Reason { get; protected init; } = "";

    /// <summary>The launcher of type T for this accelerator, built on first use.</summary>
    public T Launcher<T>(Func<Accelerator, T> make) where T : class
    {
        Skip.If(Accelerator is null, "No such accelerator here. " + Reason);
        var acc = Accelerator!;
        lock (_launchers)
        {
            if (!_launchers.TryGetValue(typeof(T), out var l)) _launchers[typeof(T)] = l = make(acc);
            return (T)l;
        }
    }

    public void Dispose()
    {
        Accelerator?.Dispose();
        Context?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// ILGPU's CPU simulator as an AMD-like device: up to 256 threads per group (the conv tile needs 16×16), so 256 OS
/// threads rather than the NVIDIA kind's 1024.
/// </summary>
public sealed class IlgpuCpuFixture() : GpuAcceleratorFixture(() =>
{
    var context = Context.Create(b => b.CPU(CPUDeviceKind.AMD).EnableAlgorithms());
    return (context, context.CreateCPUAccelerator(0));
});

/// <summary>The first CUDA device, or none (the CUDA test classes then skip).</summary>
public sealed class CudaFixture() : GpuAcceleratorFixture(() =>
{
    var context = Context.Create(b => b.Cuda().EnableAlgorithms());
    var devices = context.GetCudaDevices();
    if (devices.Count == 0)
    {
        context.Dispose();
        return (null!, null);
    }
    return (context, context.CreateCudaAccelerator(0));
});

/// <summary>All GPU kernel test classes in one collection: the simulator's threads never compete with each other.</summary>
[CollectionDefinition(Name)]
public sealed class GpuKernelCollection
{
    public const string Name = "GPU kernels";
}
