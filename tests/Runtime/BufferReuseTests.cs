using Google.Protobuf;
using NativeInfer.IR;
using NativeInfer.Runtime;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Runtime;

public class BufferReuseTests
{
    private static float[] Random(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
    }

    /// <summary>
    /// x [1,8,32,32] → Conv → Relu → Conv → Relu → Add(skip) → outputs: GlobalAveragePool of the sum ("y"), a Flatten
    /// view of an intermediate ("flat": its array is also a released intermediate's) and Identity of a Relu ("r1id").
    /// Every intermediate is 32 KiB, so all of them go through the buffer pool.
    /// </summary>
    private static byte[] ConvModel() => new SubgraphBuilder("main")
        .Input("x", DataType.Float, [1, 8, 32, 32])
        .Initializer("w1", new Tensor<float>(Random(8 * 8 * 9, 1), [8, 8, 3, 3]))
        .Initializer("w2", new Tensor<float>(Random(8 * 8 * 9, 2), [8, 8, 3, 3]))
        .Node("Conv", ["x", "w1"], ["c1"], Attr.Ints("pads", 1, 1, 1, 1))
        .Node("Relu", ["c1"], ["r1"])
        .Node("Conv", ["r1", "w2"], ["c2"], Attr.Ints("pads", 1, 1, 1, 1))
        .Node("Relu", ["c2"], ["r2"])
        .Node("Add", ["r2", "x"], ["s"])
        .Node("Flatten", ["c2"], ["flat"])
        .Node("Identity", ["r1"], ["r1id"])
        .Node("GlobalAveragePool", ["s"], ["y"])
        .Output("y").Output("flat").Output("r1id")
        .ToModel(17).ToByteArray();

    private static float[][] Run(InferenceSession s, float[] x) =>
        s.Run(new Dictionary<string, Value> { ["x"] = new Tensor<float>(x, [1, 8, 32, 32]) })
            .Select(kv => kv.Value!.AsTensor().As<float>().ToArray()).ToArray();

    [Fact]
    public void SecondRunAllocatesFarLessThanTheFirst()
    {
        // One thread: every allocation of the run happens on this thread, where the counter sees it.
        // ElementwiseFusion off: it would merge Relu(c2) + Add into one node, leaving fewer intermediates than counted below.
        // MemoryPlanning off: this tests the pool (the arena's counterpart is in Memory/MemoryArenaSessionTests).
        var options = new SessionOptions { IntraOpThreads = 1, DisabledPasses = { "ElementwiseFusion" }, MemoryPlanning = false };
        using var s = new InferenceSession(ConvModel(), options);
        var input = new Dictionary<string, Value> { ["x"] = new Tensor<float>(Random(8 * 1024, 3), [1, 8, 32, 32]) };
        s.Run(input); // JIT, plan building, kernel warm-up
        using var fresh = new InferenceSession(ConvModel(), options);
        long first = AllocatedBy(() => fresh.Run(input)); // a new session's first run: nothing pooled yet
        long before = GC.GetAllocatedBytesForCurrentThread();
        s.Run(input);
        long second = GC.GetAllocatedBytesForCurrentThread() - before;
        // Five 32 KiB tensors per run (c1, r1, c2, r2, s); two of them leave the run (flat views c2, r1id is r1), so
        // with reuse only those two are allocated afresh, plus small bookkeeping.
        Assert.True(first >= 4 * 32 * 1024, $"first run allocated only {first} bytes: the model is not what this test expects");
        Assert.True(second < first / 2, $"second run allocated {second} bytes, first {first}");
        Assert.True(second < 3 * 32 * 1024 + 16 * 1024, $"second run allocated {second} bytes");
    }

    private static long AllocatedBy(Action a)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        a();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ReuseGivesTheSameOutputsAsNoReuseAndNeverTouchesReturnedOutputs(int threads)
    {
        // MemoryPlanning off: this tests the pool (with the arena the pool stays empty; see Memory/MemoryArenaSessionTests).
        using var reuse = new InferenceSession(ConvModel(), new SessionOptions { IntraOpThreads = threads, MemoryPlanning = false });
        using var plain = new InferenceSession(ConvModel(), new SessionOptions { IntraOpThreads = threads, MaxPooledBufferBytes = 0 });
        var x1 = Random(8 * 1024, 10);
        var x2 = Random(8 * 1024, 11);
        var kept = Run(reuse, x1);
        var keptCopy = kept.Select(a => a.ToArray()).ToArray();
        for (int rep = 0; rep < 3; rep++)
        {
            var x = rep % 2 == 0 ? x2 : x1;
            Assert.Equal(Run(plain, x), Run(reuse, x));
        }
        Assert.True(reuse.PooledBufferBytes > 0, "nothing was pooled");
        Assert.Equal(0, plain.PooledBufferBytes);
        // Outputs of the first run (including the Flatten view and the Identity of an intermediate) are untouched.
        Assert.Equal(keptCopy, kept);
    }

