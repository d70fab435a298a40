using BenchmarkDotNet.Attributes;

namespace NativeInfer.Bench.Benchmarks;

/// <summary>
/// The peak probe as a BenchmarkDotNet benchmark: a check of the FLOP columns themselves, which should read close to
/// 100% of the 1-thread peak at Threads = 1 and of the all-core peak at Threads = all cores.
/// </summary>
public class PeakFmaBenchmark : IFlopCounted
{
    private const int Iterations = 1 << 16;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; } = 1;

    public static IEnumerable<int> ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    public double Flops => MachinePeak.ChainsFlops(Iterations) * Threads;

    [Benchmark]
    public void FmaChains()
    {
        if (Threads == 1) { MachinePeak.Chains(Iterations); return; }
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ => MachinePeak.Chains(Iterations));
    }
}
