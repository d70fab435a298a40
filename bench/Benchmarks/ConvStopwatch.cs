using System.Diagnostics;

namespace NativeInfer.Bench.Benchmarks;

/// <summary>
/// <c>dotnet run --project bench -c Release -- conv [seconds]</c>: the <see cref="ConvBenchmarks"/> cases timed with a
/// Stopwatch: the default route, the im2col route and the unfused baseline alternating in one process (so machine noise
/// hits all alike); prints medians, GFLOP/s at the median and the median ratios.
/// </summary>
public static class ConvStopwatch
{
    public static int Run(string[] args)
    {
        double seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 3;
        foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            foreach (var shape in ConvBenchmarks.Shapes)
            {
                var b = new ConvBenchmarks { Shape = shape, Threads = threads };
                b.Setup();
                for (int i = 0; i < 3; i++) { b.Packed(); b.Im2ColRoute(); b.Im2ColThenGemm(); }
                var packed = new List<double>();
                var route = new List<double>();
                var baseline = new List<double>();
                var total = Stopwatch.StartNew();
                while (total.Elapsed.TotalSeconds < seconds || packed.Count < 5)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    b.Packed();
                    long t1 = Stopwatch.GetTimestamp();
                    b.Im2ColRoute();
                    long t2 = Stopwatch.GetTimestamp();
                    b.Im2ColThenGemm();
                    long t3 = Stopwatch.GetTimestamp();
                    packed.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                    route.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                    baseline.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                }
                double mp = Median(packed), mr = Median(route), mb = Median(baseline);
                Console.WriteLine($"{threads}T {shape.Name,-20} auto {mp,8:F3} ms (min {packed.Min(),7:F3}, {shape.Flops / mp / 1e6,6:F1} GFLOP/s)   " +
                    $"im2col route {mr,8:F3} ms ({shape.Flops / mr / 1e6,6:F1} GFLOP/s)   unfused im2col+gemm {mb,8:F3} ms   " +
                    $"auto/im2col {mp / mr:F2}   auto/unfused {mp / mb:F2}   n={packed.Count}");
            }
        return 0;
    }

    private static double Median(List<double> v)
    {
        var sorted = v.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
