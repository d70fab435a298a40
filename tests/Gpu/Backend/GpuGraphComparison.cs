using NativeInfer.Gpu;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using Xunit;

namespace NativeInfer.Tests.Gpu.Backend;

/// <summary>
/// Runs a test graph on the CPU backend and on an accelerator and compares every output element: integers and bool
/// exactly, float types within 1e-5 + 1e-3·|cpu| (or exactly when <c>exact</c>), NaN matching NaN. Skips when the
/// accelerator is absent. Returns the GPU session's runner for placement and transfer checks.
/// </summary>
internal static class GpuGraphComparison
{
    public static GpuGraphRunner Compare(GpuTestGraph g, ExecutionBackend backend, GpuDeviceKind kind, bool fallback = false,
        int runs = 1, bool exact = false)
    {
        Skip.If(GpuDevices.TryGet(kind) is null, $"No {kind} accelerator here.");
        using var cpu = new GraphSession(g.Load(), new SessionOptions { IntraOpThreads = 1 });
        var gpu = new GraphSession(g.Load(), new SessionOptions { Backend = backend, CpuFallback = fallback, IntraOpThreads = 1 });
        var expected = cpu.Run(g.Feeds);
        for (int run = 0; run < runs; run++) // later runs reuse uploaded weights, pooled buffers and cached kernels
        {
            var actual = gpu.Run(g.Feeds);
            Assert.Equal(expected.Count, actual.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                var e = expected[i].Value!.AsTensor();
                var a = actual[i].Value!.AsTensor();
                Assert.Equal(e.DataType, a.DataType);
                Assert.Equal(e.Shape, a.Shape);
                bool exactType = exact || !(e.DataType is DataType.Float or DataType.Double or DataType.Float16 or DataType.BFloat16);
                for (int j = 0; j < e.Length; j++)
                {
                    double ev = e.GetDouble(j), av = a.GetDouble(j);
                    if (double.IsNaN(ev) && double.IsNaN(av) || ev == av) continue;
                    Assert.False(exactType, $"{expected[i].Key}[{j}]: GPU {av} vs CPU {ev}");
                    Assert.True(Math.Abs(av - ev) <= 1e-5 + 1e-3 * Math.Abs(ev), $"{expected[i].Key}[{j}]: GPU {av} vs CPU {ev}");
                }
            }
        }
        return Assert.IsType<GpuGraphRunner>(gpu.Backend);
    }
}

/// <summary>
/// The base of the GPU graph-test classes (one subclass per accelerator): the backend registered, the device check, the
/// comparison against the CPU backend (<see cref="GpuGraphComparison"/>) and the placement check.
/// </summary>
public abstract class GpuGraphTests
{
    static GpuGraphTests() => GpuBackend.Register();

    protected abstract ExecutionBackend Backend { get; }

    protected abstract GpuDeviceKind Kind { get; }

    /// <summary>GPU runs per comparison (later runs reuse uploaded weights, pooled buffers and cached kernels).</summary>
    protected virtual int Runs => 1;

    /// <summary>Whether float outputs must match the CPU exactly too.</summary>
    protected virtual bool Exact => false;

    protected void RequireDevice() => Skip.If(GpuDevices.TryGet(Kind) is null, $"No {Kind} accelerator here.");

    private protected GpuGraphRunner Compare(GpuTestGraph g, bool fallback = false) =>
        GpuGraphComparison.Compare(g, Backend, Kind, fallback, Runs, Exact);

    /// <summary>Every node ran on the GPU, and each of <paramref name="opTypes"/> is among them.</summary>
    private protected static void AllOnGpu(GpuGraphRunner r, params string[] opTypes)
    {
        Assert.All(r.Assignment, a => Assert.True(a.OnGpu, $"{a.Node.DisplayName} ({a.Node.OpType}) is not on the GPU."));
        foreach (var op in opTypes) Assert.Contains(r.Assignment, a => a.Node.OpType == op);
    }
}
