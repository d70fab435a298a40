using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace NativeInfer.Kernels.Gpu.Runtime;

/// <summary>
/// The process-wide accelerators, one per <see cref="GpuDeviceKind"/>, created on first use and kept for the process's
/// lifetime (a CUDA context is expensive; kernels are compiled once per accelerator and their launchers cached in the
/// <see cref="GpuDevice"/>).
/// </summary>
public static class GpuDevices
{
    /// <summary>
    /// The simulated device of <see cref="GpuDeviceKind.Cpu"/>: 8 warps of 32 threads on one multiprocessor, so a group
    /// of 256 threads (16×16 GEMM tiles) fits; ILGPU runs each simulated thread on an OS thread.
    /// </summary>
    public static CPUDevice SimulatedDevice { get; } = new(numThreadsPerWarp: 32, numWarpsPerMultiprocessor: 8, numMultiprocessors: 1);

    private static readonly Lazy<GpuDevice?>[] s_devices =
    [
        new(() => TryCreate(GpuDeviceKind.Cuda)),
        new(() => TryCreate(GpuDeviceKind.OpenCL)),
        new(() => TryCreate(GpuDeviceKind.Cpu)),
    ];

    /// <summary>The accelerator of a kind; throws <see cref="GpuDeviceNotFoundException"/> listing what is present.</summary>
    public static GpuDevice Get(GpuDeviceKind kind) =>
        TryGet(kind) ?? throw new GpuDeviceNotFoundException(
            $"No {kind} accelerator is available. Accelerators found: {string.Join("; ", ListAccelerators())}.");

    /// <summary>The accelerator of a kind, or null when none is present.</summary>
    public static GpuDevice? TryGet(GpuDeviceKind kind) => s_devices[(int)kind].Value;

    /// <summary>The best real GPU present (CUDA, then OpenCL), or null.</summary>
    public static GpuDevice? BestGpu() => TryGet(GpuDeviceKind.Cuda) ?? TryGet(GpuDeviceKind.OpenCL);

    /// <summary>Every accelerator ILGPU finds (CUDA and OpenCL devices, usable or not, and the CPU simulator).</summary>
    public static IReadOnlyList<string> ListAccelerators()
    {
        var found = new List<string>();
        try
        {
            using var context = Context.Create(b => b.Cuda().OpenCL(_ => true));
            foreach (var d in context.Devices)
                found.Add($"{d.AcceleratorType}: {d.Name}" + (d is CLDevice { Capabilities: CLCapabilityContext { GenericAddressSpace: false } }
                    ? " (no generic address space: not usable by ILGPU)" : ""));
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidOperationException or NotSupportedException)
        {
            found.Add($"(GPU drivers could not be queried: {e.GetType().Name}: {e.Message})");
        }
        found.Add($"CPU: ILGPU CPU accelerator (simulator, {SimulatedDevice.MaxNumThreadsPerGroup} threads per group)");
        return found;
    }

    private static GpuDevice? TryCreate(GpuDeviceKind kind)
    {
        Context? context = null;
        try
        {
            context = kind switch
            {
                GpuDeviceKind.Cuda => Context.Create(b => b.Cuda().EnableAlgorithms().Optimize(OptimizationLevel.O2)),
                GpuDeviceKind.OpenCL => Context.Create(b => b.OpenCL().EnableAlgorithms().Optimize(OptimizationLevel.O2)),
                _ => Context.Create(b => b.CPU(SimulatedDevice).EnableAlgorithms()),
            };
            var type = kind switch
            {
                GpuDeviceKind.Cuda => AcceleratorType.Cuda,
                GpuDeviceKind.OpenCL => AcceleratorType.OpenCL,
                _ => AcceleratorType.CPU,
            };
            var device = context.Devices.FirstOrDefault(d => d.AcceleratorType == type);
            if (device is null)
            {
                context.Dispose();
                return null;
            }
            return new GpuDevice(kind, context, device.CreateAccelerator(context));
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidOperationException
                                      or NotSupportedException or CudaException or CLException)
        {
            context?.Dispose();
            return null;
        }
    }
}
