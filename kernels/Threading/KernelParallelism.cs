namespace NativeInfer.Kernels.Threading;

/// <summary>
/// How many threads a kernel may use, set per run by the session (SessionOptions.IntraOpThreads) and read by kernels
/// through <see cref="For"/>. One thread runs the loop inline, with no task scheduling at all.
/// </summary>
public static class KernelParallelism
{
    private static readonly AsyncLocal<int> s_maxDegree = new();

    /// <summary>The thread budget in force for the current run (default: one per core).</summary>
    public static int MaxDegree => s_maxDegree.Value > 0 ? s_maxDegree.Value : Environment.ProcessorCount;

    /// <summary>Sets the thread budget for the current async flow until the result is disposed.</summary>
    public static IDisposable Push(int threads)
    {
        int previous = s_maxDegree.Value;
        s_maxDegree.Value = threads;
        return new Restore(previous);
    }

    /// <summary>Parallel loop over [from, to) within the budget.</summary>
    public static void For(int from, int to, Action<int> body)
    {
        int degree = MaxDegree;
        if (degree <= 1 || to - from <= 1)
        {
            for (int i = from; i < to; i++) body(i);
            return;
        }
        Parallel.For(from, to, new ParallelOptions { MaxDegreeOfParallelism = degree }, body);
    }

    private sealed class Restore(int previous) : IDisposable
    {
        public void Dispose() => s_maxDegree.Value = previous;
    }
}