    [Fact]
    public void OutputArraysAreNeverHandedOutAgain()
    {
        using var s = new InferenceSession(ConvModel(), new SessionOptions { IntraOpThreads = 1 });
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        for (int rep = 0; rep < 4; rep++)
        {
            var outputs = s.Run(new Dictionary<string, Value> { ["x"] = new Tensor<float>(Random(8 * 1024, rep), [1, 8, 32, 32]) });
            foreach (var (_, v) in outputs)
            {
                var array = ((Tensor)v!).StorageArray!;
                Assert.True(seen.Add(array), "an output buffer of an earlier run came back as an output");
            }
        }
    }

    [Fact]
    public void ZeroingConstructorClearsAPooledBufferAndUninitializedReusesIt()
    {
        var plan = new ExecutionPlan(new Graph());
        var pool = new TensorBufferPool(1 << 20);
        var scope = plan.RentScope();
        scope.Begin(null, new SessionOptions(), pool, default);
        var previous = scope.EnterAllocation();
        try
        {
            var dirty = new float[2048];
            dirty.AsSpan().Fill(7f);
            pool.Return(dirty, dirty.Length * sizeof(float));
            var zeroed = new Tensor<float>([2, 1024]);
            Assert.Same(dirty, zeroed.StorageArray);
            Assert.All(zeroed.ToArray(), v => Assert.Equal(0f, v));

            zeroed.Span.Fill(5f);
            pool.Return(dirty, dirty.Length * sizeof(float));
            var raw = Tensor<float>.Uninitialized([2048]);
            Assert.Same(dirty, raw.StorageArray);

            // Other lengths, types and small tensors do not take it.
            pool.Return(dirty, dirty.Length * sizeof(float));
            Assert.NotSame(dirty, new Tensor<float>([2047]).StorageArray);
            Assert.NotSame(dirty, new Tensor<int>([2048]).StorageArray);
            Assert.NotSame(dirty, new Tensor<float>([16]).StorageArray);
            Assert.Equal(dirty.Length * sizeof(float), pool.PooledBytes);
        }
        finally
        {
            ExecutionScope.ExitAllocation(previous);
            scope.End();
        }
        // Outside a run nothing comes from the pool.
        Assert.NotSame(pool.TryTake<float>(2048) is { } d ? d : null, new Tensor<float>([2048]).StorageArray);
        Assert.Equal(0, pool.PooledBytes);
    }

    [Fact]
    public void PoolDropsEverythingWhenItWouldExceedItsLimit()
    {
        var pool = new TensorBufferPool(3 * 4096);
        pool.Return(new float[1024], 4096);
        pool.Return(new float[1024], 4096);
        pool.Return(new float[1024], 4096);
        Assert.Equal(3 * 4096, pool.PooledBytes);
        pool.Return(new float[2048], 8192);
        Assert.Equal(8192, pool.PooledBytes);
        pool.Return(new float[8192], 32768); // larger than the whole pool: not kept
        Assert.Equal(8192, pool.PooledBytes);
        Assert.NotNull(pool.TryTake<float>(2048));
        Assert.Null(pool.TryTake<float>(1024));
        Assert.Equal(0, pool.PooledBytes);
    }

    /// <summary>A Loop whose body makes pooled intermediates, carries a value and reads an outer one.</summary>
    [Fact]
    public void LoopBodiesWithPooledIntermediatesMatchNoReuse()
    {
        var body = new SubgraphBuilder("body")
            .Input("i", DataType.Int64).Input("c", DataType.Bool).Input("acc", DataType.Float)
            .Node("Mul", ["acc", "scale"], ["m"])
            .Node("Add", ["m", "outer"], ["a"])
            .Node("Relu", ["a"], ["r"])
            .Node("Identity", ["c"], ["c_out"])
            .Node("Identity", ["r"], ["scan"])
            .Output("c_out").Output("r").Output("scan");
        var model = new SubgraphBuilder("main")
            .Input("x", DataType.Float, [4096])
            .Initializer("n", new Tensor<long>([5], []))
            .Initializer("scale", new Tensor<float>([0.5f], [1]))
            .Node("Sin", ["x"], ["outer"])
            .Node("Loop", ["n", "", "x"], ["final", "scans"], Attr.Graph("body", body.Graph))
            .Output("final").Output("scans")
            .ToModel(17).ToByteArray();
        using var reuse = new InferenceSession(model);
        using var plain = new InferenceSession(model, new SessionOptions { MaxPooledBufferBytes = 0 });
        for (int rep = 0; rep < 3; rep++)
        {
            var x = new Dictionary<string, Value> { ["x"] = new Tensor<float>(Random(4096, 20 + rep), [4096]) };
            var a = reuse.Run(x).Select(kv => kv.Value!.AsTensor().As<float>().ToArray()).ToArray();
            var b = plain.Run(x).Select(kv => kv.Value!.AsTensor().As<float>().ToArray()).ToArray();
            Assert.Equal(b, a);
        }
    }
}
