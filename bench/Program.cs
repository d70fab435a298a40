using BenchmarkDotNet.Running;

namespace NativeInfer.Bench;

/// <summary>
/// <c>dotnet run --project bench -c Release -- peak</c> measures the machine's FP32 peak;
/// any other arguments go to BenchmarkDotNet (e.g. <c>--filter *Sgemm*</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "peak")
        {
            var d = TimeSpan.FromSeconds(2);
            Console.WriteLine($"FP32 FMA peak, 1 thread:  {MachinePeak.MeasureGflops(1, d):F1} GFLOP/s");
            Console.WriteLine($"FP32 FMA peak, {Environment.ProcessorCount} threads: {MachinePeak.MeasureGflops(Environment.ProcessorCount, d):F1} GFLOP/s");
            return 0;
        }
        if (args.Length > 0 && args[0] == "tensorops") return TensorOpsTimings.Run(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
