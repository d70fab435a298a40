using System.Diagnostics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Bench.Benchmarks;

/// <summary>
/// A quick SGEMM harness for tuning on a shared machine (<c>dotnet run --project bench -c Release -- sgemm [options]
/// [MxNxK[:packedb|:packeda] ...]</c>; options <c>--threads 1,2</c>, <c>--isa Avx512|Avx2|Vector128|Scalar</c>,
/// <c>--samples N</c>). Each sample times a batch of calls and then the FMA peak loop on the same threads for as long:
/// the reported ratio (median over samples of GEMM GFLOP/s ÷ peak GFLOP/s measured right after it) cancels most of
/// the load other processes put on the cores, which plain GFLOP/s (median and best, also printed) do not.
/// </summary>
public static class SgemmStopwatch
{
    private static readonly string[] DefaultShapes =
    [
        "64x64x64", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
        "1x1000x2048:packedb", "1x3072x768:packedb", "49x512x4608:packedb", "49x2048x512:packedb",
    ];

    public static int Run(string[] args)
    {
        int[] threads = [1, Environment.ProcessorCount];
        var isa = SgemmKernel.Default.Isa;
        int samples = 15;
        var shapes = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threads = args[++i].Split(',').Select(int.Parse).ToArray(); break;
                case "--isa": isa = Enum.Parse<SgemmIsa>(args[++i], ignoreCase: true); break;
                case "--samples": samples = int.Parse(args[++i]); break;
                default: shapes.Add(args[i]); break;
            }
        }
        if (shapes.Count == 0) shapes.AddRange(DefaultShapes);
        var kernel = SgemmKernel.For(isa);
        Console.WriteLine($"SGEMM {isa} (MR×NR = {kernel.PanelHeight}×{kernel.PanelWidth}), {samples} samples per case");
        foreach (int t in threads)
            foreach (var shape in shapes)
                Measure(kernel, shape, t, samples);
        return 0;
    }

    private static void Measure(SgemmKernel kernel, string shape, int threads, int samples)
    {
        var parts = shape.Split(':');
        var dims = parts[0].Split('x').Select(int.Parse).ToArray();
        int m = dims[0], n = dims[1], k = dims[2];
        string route = parts.Length > 1 ? parts[1] : "plain";
        var rng = new Random(1);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var c = new float[m * n];
        Action call = route switch
        {
            "packedb" => PackedB(kernel, m, n, k, a, b, c),
            "packeda" => PackedA(kernel, m, n, k, a, b, c),
            _ => () => kernel.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n),
        };
        using var _ = KernelParallelism.Push(threads);
        double flop = 2.0 * m * n * k;
        var sw = Stopwatch.StartNew();
        int warm = 0;
        while (sw.Elapsed.TotalSeconds < 0.2 || warm < 3) { call(); warm++; }
        // A batch lasts ≥ 20 ms so that the timer and the peak loop's start-up are negligible.
        int batch = Math.Max(1, (int)Math.Ceiling(0.02 / (sw.Elapsed.TotalSeconds / warm)));
        var rates = new List<double>();
        var ratios = new List<double>();
        for (int s = 0; s < samples; s++)
        {
            sw.Restart();
            for (int i = 0; i < batch; i++) call();
            double seconds = sw.Elapsed.TotalSeconds;
            double rate = flop * batch / seconds / 1e9;
            rates.Add(rate);
            ratios.Add(rate / MachinePeak.MeasureGflops(threads, TimeSpan.FromSeconds(seconds)));
        }
        rates.Sort();
        ratios.Sort();
        Console.WriteLine($"  {threads}T {shape,-22} median {rates[rates.Count / 2],7:F1} GFLOP/s  best {rates[^1],7:F1}  " +
                          $"median ratio to peak {ratios[ratios.Count / 2],6:P1}");
    }

    private static Action PackedB(SgemmKernel kernel, int m, int n, int k, float[] a, float[] b, float[] c)
    {
        var packed = kernel.PackB(false, k, n, b, n);
        return () => kernel.Multiply(false, m, 1f, a, k, packed, 0f, c, n);
    }

    private static Action PackedA(SgemmKernel kernel, int m, int n, int k, float[] a, float[] b, float[] c)
    {
        var packed = kernel.PackA(false, m, k, a, k);
        return () => kernel.Multiply(packed, false, n, 1f, b, n, 0f, c, n);
    }
}
