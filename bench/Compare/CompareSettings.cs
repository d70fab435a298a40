namespace NativeInfer.Bench.Compare;

/// <summary>How compare measures: thread count for both engines, timed iterations (each engine), warm-up runs
/// (each engine), the time budget after which a model's timed loop stops early, the input seed, <c>--dim</c> specs,
/// whether to measure peak memory in child processes (runs per probe), and NativeInfer's optimization level.</summary>
public sealed record CompareSettings(
    int Threads = 2,
    int Iterations = 20,
    int Warmup = 3,
    double BudgetSeconds = 20,
    int Seed = Onnx.Benchmarking.BenchmarkInputs.DefaultSeed,
    IReadOnlyList<string>? Dims = null,
    bool MeasureMemory = true,
    int ProbeRuns = 1,
    Session.GraphOptimizationLevel Level = Session.GraphOptimizationLevel.All)
{
    public TimeSpan Budget => TimeSpan.FromSeconds(BudgetSeconds);
}
