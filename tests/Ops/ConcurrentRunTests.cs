using Google.Protobuf;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// One session run from several threads at once gives each caller exactly what a lone run gives: ops keep no per-run
/// state, and the threaded kernels (GEMM, im2col, pooling) do not interfere across concurrent calls.
/// </summary>
public class ConcurrentRunTests
{
    [Fact]
    public void ConvPoolGemmSoftmaxScanFromEightThreads()
    {
        var rng = new Random(1);
        float[] R(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        // x [1,3,16,16] → Conv 8×3×3×3 (pad 1) → Relu → MaxPool 2×2 → Flatten → Gemm (512→10) → Softmax; plus a Scan
        // running sum over the logits' single row to exercise a subgraph in the same run.
        var scanBody = new SubgraphBuilder("body").Input("s_in", DataType.Float).Input("x_t", DataType.Float)
            .Node("Add", ["s_in", "x_t"], ["s_out"]).Node("Identity", ["s_out"], ["y_t"]).Output("s_out").Output("y_t");
        var model = new SubgraphBuilder("main")
            .Input("x", DataType.Float, [1, 3, 16, 16])
            .Initializer("w", new Tensor<float>(R(8 * 3 * 3 * 3), [8, 3, 3, 3]))
            .Initializer("b", new Tensor<float>(R(8), [8]))
            .Initializer("fc", new Tensor<float>(R(512 * 10), [512, 10]))
            .Initializer("fcb", new Tensor<float>(R(10), [10]))
            .Initializer("s0", new Tensor<float>([1, 10]))
            .Node("Conv", ["x", "w", "b"], ["c"], Attr.Ints("pads", 1, 1, 1, 1))
            .Node("Relu", ["c"], ["r"])
            .Node("MaxPool", ["r"], ["p"], Attr.Ints("kernel_shape", 2, 2), Attr.Ints("strides", 2, 2))
            .Node("Flatten", ["p"], ["f"])
            .Node("Gemm", ["f", "fc", "fcb"], ["logits"])
            .Node("Softmax", ["logits"], ["y"])
            .Node("Unsqueeze", ["logits", "zero"], ["l3"])
            .Initializer("zero", new Tensor<long>([0], [1]))
            .Node("Scan", ["s0", "l3"], ["s", "cum"], Attr.Graph("body", scanBody.Graph), Attr.Int("num_scan_inputs", 1))
            .Output("y").Output("s")
            .ToModel(17);
        using var session = new InferenceSession(model.ToByteArray());
        var inputs = Enumerable.Range(0, 8).Select(_ => new Tensor<float>(R(3 * 16 * 16), [1, 3, 16, 16])).ToArray();
        var alone = inputs.Select(x => Outputs(session, x)).ToArray();
        foreach (var probs in alone.Select(a => a.Y))
            Assert.Equal(1.0, probs.Sum(v => (double)v), 4); // sanity: softmax rows sum to 1

        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int rep = 0; rep < 10; rep++)
            {
                int k = (t + rep) % inputs.Length;
                var (y, s) = Outputs(session, inputs[k]);
                if (!y.SequenceEqual(alone[k].Y) || !s.SequenceEqual(alone[k].S)) failures.Add($"thread {t} rep {rep} input {k}");
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        Assert.Empty(failures);
    }

    private static (float[] Y, float[] S) Outputs(InferenceSession s, Tensor<float> x)
    {
        var r = s.Run(new Dictionary<string, Value> { ["x"] = x });
        return (r[0].Value!.AsTensor().As<float>().ToArray(), r[1].Value!.AsTensor().As<float>().ToArray());
    }
}
