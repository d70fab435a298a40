using System.Diagnostics;

namespace NativeInfer.Bench.Benchmarks;

/// <summary>
/// <c>dotnet run --project bench -c Release -- conv [seconds] [name filter]</c>: the <see cref="ConvBenchmarks"/> cases timed with a
/// Stopwatch: the default route, the im2col route and the unfused baseline alternating in one process (so machine noise
/// hits all alike); prints medians, GFLOP/s at the median and the median ratios. On one thread it also prints the
/// calling thread's CPU time (Linux), which a neighbour taking the core does not inflate the way it inflates wall time.
/// </summary>
public static class ConvStopwatch
{
    public static int Run(string[] args)
    {
        double seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 3;
        string filter = args.Length > 1 ? args[1] : "";
        foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            foreach (var shape in ConvBenchmarks.Shapes.Where(s => s.Name.Contains(filter, StringComparison.Ordinal)))
            {
                var b = new ConvBenchmarks { Shape = shape, Threads = threads };
                b.Setup();
                for (int i = 0; i < 3; i++) { b.Packed(); b.Im2ColRoute(); b.Im2ColThenGemm(); }
                var packed = new List<double>();
                var route = new List<double>();
                var baseline = new List<double>();
                var packedCpu = new List<double>();
                var routeCpu = new List<double>();
                var total = Stopwatch.StartNew();
                while (total.Elapsed.TotalSeconds < seconds || packed.Count < 5)
                {
                    double c0 = ThreadCpu.Milliseconds();
                    long t0 = Stopwatch.GetTimestamp();
                    b.Packed();
                    long t1 = Stopwatch.GetTimestamp();
                    double c1 = ThreadCpu.Milliseconds();
                    b.Im2ColRoute();
                    long t2 = Stopwatch.GetTimestamp();
                    double c2 = ThreadCpu.Milliseconds();
                    packedCpu.Add(c1 - c0);
                    routeCpu.Add(c2 - c1);
                    b.Im2ColThenGemm();
                    long t3 = Stopwatch.GetTimestamp();
                    packed.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                    route.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                    baseline.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                }
                double mp = Median(packed), mr = Median(route), mb = Median(baseline);
                Console.WriteLine($"{threads}T {shape.Name,-20} auto {mp,8:F3} ms (min {packed.Min(),7:F3}, {shape.Flops / mp / 1e6,6:F1} GFLOP/s)   " +
                    $"im2col route {mr,8:F3} ms ({shape.Flops / mr / 1e6,6:F1} GFLOP/s)   unfused im2col+gemm {mb,8:F3} ms   " +
                    $"auto/im2col {mp / mr:F2}   auto/unfused {mp / mb:F2}   n={packed.Count}" +
                    (threads == 1 && ThreadCpu.IsAvailable
                        ? $"   cpu: auto {Median(packedCpu):F3} ms ({shape.Flops / Median(packedCpu) / 1e6:F1} GFLOP/s), im2col {Median(routeCpu):F3} ms"
                        : ""));
            }
        return 0;
    }

    private static double Median(List<double> v)
    {
        var sorted = v.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

/// <summary>The calling thread's CPU time (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>); bench only.</summary>
internal static unsafe class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, long* timespec);

    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && Probe();

    private static bool Probe()
    {
        try { return Read() >= 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>CPU milliseconds of the calling thread, or 0 where unavailable.</summary>
    public static double Milliseconds() => IsAvailable ? Read() : 0;

    private static double Read()
    {
        long* ts = stackalloc long[2];
        return ClockGetTime(ClockThreadCpuTime, ts) == 0 ? ts[0] * 1e3 + ts[1] / 1e6 : 0;
    }
}
