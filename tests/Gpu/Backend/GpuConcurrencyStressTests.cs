using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Gpu;
using NativeInfer.Kernels.Gpu.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NativeInfer.Tests.Gpu.Backend;

/// <summary>
/// Several sessions on several threads running small graphs at once on the one process-wide ILGPU CPU accelerator,
/// every result compared with the CPU backend, while another thread compiles kernels on that accelerator and another
/// forces garbage collections (what a busy process does: first runs of new ops, allocation). Before host copies were
/// pinned (<see cref="GpuHostCopy"/>) nearly every such loop gave zeros (the "Celu 0 vs -0.68" and "test_abs zeros"
/// reports) or crashed the process with a general-protection fault in the runtime. NATIVEINFER_GPU_STRESS_SECONDS
/// lengthens the loop (default 4 s, to keep CI time small); NATIVEINFER_GPU_STRESS_GC_MS sets the collector's pause.
/// </summary>
public sealed class GpuConcurrencyStressTests(ITestOutputHelper output)
{
    static GpuConcurrencyStressTests() => GpuBackend.Register();

    /// <summary>The graphs: unary ops (the Celu/Abs of the reports), broadcasting binaries, GEMM (256-thread groups), softmax.</summary>
    private static List<GpuTestGraph> Graphs()
    {
        var list = new List<GpuTestGraph>
        {
            new GpuTestGraph().Input("x", GpuTestGraph.Random(1, [2, 3, 7], -5f, 5f))
                .Node("Celu", ["x"], ["y"], Attr.Float("alpha", 0.7f)).Output("y"),
            new GpuTestGraph().Input("x", GpuTestGraph.Random(2, [3, 4, 5], -5f, 5f)).Node("Abs", ["x"], ["y"]).Output("y"),
            new GpuTestGraph().Input("a", GpuTestGraph.Random(3, [2, 3, 4])).Input("b", GpuTestGraph.Random(4, [3, 1]))
                .Node("Mul", ["a", "b"], ["t"]).Node("Tanh", ["t"], ["u"]).Node("Sub", ["u", "a"], ["y"]).Output("y"),
            new GpuTestGraph().Input("x", GpuTestGraph.Random(5, [5, 20]))
                .Const("w", GpuTestGraph.Random(6, [20, 9])).Const("c", GpuTestGraph.Random(7, [9]))
                .Node("Gemm", ["x", "w", "c"], ["h"], Attr.Float("alpha", 0.5f)).Node("Relu", ["h"], ["y"]).Output("y"),
            new GpuTestGraph().Input("x", GpuTestGraph.Random(8, [3, 6, 5]))
                .Node("Softmax", ["x"], ["s"], Attr.Int("axis", -1)).Node("Exp", ["s"], ["y"]).Output("y"),
            new GpuTestGraph().Input("a", GpuTestGraph.Random(9, [2, 7, 5])).Input("b", GpuTestGraph.Random(10, [5, 6]))
                .Node("MatMul", ["a", "b"], ["m"]).Node("Sigmoid", ["m"], ["y"]).Output("y"),
        };
        return list;
    }

    private const int MinRunsPerThread = 1;

    private static readonly int CollectorPauseMs =
        int.TryParse(Environment.GetEnvironmentVariable("NATIVEINFER_GPU_STRESS_GC_MS"), out int ms) && ms >= 0 ? ms : 100;

    private static int Seconds(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("NATIVEINFER_GPU_STRESS_SECONDS"), out int s) && s > 0 ? s : fallback;

