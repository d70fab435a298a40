using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Kernels.Gpu.Gemm;
using NativeInfer.Kernels.Gpu.Runtime;

namespace NativeInfer.Cli.Commands;

/// <summary>
/// <c>nativeinfer gpu-gemm [--backend cuda|opencl|ilgpu-cpu] [--size N] [--iters N]</c>: times the GPU SGEMM on N×N×N
/// (default 4096 on a GPU, 256 on ILGPU's CPU simulator) and prints TFLOP/s (median of the timed launches, each
/// synchronized) and the largest relative deviation of sampled entries from a double-precision reference.
/// </summary>
public static class GpuGemmCommand
{
    public static int Execute(CliArgs args)
    {
        var kind = args.Option("--backend") switch
        {
            null or "cuda" => GpuDeviceKind.Cuda,
            "opencl" => GpuDeviceKind.OpenCL,
            "ilgpu-cpu" => GpuDeviceKind.Cpu,
            var other => throw new CliUsageException($"--backend expects cuda, opencl or ilgpu-cpu, got '{other}'."),
        };
        var device = GpuDevices.Get(kind);
        int n = args.IntOption("--size", kind == GpuDeviceKind.Cpu ? 256 : 4096);
        int iters = Math.Max(1, args.IntOption("--iters", kind == GpuDeviceKind.Cpu ? 2 : 20));
        if (n < 1 || (long)n * n > int.MaxValue / 4) throw new CliUsageException("--size must be between 1 and 23170.");
        var rng = new Random(42);
        var a = new float[n * n];
        var b = new float[n * n];
        for (int i = 0; i < a.Length; i++) { a[i] = rng.NextSingle() - 0.5f; b[i] = rng.NextSingle() - 0.5f; }
        var acc = device.Accelerator;
        using var da = acc.Allocate1D(a);
        using var db = acc.Allocate1D(b);
        using var dc = acc.Allocate1D<float>((long)n * n);
        using var stream = acc.CreateStream();
        var p = GemmParams.Create(n, n, n);
        GpuGemm.Run(device, stream, da.View, db.View, dc.View, dc.View, dc.View, p);   // compile + warm up
        stream.Synchronize();
        var times = new double[iters];
        for (int it = 0; it < iters; it++)
        {
            var sw = Stopwatch.StartNew();
            GpuGemm.Run(device, stream, da.View, db.View, dc.View, dc.View, dc.View, p);
            stream.Synchronize();
            times[it] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        double median = times[iters / 2];
        var c = dc.GetAsArray1D();
        double worst = 0;
        for (int s = 0; s < 64; s++)
        {
            int i = rng.Next(n), j = rng.Next(n);
            double dot = 0, mag = 0;
            for (int q = 0; q < n; q++) { dot += (double)a[i * n + q] * b[q * n + j]; mag += Math.Abs((double)a[i * n + q] * b[q * n + j]); }
            worst = Math.Max(worst, Math.Abs(c[(long)i * n + j] - dot) / Math.Max(mag, 1e-30));
        }
        Console.WriteLine($"device: {device.Description}");
        Console.WriteLine($"GEMM {n}x{n}x{n} FP32: median {median * 1e3:F3} ms over {iters} runs, {2.0 * n * n * n / median / 1e12:F3} TFLOP/s"
            + (kind == GpuDeviceKind.Cpu ? " (ILGPU CPU simulator: not a speed)" : ""));
        Console.WriteLine($"max deviation of 64 sampled entries from a float64 reference: {worst:E2} (relative to Σ|a·b|)");
        return 0;
    }
}
