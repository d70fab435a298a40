using System.Diagnostics;

namespace NativeInfer.Onnx.Benchmarking;

/// <summary>What <see cref="LatencyMeter.Measure"/> saw: latency statistics, warm-up runs done, and the managed bytes
/// allocated per timed run (all threads, <see cref="GC.GetTotalAllocatedBytes(bool)"/>).</summary>
public sealed record LatencyMeasurement(LatencyStatistics Latency, int WarmupRuns, long AllocatedBytesPerRun, bool StoppedByBudget);

/// <summary>
/// Times a run delegate: <c>warmup</c> untimed runs, then up to <c>iterations</c> timed runs, each timed alone with a
/// <see cref="Stopwatch"/>. With a time budget, stops early once the timed runs have used it (at least one timed run
/// always happens), so slow models stay bounded. <c>beforeTimedRuns</c>, when given, is called once between the warm-up
/// and the timed runs (e.g. to start a profiler that should see only the timed runs).
/// </summary>
public static class LatencyMeter
{
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iterations"/> &lt; 1 or <paramref name="warmup"/> &lt; 0.</exception>
    public static LatencyMeasurement Measure(Action run, int warmup, int iterations, TimeSpan? budget = null, Action? beforeTimedRuns = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        var total = Stopwatch.StartNew();
        int warmed = 0;
        for (; warmed < warmup; warmed++)
        {
            if (budget is { } b && warmed > 0 && total.Elapsed > b / 4) break; // warm-up takes at most a quarter
            run();
        }
        beforeTimedRuns?.Invoke();
        var samples = new List<double>(iterations);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var timed = Stopwatch.StartNew();
        bool stopped = false;
        var sw = new Stopwatch();
        for (int i = 0; i < iterations; i++)
        {
            if (budget is { } b && i > 0 && timed.Elapsed > b) { stopped = true; break; }
            sw.Restart();
            run();
            sw.Stop();
            samples.Add(sw.Elapsed.TotalMilliseconds);
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new LatencyMeasurement(LatencyStatistics.From(samples), warmed, allocated / samples.Count, stopped);
    }
}
