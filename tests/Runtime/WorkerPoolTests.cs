using NativeInfer.Kernels.Threading;
using Xunit;

namespace NativeInfer.Tests.Runtime;

public class WorkerPoolTests
{
    private struct CountingBody(int[] hits, int from) : IParallelBody
    {
        public void Invoke(int index) => Interlocked.Increment(ref hits[index - from]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(8)]
    public void EveryIterationRunsExactlyOnce(int degree)
    {
        using var pool = new WorkerPool(degree);
        foreach (int from in new[] { 0, -7, 1000 })
            for (int count = 0; count <= 70; count++)
            {
                var hits = new int[count];
                var body = new CountingBody(hits, from);
                pool.For(from, from + count, ref body);
                Assert.All(hits, h => Assert.Equal(1, h));
            }
        // A long loop exercises chunked claiming with several chunks per thread.
        var many = new int[100_003];
        var b = new CountingBody(many, 0);
        pool.For(0, many.Length, ref b);
        Assert.All(many, h => Assert.Equal(1, h));
    }

    /// <summary>
    /// Holds (a session run's) nest by count and come from several threads; loops stay exact while workers that had
    /// blocked are woken by a hold and poll; disposing a held pool, and releasing after that, neither hang nor throw.
    /// </summary>
    [Fact]
    public void HoldsNestAcrossThreadsAndLoopsStayExact()
    {
        var pool = new WorkerPool(3);
        var warm = new int[64];
        var wb = new CountingBody(warm, 0);
        pool.For(0, warm.Length, ref wb);
        Thread.Sleep(20); // the workers have blocked by now
        using (pool.Hold())
        {
            var tasks = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
            {
                using var inner = pool.Hold();
                for (int round = 0; round < 50; round++)
                {
                    var hits = new int[97];
                    var body = new CountingBody(hits, 0);
                    pool.For(0, hits.Length, ref body); // inline when another thread's loop holds the pool
                    Assert.All(hits, h => Assert.Equal(1, h));
                    if (round % 10 == 0) Thread.Sleep(1);
                }
            })).ToArray();
            Task.WaitAll(tasks);
        }
        var held = pool.Hold();
        pool.Dispose();
        held.Dispose();
        var after = new int[10];
        var ab = new CountingBody(after, 0);
        pool.For(0, after.Length, ref ab); // inline after disposal
        Assert.All(after, h => Assert.Equal(1, h));
        default(WorkerPool.HoldScope).Dispose();
    }

    [Fact]
    public void ActionOverloadCoversTheRangeOnTheSessionPool()
    {
        using var pool = new WorkerPool(2);
        using var _ = KernelParallelism.Use(pool);
        Assert.Same(pool, KernelParallelism.CurrentPool);
        Assert.Equal(2, KernelParallelism.MaxDegree);
        for (int count = 0; count < 40; count++)
        {
            var hits = new int[count];
            KernelParallelism.For(0, count, i => Interlocked.Increment(ref hits[i]));
            Assert.All(hits, h => Assert.Equal(1, h));
        }
        Assert.Throws<ArgumentNullException>(() => KernelParallelism.For(0, 4, null!));
    }

    [Fact]
    public void PushSelectsADefaultPoolOfThatDegreeAndRestores()
    {
        var before = KernelParallelism.CurrentPool;
        using (KernelParallelism.Push(3))
        {
            Assert.Equal(3, KernelParallelism.MaxDegree);
            Assert.Same(KernelParallelism.DefaultPool(3), KernelParallelism.CurrentPool);
        }
        Assert.Same(before, KernelParallelism.CurrentPool);
    }

    [Fact]
    public void TwoIterationsRunConcurrentlyOnTwoThreads()
    {
        using var pool = new WorkerPool(2);
        using var barrier = new Barrier(2);
        var met = new bool[2];
        var threads = new int[2];
        KernelParallelismFor(pool, 0, 2, i =>
        {
            threads[i] = Environment.CurrentManagedThreadId;
            met[i] = barrier.SignalAndWait(TimeSpan.FromSeconds(20));
        });
        Assert.True(met[0] && met[1], "the two iterations did not run at the same time");
        Assert.NotEqual(threads[0], threads[1]);
    }

    [Fact]
    public void NestedLoopsRunInlineWithDegreeOne()
    {
        using var pool = new WorkerPool(2);
        using var _ = KernelParallelism.Use(pool);
        var inner = new int[16 * 16];
        var degrees = new int[16];
        KernelParallelism.For(0, 16, i =>
        {
            degrees[i] = KernelParallelism.MaxDegree;
            int thread = Environment.CurrentManagedThreadId;
            KernelParallelism.For(0, 16, j =>
            {
                Assert.Equal(thread, Environment.CurrentManagedThreadId);
                Interlocked.Increment(ref inner[i * 16 + j]);
            });
        });
        Assert.All(inner, h => Assert.Equal(1, h));
        Assert.All(degrees, d => Assert.Equal(1, d));
    }

    [Fact]
    public void ConcurrentCallersOnOnePoolAllComplete()
    {
        using var pool = new WorkerPool(3);
        const int callers = 4, rounds = 300, n = 37;
        var failures = 0;
        var tasks = Enumerable.Range(0, callers).Select(_ => Task.Factory.StartNew(() =>
        {
            for (int r = 0; r < rounds; r++)
            {
                var hits = new int[n];
                var body = new CountingBody(hits, 0);
                pool.For(0, n, ref body);
                if (hits.Any(h => h != 1)) Interlocked.Increment(ref failures);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(Task.WaitAll(tasks, TimeSpan.FromSeconds(60)), "concurrent loops did not finish");
        Assert.Equal(0, failures);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    public void AnExceptionInABodyReachesTheCallerAndThePoolStaysUsable(int failing)
    {
        using var pool = new WorkerPool(2);
        for (int round = 0; round < 20; round++)
        {
            var e = Assert.Throws<InvalidOperationException>(() => KernelParallelismFor(pool, 0, 64, i =>
            {
                if (i == failing) throw new InvalidOperationException($"iteration {i} failed");
                Thread.SpinWait(100);
            }));
            Assert.Equal($"iteration {failing} failed", e.Message);
        }
        var hits = new int[64];
        var body = new CountingBody(hits, 0);
        pool.For(0, 64, ref body);
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    private struct SummingBody(long[] partial) : IParallelBody
    {
        public int Calls;
        public void Invoke(int index)
        {
            Interlocked.Add(ref partial[0], index);
            Interlocked.Increment(ref Calls);
        }
    }

    [Fact]
    public void StructBodyIsSharedAndCopiedBack()
    {
        using var pool = new WorkerPool(2);
        var partial = new long[1];
        var body = new SummingBody(partial);
        pool.For(0, 1000, ref body);
        Assert.Equal(999L * 1000 / 2, partial[0]);
        Assert.Equal(1000, body.Calls);
    }

    [Fact]
    public void DisposedPoolRunsLoopsInline()
    {
        var pool = new WorkerPool(4);
        var hits = new int[50];
        var body = new CountingBody(hits, 0);
        pool.For(0, 50, ref body);
        pool.Dispose();
        Assert.True(pool.IsDisposed);
        int caller = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        KernelParallelismFor(pool, 0, 50, i => { lock (threads) threads.Add(Environment.CurrentManagedThreadId); });
        Assert.Equal([caller], threads);
        pool.Dispose();
    }

    [Fact]
    public void RejectsBadDegreesAndRanges()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(WorkerPool.MaxDegreeAllowed + 1));
        using var pool = new WorkerPool(2);
        var body = new CountingBody(new int[1], 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.For(int.MinValue, int.MaxValue, ref body));
        pool.For(5, 2, ref body); // empty: nothing runs
    }

    internal static void KernelParallelismFor(WorkerPool pool, int from, int to, Action<int> body)
    {
        using var _ = KernelParallelism.Use(pool);
        KernelParallelism.For(from, to, body);
    }
}

/// <summary>Reads per-thread CPU time, so it runs alone (no other test's loops meanwhile).</summary>
[CollectionDefinition(nameof(ThreadCpuCollection), DisableParallelization = true)]
public class ThreadCpuCollection;

[Collection(nameof(ThreadCpuCollection))]
public class WorkerPoolIdleTests
{
    [SkippableFact]
    public void IdleWorkersUseNoCpu()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "reads per-thread CPU time from /proc");
        const string name = "NIidletest";
        using var pool = new WorkerPool(4, name);
        var sink = new double[4096];
        for (int r = 0; r < 200; r++)
            WorkerPoolTests.KernelParallelismFor(pool, 0, sink.Length, i => sink[i] = Math.Sqrt(i + r));
        Thread.Sleep(100); // far beyond the workers' spin window

        var before = WorkerTicks(name);
        Assert.Equal(3, before.Count); // the three workers, found by name
        Thread.Sleep(600);
        var after = WorkerTicks(name);
        long used = before.Sum(kv => after[kv.Key] - kv.Value);
        // A spinning worker burns ~60 ticks (10 ms each) in 600 ms; a blocked one none. One tick of slack per worker
        // covers a tick boundary being crossed by wake-up bookkeeping.
        Assert.True(used <= 3, $"idle workers used {used} clock ticks of CPU in 600 ms");
    }

    /// <summary>utime + stime (clock ticks) of this process's threads whose name starts with <paramref name="prefix"/>.</summary>
    private static Dictionary<string, long> WorkerTicks(string prefix)
    {
        var result = new Dictionary<string, long>();
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(prefix, StringComparison.Ordinal)) continue;
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from 3 (state) on
                result[Path.GetFileName(task)] = long.Parse(fields[11]) + long.Parse(fields[12]); // utime (14), stime (15)
            }
            catch (IOException) { } // the thread ended meanwhile
        }
        return result;
    }
}
