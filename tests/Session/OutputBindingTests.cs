using NativeInfer.Errors;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Session;

/// <summary>
/// <c>Run(inputs, outputs)</c>: outputs written into the caller's tensors, equal to a plain run's, reusable across
/// runs without allocating the outputs again, and refused with a clear error when a tensor does not fit.
/// </summary>
public class OutputBindingTests
{
    /// <summary>y = Relu(a + b) (first output, computed by the last node) and z = a − b (second output).</summary>
    private static InferenceSession Session(int n, int threads = 1) => new(new TestModel()
        .Input("a", DataType.Float, 1, n).Input("b", DataType.Float, 1, n)
        .Node("Add", ["a", "b"], ["s"]).Node("Relu", ["s"], ["y"]).Node("Sub", ["a", "b"], ["z"])
        .Output("y", DataType.Float, 1, n).Output("z", DataType.Float, 1, n).ToBytes(),
        new SessionOptions { IntraOpThreads = threads });

    private static Dictionary<string, Value> Feeds(int n, int seed)
    {
        var rng = new Random(seed);
        Tensor<float> R() => new(Enumerable.Range(0, n).Select(_ => rng.NextSingle() * 2 - 1).ToArray(), [1, n]);
        return new() { ["a"] = R(), ["b"] = R() };
    }

    [Fact]
    public void BoundOutputsEqualAPlainRunAcrossRuns()
    {
        const int n = 50_000; // over the large-object threshold, like the image outputs this is for
        using var s = Session(n);
        var y = new Tensor<float>([1, n]);
        var z = new Tensor<float>([1, n]);
        for (int seed = 0; seed < 4; seed++)
        {
            var feeds = Feeds(n, seed);
            var plain = s.Run(feeds);
            s.Run(feeds, new Dictionary<string, Tensor> { ["y"] = y, ["z"] = z });
            Assert.Equal(plain[0].Value!.AsTensor().As<float>().ToArray(), y.ToArray());
            Assert.Equal(plain[1].Value!.AsTensor().As<float>().ToArray(), z.ToArray());
        }
    }

    [Fact]
    public void OnlyTheNamedOutputsAreWritten()
    {
        const int n = 1000;
        using var s = Session(n);
        var z = new Tensor<float>([1, n]);
        var feeds = Feeds(n, 7);
        s.Run(feeds, new Dictionary<string, Tensor> { ["z"] = z });
        var a = ((Tensor<float>)feeds["a"]).ToArray();
        var b = ((Tensor<float>)feeds["b"]).ToArray();
        Assert.Equal(a.Zip(b, (x, w) => x - w).ToArray(), z.ToArray());
    }

    [Fact]
    public void BoundRunsDoNotAllocateTheOutputs()
    {
        const int n = 1 << 20; // 4 MB per output
        using var s = Session(n);
        var feeds = Feeds(n, 3);
        var bound = new Dictionary<string, Tensor> { ["y"] = new Tensor<float>([1, n]), ["z"] = new Tensor<float>([1, n]) };
        for (int i = 0; i < 3; i++) s.Run(feeds, bound); // plan the memory, warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) s.Run(feeds, bound);
        long perRun = (GC.GetAllocatedBytesForCurrentThread() - before) / 5;
        // A plain run allocates both outputs (8 MB); bound, only bookkeeping remains.
        Assert.True(perRun < 256 * 1024, $"a bound run allocated {perRun} bytes");

        before = GC.GetAllocatedBytesForCurrentThread();
        s.Run(feeds);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before >= 8L * n, "the plain run should allocate its outputs (the check above would prove nothing)");
    }

    [Fact]
    public void WrongShapeIsRefusedAndLeavesTheTensorsUnchanged()
    {
        using var s = Session(8);
        var y = new Tensor<float>(Enumerable.Repeat(42f, 8).ToArray(), [1, 8]);
        var z = new Tensor<float>([2, 4]);
        var e = Assert.Throws<InvalidInputException>(() => s.Run(Feeds(8, 1), new Dictionary<string, Tensor> { ["y"] = y, ["z"] = z }));
        Assert.Contains("'z'", e.Message);
        Assert.Contains("[1,8]", e.Message.Replace(" ", ""));
        Assert.All(y.ToArray(), v => Assert.Equal(42f, v));
    }

    [Fact]
    public void WrongTypeUnknownNameAndAliasingAreRefused()
    {
        using var s = Session(8);
        var feeds = Feeds(8, 1);
        var e = Assert.Throws<InvalidInputException>(() => s.Run(feeds, new Dictionary<string, Tensor> { ["y"] = new Tensor<int>([1, 8]) }));
        Assert.Contains("float32", e.Message);
        e = Assert.Throws<InvalidInputException>(() => s.Run(feeds, new Dictionary<string, Tensor> { ["nope"] = new Tensor<float>([1, 8]) }));
        Assert.Contains("'nope'", e.Message);
        Assert.Contains("y, z", e.Message);
        e = Assert.Throws<InvalidInputException>(() => s.Run(feeds, new Dictionary<string, Tensor> { ["y"] = (Tensor)feeds["a"] }));
        Assert.Contains("shares memory", e.Message);
    }

    [Fact]
    public void AShapeKnownOnlyAfterTheRunIsCheckedThen()
    {
        using var s = new InferenceSession(new TestModel()
            .InputSymbolic("a", DataType.Float, "n").Node("Relu", ["a"], ["y"]).Output("y", DataType.Float).ToBytes());
        var e = Assert.Throws<InvalidInputException>(() => s.Run(new Dictionary<string, Value> { ["a"] = new Tensor<float>([5]) },
            new Dictionary<string, Tensor> { ["y"] = new Tensor<float>([4]) }));
        Assert.Contains("[5]", e.Message.Replace(" ", ""));
        Assert.Contains("[4]", e.Message.Replace(" ", ""));
    }

    [Fact]
    public void AnOutputThatIsAnInputIsCopied()
    {
        using var s = new InferenceSession(new TestModel().Input("a", DataType.Float, 4).Node("Identity", ["a"], ["y"])
            .Output("y", DataType.Float, 4).ToBytes());
        var y = new Tensor<float>([4]);
        s.Run(new Dictionary<string, Value> { ["a"] = new Tensor<float>([1, 2, 3, 4], [4]) }, new Dictionary<string, Tensor> { ["y"] = y });
        Assert.Equal([1f, 2, 3, 4], y.ToArray());
    }

    [Fact]
    public void TwoThreadsAndTheArenaGiveTheSameResults()
    {
        const int n = 200_000;
        using var s = Session(n, threads: 2);
        var y = new Tensor<float>([1, n]);
        var z = new Tensor<float>([1, n]);
        for (int seed = 10; seed < 13; seed++)
        {
            var feeds = Feeds(n, seed);
            s.Run(feeds, new Dictionary<string, Tensor> { ["y"] = y, ["z"] = z });
            var plain = s.Run(feeds);
            Assert.Equal(plain[0].Value!.AsTensor().As<float>().ToArray(), y.ToArray());
            Assert.Equal(plain[1].Value!.AsTensor().As<float>().ToArray(), z.ToArray());
        }
    }
}
