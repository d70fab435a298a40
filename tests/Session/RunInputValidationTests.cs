using NativeInfer.Errors;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Session;

/// <summary>Run refuses mismatched inputs with a message naming the input, the expectation and what was given.</summary>
public class RunInputValidationTests
{
    private static InferenceSession Session() => new(new TestModel()
        .InputSymbolic("a", DataType.Float, "batch", 3).InputSymbolic("b", DataType.Float, "batch", 3)
        .Node("Add", ["a", "b"], ["c"]).Output("c", DataType.Float).ToBytes());

    private static Tensor<float> F(params int[] shape) => new(shape);

    [Fact]
    public void RunsWithSymbolicBatch()
    {
        using var s = Session();
        var a = new Tensor<float>([1, 2, 3, 4, 5, 6], [2, 3]);
        var r = s.Run(new Dictionary<string, Value> { ["a"] = a, ["b"] = a });
        Assert.Equal([2f, 4, 6, 8, 10, 12], r[0].Value!.AsTensor().As<float>().ToArray());
        Assert.Equal("batch", s.InputMetadata["a"].SymbolicDimensions[0]);
        Assert.Equal(-1, s.InputMetadata["a"].Dimensions[0]);
    }

    [Fact]
    public void UnknownInputNameIsNamed()
    {
        using var s = Session();
        var e = Assert.Throws<InvalidInputException>(() => s.Run(new Dictionary<string, Value> { ["a"] = F(1, 3), ["b"] = F(1, 3), ["zz"] = F(1) }));
        Assert.Contains("'zz'", e.Message);
        Assert.Contains("a, b", e.Message);
    }

    [Fact]
    public void MissingInputIsNamed()
    {
        using var s = Session();
        var e = Assert.Throws<InvalidInputException>(() => s.Run(new Dictionary<string, Value> { ["a"] = F(1, 3) }));
        Assert.Contains("'b'", e.Message);
    }

    [Fact]
    public void WrongDtypeIsNamed()
    {
        using var s = Session();
        var e = Assert.Throws<InvalidInputException>(() => s.Run(new Dictionary<string, Value> { ["a"] = new Tensor<int>([1, 3]), ["b"] = F(1, 3) }));
        Assert.Contains("'a'", e.Message);
        Assert.Contains("float32", e.Message);
        Assert.Contains("int32", e.Message);
    }

    [Fact]
    public void WrongRankIsNamed()
    {
        using var s = Session();
        var e = Assert.Throws<InvalidInputException>(() => s.Run(new Dictionary<string, Value> { ["a"] = F(3), ["b"] = F(1, 3) }));
        Assert.Contains("rank 2", e.Message);
        Assert.Contains("rank 1", e.Message);
    }

    [Fact]
    public void WrongFixedDimIsNamed()
    {
        using var s = Session();
        var e = Assert.Throws<InvalidInputException>(() => s.Run(new Dictionary<string, Value> { ["a"] = F(1, 4), ["b"] = F(1, 3) }));
        Assert.Contains("dimension 1 = 3", e.Message);
    }

    [Fact]
    public void InconsistentSymbolicDimIsNamed()
    {
        using var s = Session();
        var e = Assert.Throws<InvalidInputException>(() => s.Run(new Dictionary<string, Value> { ["a"] = F(2, 3), ["b"] = F(5, 3) }));
        Assert.Contains("'batch'", e.Message);
    }

    [Fact]
    public void WrapsCallerMemoryWithoutCopying()
    {
        var buffer = new float[6];
        var t = new Tensor<float>(buffer.AsMemory(), [2, 3]);
        buffer[4] = 7;
        Assert.Equal(7f, t[4]);
        Assert.Throws<ArgumentException>(() => new Tensor<float>(buffer.AsMemory(0, 5), [2, 3]));
    }

    [Fact]
    public void RunIsSafeFromSeveralThreads()
    {
        using var s = Session();
        Parallel.For(0, 64, i =>
        {
            var a = new Tensor<float>(Enumerable.Range(0, 3 * (1 + i % 4)).Select(x => (float)(x + i)).ToArray(), [1 + i % 4, 3]);
            var r = s.Run(new Dictionary<string, Value> { ["a"] = a, ["b"] = a })[0].Value!.AsTensor().As<float>();
            for (int k = 0; k < a.Length; k++) Assert.Equal(2 * a[k], r[k]);
        });
    }
}
