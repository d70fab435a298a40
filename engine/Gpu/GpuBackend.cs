using NativeInfer.IR;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.Session;

namespace NativeInfer.Gpu;

/// <summary>
/// The ILGPU execution backend. Call <see cref="Register"/> once (the CLI does) and set
/// <see cref="SessionOptions.Backend"/> to Cuda, OpenCL, IlgpuCpu (ILGPU's CPU simulator) or Auto (best GPU present,
/// else the CPU executor). <see cref="GraphSession.Backend"/> is then a runner whose
/// <see cref="IGraphRunner.DescribePartition"/> shows which node runs where.
/// </summary>
public static class GpuBackend
{
    /// <summary>Registers the backend with the engine (idempotent).</summary>
    public static void Register() => ExecutionBackends.Register(new Provider());

    /// <summary>The accelerator kind of a backend choice (null for Cpu; Auto resolves to the best GPU present or null).</summary>
    public static GpuDeviceKind? DeviceKind(ExecutionBackend backend) => backend switch
    {
        ExecutionBackend.Cuda => GpuDeviceKind.Cuda,
        ExecutionBackend.OpenCL => GpuDeviceKind.OpenCL,
        ExecutionBackend.IlgpuCpu => GpuDeviceKind.Cpu,
        ExecutionBackend.Auto => GpuDevices.BestGpu()?.Kind,
        _ => null,
    };

    private sealed class Provider : IExecutionBackendProvider
    {
        public bool Serves(ExecutionBackend backend) => backend is not ExecutionBackend.Cpu;

        public IGraphRunner? Create(Graph graph, SessionOptions options)
        {
            var kind = DeviceKind(options.Backend);
            if (kind is null) return null; // Auto without a GPU: the CPU executor runs the graph
            return new GpuGraphRunner(graph, options, GpuDevices.Get(kind.Value), GpuOpTable.Default);
        }
    }
}
