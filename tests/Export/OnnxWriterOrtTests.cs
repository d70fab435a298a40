using NativeInfer.IR;
using NativeInfer.Onnx.Export;
using NativeInfer.Onnx.Import;
using NativeInfer.Onnx.Proto;
using NativeInfer.Optimizer;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Export;

/// <summary>
/// The writer writes standard ONNX: ONNX Runtime loads a written model and computes what it computes on the original
/// file. At level 0 this is the model as imported; at level 1 (Basic: folding passes only, no fused ops) it also holds
/// the constants the passes made.
/// </summary>
public class OnnxWriterOrtTests
{
    private static ModelProto OriginalProto(string path) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));

    private static void AssertSame((int[] Shape, double[] Values)[]? expected, (int[] Shape, double[] Values)[]? actual, double rtol)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual); // null: ONNX Runtime refused the written model
        Assert.Equal(expected!.Length, actual!.Length);
        for (int o = 0; o < expected.Length; o++)
        {
            Assert.Equal(expected[o].Shape, actual[o].Shape);
            double scale = expected[o].Values.Select(Math.Abs).DefaultIfEmpty(0).Max();
            for (int i = 0; i < expected[o].Values.Length; i++)
                Assert.True(Math.Abs(expected[o].Values[i] - actual[o].Values[i]) <= rtol * scale + 1e-7,
                    $"output {o} at {i}: {actual[o].Values[i]}, expected {expected[o].Values[i]}");
        }
    }

    [SkippableTheory]
    [InlineData("squeezenet", GraphOptimizationLevel.None)]
    [InlineData("squeezenet", GraphOptimizationLevel.Basic)]
    [InlineData("shufflenet", GraphOptimizationLevel.None)]
    [InlineData("shufflenet", GraphOptimizationLevel.Basic)]
    public void WrittenLightModelRunsInOnnxRuntime(string name, GraphOptimizationLevel level)
    {
        Skip.If(ExportCases.LightModel(name) is null, ExportCases.MissingSuite);
        string path = ExportCases.LightModel(name)!;
        var model = new OnnxModelLoader().Load(path);
        var written = GraphOptimizer.Optimize(model, new SessionOptions { OptimizationLevel = level }).Model;
        if (level == GraphOptimizationLevel.Basic) Assert.True(written.Graph.Initializers.Count > model.Graph.Initializers.Count);
        Assert.DoesNotContain(written.Graph.Nodes, n => n.Domain.Length > 0);
        var inputs = ExportCases.LightInput(model);
        var proto = ModelProto.Parser.ParseFrom(OnnxModelWriter.ToBytes(written));
        // Folded weights are the same numbers ORT folds; BatchNormalization folded into Conv reassociates: 1e-5 of the output scale.
        AssertSame(OrtReference.Run(OriginalProto(path), inputs), OrtReference.Run(proto, inputs), 1e-5);
    }

    [SkippableTheory]
    [InlineData("test_if")]
    [InlineData("test_loop11")]
    [InlineData("test_scan9_sum")]
    [InlineData("test_scan_sum")]
    public void WrittenSubgraphCaseRunsInOnnxRuntime(string name)
    {
        Skip.If(ExportCases.NodeCase(name) is null, ExportCases.MissingSuite);
        string dir = ExportCases.NodeCase(name)!;
        var model = new OnnxModelLoader().Load(Path.Combine(dir, "model.onnx"));
        var (inputs, _) = ExportCases.NodeCaseData(dir, model);
        var proto = ModelProto.Parser.ParseFrom(OnnxModelWriter.ToBytes(model));
        AssertSame(OrtReference.Run(OriginalProto(Path.Combine(dir, "model.onnx")), inputs), OrtReference.Run(proto, inputs), 0);
    }
}
