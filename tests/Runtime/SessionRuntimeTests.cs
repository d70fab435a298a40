using Google.Protobuf;
using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Runtime;

public class SessionRuntimeTests
{
    private sealed class RecordingObserver : IExecutionObserver
    {
        public readonly List<string> Events = new();
        public void NodeStarted(Node node) { lock (Events) Events.Add("start " + node.OpType); }
        public void NodeFinished(Node node, ReadOnlySpan<Value?> outputs)
        {
            string shapes = string.Join(";", outputs.ToArray().Select(v => v is Tensor t ? string.Join("x", t.Shape) : "-"));
            lock (Events) Events.Add($"end {node.OpType} {shapes}");
        }
    }

    private static byte[] IfModel()
    {
        var then = new SubgraphBuilder("then").Node("Neg", ["x"], ["t"]).Output("t", DataType.Float);
        var other = new SubgraphBuilder("else").Node("Abs", ["x"], ["e"]).Output("e", DataType.Float);
        return new SubgraphBuilder("main")
            .Input("x", DataType.Float, [2, 3])
            .Input("c", DataType.Bool, [])
            .Node("Relu", ["x"], ["r"])
            .Node("If", ["c"], ["y"], Attr.Graph("then_branch", then.Graph), Attr.Graph("else_branch", other.Graph))
            .Node("Add", ["r", "y"], ["z"])
            .Output("z")
            .ToModel(17).ToByteArray();
    }

    [Fact]
    public void ObserverSeesEveryNodeIncludingSubgraphNodesInOrder()
    {
        var observer = new RecordingObserver();
        using var s = new InferenceSession(IfModel(), new SessionOptions { Observer = observer });
        s.Run(new Dictionary<string, Value>
        {
            ["x"] = new Tensor<float>([1, -2, 3, -4, 5, -6], [2, 3]),
            ["c"] = Tensor<bool>.Scalar(true),
        });
        Assert.Equal(
            ["start Relu", "end Relu 2x3", "start If", "start Neg", "end Neg 2x3", "end If 2x3", "start Add", "end Add 2x3"],
            observer.Events);
    }

    [Fact]
    public void RunAfterDisposeThrowsObjectDisposed()
    {
        var s = new InferenceSession(IfModel());
        var inputs = new Dictionary<string, Value>
        {
            ["x"] = new Tensor<float>(new float[6], [2, 3]),
            ["c"] = Tensor<bool>.Scalar(false),
        };
        s.Run(inputs);
        s.Dispose();
        s.Dispose();
        Assert.Throws<ObjectDisposedException>(() => s.Run(inputs));
    }

    [Fact]
    public void FailingNodeIsWrappedAndTheNextRunIsClean()
    {
        // Reshape to a shape of the wrong size fails at run time; a later good run of the same session still works.
        var model = new SubgraphBuilder("main")
            .Input("x", DataType.Float, [4096]).Input("shape", DataType.Int64, [1])
            .Node("Relu", ["x"], ["r"])
            .Node("Reshape", ["r", "shape"], ["y"])
            .Output("y")
            .ToModel(17).ToByteArray();
        using var s = new InferenceSession(model);
        var x = new Tensor<float>(Enumerable.Range(0, 4096).Select(i => i - 2048f).ToArray(), [4096]);
        var bad = new Dictionary<string, Value> { ["x"] = x, ["shape"] = new Tensor<long>([4095], [1]) };
        var good = new Dictionary<string, Value> { ["x"] = x, ["shape"] = new Tensor<long>([4096], [1]) };
        var e = Assert.Throws<Errors.NodeExecutionException>(() => s.Run(bad));
        Assert.Contains("Reshape", e.Message);
        for (int rep = 0; rep < 2; rep++)
        {
            var y = s.Run(good)[0].Value!.AsTensor().As<float>().ToArray();
            Assert.Equal(x.ToArray().Select(v => Math.Max(v, 0f)), y);
        }
    }
}
