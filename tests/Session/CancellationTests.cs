using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Session;

public class CancellationTests
{
    /// <summary>A Loop with no trip count whose body never clears its condition: only cancellation ends it.</summary>
    private static byte[] EndlessLoop()
    {
        var body = new GraphProto { Name = "body" };
        body.Input.Add(Info("i", DataType.Int64));
        body.Input.Add(Info("cond_in", DataType.Bool));
        body.Input.Add(Info("x_in", DataType.Float));
        body.Output.Add(Info("cond_out", DataType.Bool));
        body.Output.Add(Info("x_out", DataType.Float));
        body.Node.Add(new NodeProto { OpType = "Identity", Input = { "cond_in" }, Output = { "cond_out" } });
        body.Node.Add(new NodeProto { OpType = "Identity", Input = { "x_in" }, Output = { "x_out" } });
        var m = new TestModel().Input("c", DataType.Bool).Input("x", DataType.Float, 1)
            .Node("Loop", ["", "c", "x"], ["y"], "", new AttributeProto { Name = "body", Type = AttributeProto.Types.AttributeType.Graph, G = body })
            .Output("y", DataType.Float, 1);
        return m.ToBytes();
    }

    private static ValueInfoProto Info(string name, DataType t) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)t } } };

    [Fact]
    public void CancellationStopsAnEndlessLoop()
    {
        using var s = new InferenceSession(EndlessLoop());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var inputs = new Dictionary<string, Value> { ["c"] = Tensor<bool>.Scalar(true), ["x"] = new Tensor<float>([1f], [1]) };
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => s.Run(inputs, cts.Token));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"cancellation took {sw.Elapsed}");
    }
}
