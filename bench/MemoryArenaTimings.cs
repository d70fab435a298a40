using System.Diagnostics;
using NativeInfer.Onnx.Benchmarking;
using NativeInfer.Session;

namespace NativeInfer.Bench;

/// <summary>
/// <c>dotnet run --project bench -c Release -- memory-arena [suite-light-dir] [threads] [iters]</c>: a Stopwatch harness
/// timing Session.Run of each light model with memory planning on (node outputs in the planned arena) and off (buffer
/// pool only), two sessions in one process, runs alternating after warm-up; prints both medians and their ratio
/// (below 1: the arena is faster) and the planned peak.
/// </summary>
public static class MemoryArenaTimings
{
    public static int Run(string[] args)
    {
        string dir = args.Length > 0 ? args[0] : Path.Combine(Environment.GetEnvironmentVariable("NATIVEINFER_ONNX_TESTS") ?? "../shared/onnx-backend", "light");
        int threads = args.Length > 1 ? int.Parse(args[1]) : 2;
        int iters = args.Length > 2 ? int.Parse(args[2]) : 20;
        Console.WriteLine($"model | planning off ms | planning on ms | ratio on/off | planned peak MB (threads {threads}, {iters} alternating runs each, medians)");
        var ratios = new List<double>();
        foreach (var path in Directory.GetFiles(dir, "*.onnx").Order())
        {
            using var on = new InferenceSession(path, new SessionOptions { IntraOpThreads = threads });
            using var off = new InferenceSession(path, new SessionOptions { IntraOpThreads = threads, MemoryPlanning = false });
            var feeds = on.Model.Graph.FeedInputs.ToList();
            var inputs = BenchmarkInputs.Create(feeds, DimOverrides.Parse([]), BenchmarkInputs.DefaultSeed, on.Options.MaxTensorBytes);
            for (int i = 0; i < 3; i++) { on.Run(inputs); off.Run(inputs); }
            var tOn = new List<double>();
            var tOff = new List<double>();
            var sw = new Stopwatch();
            for (int i = 0; i < iters; i++)
            {
                for (int k = 0; k < 2; k++)
                {
                    bool onTurn = (i % 2 == 0) == (k == 0);
                    sw.Restart();
                    (onTurn ? on : off).Run(inputs);
                    sw.Stop();
                    (onTurn ? tOn : tOff).Add(sw.Elapsed.TotalMilliseconds);
                }
            }
            double mOn = Median(tOn), mOff = Median(tOff);
            ratios.Add(mOn / mOff);
            var plan = on.MemoryPlans.FirstOrDefault();
            Console.WriteLine($"{Path.GetFileNameWithoutExtension(path)} | {mOff:F2} | {mOn:F2} | {mOn / mOff:F3} | {(plan is null ? "n/a" : (plan.PlannedPeakBytes / 1048576.0).ToString("F2"))}");
        }
        if (ratios.Count > 0) Console.WriteLine($"geometric-mean ratio on/off: {Math.Exp(ratios.Average(Math.Log)):F3}");
        return 0;
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
