using BenchmarkDotNet.Attributes;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Bench.Benchmarks;

/// <summary>
/// Cost of one parallel loop with 2 threads: NativeInfer's <see cref="WorkerPool"/> (both overloads) against
/// <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> and a plain loop, for an empty body (pure
/// dispatch overhead) and a ~1 µs body per iteration.
/// <c>dotnet run --project bench -c Release -- --filter *ThreadingBenchmarks*</c>
/// </summary>
[MemoryDiagnoser]
public class ThreadingBenchmarks
{
    private WorkerPool _pool = null!;
    private readonly ParallelOptions _parallel = new() { MaxDegreeOfParallelism = 2 };
    private readonly double[] _sink = new double[64];
    private Action<int> _action = null!;

    [Params(2, 64)] public int Iterations;

    /// <summary>Work per iteration: 0 = empty body, else that many dependent square roots (~4 ns each).</summary>
    [Params(0, 256)] public int Work;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new WorkerPool(2);
        _action = Body;
        KernelParallelism.Use(_pool); // stays in force on this thread: BenchmarkDotNet runs the benchmark where it ran setup
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    private void Body(int i)
    {
        double x = i + 1;
        for (int k = 0; k < Work; k++) x = Math.Sqrt(x + k);
        _sink[i & 63] = x;
    }

    private struct WorkBody(ThreadingBenchmarks owner) : IParallelBody
    {
        public void Invoke(int index) => owner.Body(index);
    }

    [Benchmark(Baseline = true)]
    public void Inline()
    {
        for (int i = 0; i < Iterations; i++) Body(i);
    }

    [Benchmark]
    public void ParallelFor() => Parallel.For(0, Iterations, _parallel, _action);

    [Benchmark]
    public void PoolForAction()
    {
        if (!ReferenceEquals(KernelParallelism.CurrentPool, _pool)) throw new InvalidOperationException("pool not in force");
        KernelParallelism.For(0, Iterations, _action);
    }

    [Benchmark]
    public void PoolForStruct()
    {
        var body = new WorkBody(this);
        _pool.For(0, Iterations, ref body);
    }
}
