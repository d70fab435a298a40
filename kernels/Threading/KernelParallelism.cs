using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Threading;

/// <summary>
/// Parallel loops for kernels. A loop runs on the <see cref="WorkerPool"/> in force for the current run (the session
/// installs its own with <see cref="Use"/>), else on a process-wide default pool (one thread per core, or the degree
/// given to <see cref="Push"/>). With one thread, inside another loop's body, or while the pool is busy with another
/// thread's loop, the loop runs inline on the calling thread.
/// </summary>
public static class KernelParallelism
{
    private static readonly AsyncLocal<WorkerPool?> s_pool = new();
    private static readonly Dictionary<int, WorkerPool> s_defaultPools = new();

    /// <summary>
    /// Threads a loop started here may use: the pool's degree, or 1 inside a parallel loop's body (nested loops run
    /// inline).
    /// </summary>
    public static int MaxDegree => WorkerPool.InParallelRegion ? 1 : CurrentPool.Degree;

    /// <summary>The pool loops started on this async flow run on.</summary>
    public static WorkerPool CurrentPool => s_pool.Value ?? DefaultPool(Environment.ProcessorCount);

    /// <summary>The shared process-wide pool of the given degree (created on first use, never disposed).</summary>
    public static WorkerPool DefaultPool(int degree)
    {
        degree = Math.Clamp(degree, 1, WorkerPool.MaxDegreeAllowed);
        lock (s_defaultPools)
        {
            if (!s_defaultPools.TryGetValue(degree, out var pool))
                s_defaultPools[degree] = pool = new WorkerPool(degree);
            return pool;
        }
    }

    /// <summary>Runs this async flow's loops on a shared pool of <paramref name="threads"/> threads until disposed.</summary>
    public static IDisposable Push(int threads) => Use(DefaultPool(threads > 0 ? threads : Environment.ProcessorCount));

    /// <summary>Runs this async flow's loops on <paramref name="pool"/> until the result is disposed.</summary>
    public static PoolScope Use(WorkerPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var previous = s_pool.Value;
        s_pool.Value = pool;
        return new PoolScope(previous);
    }

    /// <summary>Parallel loop over [from, to). The delegate is shared by all threads.</summary>
    public static void For(int from, int to, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var b = new ActionBody(body);
        For(from, to, ref b);
    }

    /// <summary>Allocation-free parallel loop over [from, to): see <see cref="WorkerPool.For{TBody}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void For<TBody>(int from, int to, ref TBody body) where TBody : struct, IParallelBody
    {
        if (to - (long)from <= 1 || WorkerPool.InParallelRegion)
        {
            for (int i = from; i < to; i++) body.Invoke(i);
            return;
        }
        CurrentPool.For(from, to, ref body);
    }

    private readonly struct ActionBody(Action<int> action) : IParallelBody
    {
        public void Invoke(int index) => action(index);
    }

    /// <summary>Restores the previous pool when disposed.</summary>
    public readonly struct PoolScope : IDisposable
    {
        private readonly WorkerPool? _previous;
        internal PoolScope(WorkerPool? previous) => _previous = previous;
        public void Dispose() => s_pool.Value = _previous;
    }
}