    [SkippableFact]
    public void ConcurrentSessionsOnTheCpuAcceleratorMatchTheCpuBackend()
    {
        Skip.If(GpuDevices.TryGet(GpuDeviceKind.Cpu) is null, "No ILGPU CPU accelerator.");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var graphs = Graphs();
        var expected = new Tensor<float>[graphs.Count];
        for (int i = 0; i < graphs.Count; i++)
        {
            using var cpu = new GraphSession(graphs[i].Load(), new SessionOptions { IntraOpThreads = 1 });
            expected[i] = cpu.Run(graphs[i].Feeds)[0].Value!.AsTensor().As<float>();
        }

        // Every thread has its own session per graph, created and warmed up (kernels compiled) before the clock starts.
        int threads = 4, runs = 0, failures = 0, collections = 0;
        var options = new SessionOptions { Backend = ExecutionBackend.IlgpuCpu, CpuFallback = false, IntraOpThreads = 1 };
        var sessions = new GraphSession[threads][];
        for (int t = 0; t < threads; t++)
        {
            sessions[t] = graphs.Select(g => new GraphSession(g.Load(), options)).ToArray();
            if (t == 0)
                for (int i = 0; i < graphs.Count; i++) sessions[t][i].Run(graphs[i].Feeds);
        }
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        double setup = clock.Elapsed.TotalSeconds;
        // Each worker runs until the deadline, and at least once (a loaded host, e.g. the whole test suite at once, may
        // allow no more in the time: the loop is a stress, not a throughput check).
        var deadline = DateTime.UtcNow.AddSeconds(Seconds(4));
        bool done = false;
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var rng = new Random(t);
            try
            {
                for (int mine = 0; DateTime.UtcNow < deadline || mine < MinRunsPerThread; mine++)
                {
                    int gi = rng.Next(graphs.Count);
                    var actual = sessions[t][gi].Run(graphs[gi].Feeds)[0].Value!.AsTensor().As<float>();
                    Interlocked.Increment(ref runs);
                    if (Mismatch(expected[gi], actual) is { } why)
                    {
                        Interlocked.Increment(ref failures);
                        errors.Enqueue($"graph {gi}: {why}");
                    }
                }
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref failures);
                errors.Enqueue(e.ToString());
            }
        })).ToList();
        // Garbage collections at any moment, as other threads of a busy process cause them (a compacting gen-0
        // collection moves the young arrays that host tensors live in).
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref done))
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: true);
                collections++;
                Thread.Sleep(CollectorPauseMs);
            }
        });
        // Kernel compiles on the same accelerator, as a session's first run of a new op makes while other sessions run:
        // ILGPU compiles under the accelerator's lock, which every host copy also takes.
        var accelerator = GpuDevices.Get(GpuDeviceKind.Cpu).Accelerator;
        var compiler = new Thread(() =>
        {
            for (int k = 0; !Volatile.Read(ref done); k++)
            {
                accelerator.LoadKernel<ArrayView<float>>(FillKernel, new KernelSpecialization(1 + k % 256, null));
                Thread.Sleep(100);   // let the sessions take the lock between compiles
            }
        });
        foreach (var w in workers) w.Start();
        collector.Start();
        compiler.Start();
        foreach (var w in workers) w.Join();
        Volatile.Write(ref done, true);
        collector.Join();
        compiler.Join();
        foreach (var row in sessions) foreach (var s in row) s.Dispose();
        output.WriteLine($"{threads} threads, {runs} runs, {collections} collections, {failures} wrong; set-up {setup:F1} s, loop {clock.Elapsed.TotalSeconds - setup:F1} s");
        foreach (var e in errors.Take(5)) output.WriteLine(e);
        Assert.True(failures == 0, $"{failures} of {runs} concurrent runs were wrong; first: {errors.FirstOrDefault()}");
        Assert.True(runs >= threads * MinRunsPerThread, $"The loop made {runs} runs, too few to mean anything.");
    }

    /// <summary>
    /// The mechanism behind the sporadic zeros, made deterministic: ILGPU's <c>CopyToCPU(ref T, length)</c> turns the
    /// managed reference into a raw pointer before it registers a temporary buffer with the accelerator (under the
    /// accelerator's lock, which a kernel compile holds for a long time); a compacting collection in between moves the
    /// host array and the copy then writes to where it used to be. The test holds that lock (ILGPU 1.5.3's private
    /// <c>syncRoot</c>), lets a run reach its download, collects, and releases: the result must still be right.
    /// </summary>
    [SkippableFact]
    public void ADownloadSurvivesACollectionWhileTheAcceleratorLockIsHeld()
    {
        var device = GpuDevices.TryGet(GpuDeviceKind.Cpu);
        Skip.If(device is null, "No ILGPU CPU accelerator.");
        var syncRoot = typeof(ILGPU.Runtime.Accelerator)
            .GetField("syncRoot", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)?.GetValue(device!.Accelerator);
        Skip.If(syncRoot is null, "This ILGPU version has no Accelerator.syncRoot field to hold.");

        // A view of a weight uploaded at creation, reshaped by a shape read on the host: a run launches no kernel and
        // copies nothing up, so the only place it can block is the lock its download takes.
        var g = new GpuTestGraph().Const("c", GpuTestGraph.Random(31, [4, 64], 1f, 5f))
            .Input("shape", new Tensor<long>([16, 16], [2])).Node("Reshape", ["c", "shape"], ["y"]).Output("y");
        using var gpu = new GraphSession(g.Load(), new SessionOptions { Backend = ExecutionBackend.IlgpuCpu, CpuFallback = false, IntraOpThreads = 1 });
        Assert.All(Assert.IsType<GpuGraphRunner>(gpu.Backend).Assignment, a => Assert.True(a.OnGpu));
        var expected = ((Tensor<float>)GpuTestGraph.Random(31, [4, 64], 1f, 5f).Reshape([16, 16]));
        gpu.Run(g.Feeds);   // warm-up

        for (int attempt = 0; attempt < 3; attempt++)
        {
            Tensor<float>? actual = null;
            Exception? error = null;
            var worker = new Thread(() =>
            {
                try { actual = gpu.Run(g.Feeds)[0].Value!.AsTensor().As<float>(); }
                catch (Exception e) { error = e; }
            });
            lock (syncRoot!)
            {
                worker.Start();
                // Wait until the worker blocks on the lock (inside the download), then move the young objects.
                var sw = System.Diagnostics.Stopwatch.StartNew();
                while ((worker.ThreadState & ThreadState.WaitSleepJoin) == 0 && sw.ElapsedMilliseconds < 20_000) Thread.Sleep(1);
                Assert.True((worker.ThreadState & ThreadState.WaitSleepJoin) != 0, "The run never waited on the accelerator's lock.");
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            }
            worker.Join();
            Assert.Null(error);
            Assert.Null(Mismatch(expected, actual!));
        }
    }

    /// <summary>A kernel the stress loop compiles again and again (never launched).</summary>
    private static void FillKernel(ILGPU.ArrayView<float> v) => v[ILGPU.Grid.GlobalIndex.X] = 1f;

    private static string? Mismatch(Tensor<float> e, Tensor<float> a)
    {
        if (!e.Shape.SequenceEqual(a.Shape)) return $"shape {ShapeUtil.Format(a.Shape)} vs {ShapeUtil.Format(e.Shape)}";
        var es = e.Span;
        var as_ = a.Span;
        for (int i = 0; i < es.Length; i++)
        {
            if (float.IsNaN(es[i]) && float.IsNaN(as_[i])) continue;
            if (Math.Abs(as_[i] - es[i]) > 1e-5 + 1e-3 * Math.Abs(es[i])) return $"[{i}] GPU {as_[i]} vs CPU {es[i]}";
        }
        return null;
    }
}
