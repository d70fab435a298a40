using NativeInfer.IR;
using NativeInfer.Onnx.Import;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;

namespace NativeInfer.Tests.Export;

/// <summary>Models and inputs from the ONNX backend suite for the writer tests (null paths when the suite is absent).</summary>
internal static class ExportCases
{
    public const string MissingSuite = "ONNX backend test data not found: set NATIVEINFER_ONNX_TESTS or place it at ../shared/onnx-backend.";

    public static string? LightModel(string name) =>
        TestPaths.OnnxSuite is { } root ? Path.Combine(root, "light", $"light_{name}.onnx") : null;

    public static string? NodeCase(string name) =>
        TestPaths.OnnxSuite is { } root ? Path.Combine(root, "node", name) : null;

    /// <summary>The light models' input as ONNX's runner makes it: element k of n is k/n.</summary>
    public static Dictionary<string, Value> LightInput(Model model)
    {
        var input = model.Graph.FeedInputs.Single();
        var shape = (input.Type?.Shape ?? Array.Empty<Dim>()).Select(d => d.IsKnown ? (int)d.Value : 1).ToArray();
        var x = new Tensor<float>(shape);
        int n = x.Length;
        for (int k = 0; k < n; k++) x[k] = (float)k / n;
        return new Dictionary<string, Value> { [input.Name] = x };
    }

    /// <summary>A node case's test_data_set_0 inputs (bound by position) and expected outputs.</summary>
    public static (Dictionary<string, Value> Inputs, Value?[] Expected) NodeCaseData(string dir, Model model)
    {
        string set = Path.Combine(dir, "test_data_set_0");
        var feeds = model.Graph.FeedInputs.ToList();
        var inputs = new Dictionary<string, Value>();
        for (int i = 0; File.Exists(Path.Combine(set, $"input_{i}.pb")); i++)
        {
            var v = OnnxValueIO.ReadValue(Path.Combine(set, $"input_{i}.pb"), feeds[i].Type);
            if (v is OptionalValue { HasValue: false } && feeds[i].Type?.Kind != ValueKind.Optional) continue;
            if (v is not null) inputs[feeds[i].Name] = v;
        }
        var outputs = model.Graph.Outputs;
        var expected = new Value?[outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            string path = Path.Combine(set, $"output_{i}.pb");
            expected[i] = File.Exists(path) ? OnnxValueIO.ReadValue(path, outputs[i].Type) : null;
        }
        return (inputs, expected);
    }

    /// <summary>Runs <paramref name="model"/> exactly as given (no optimization) or at <paramref name="level"/>.</summary>
    public static Value?[] Run(Model model, IReadOnlyDictionary<string, Value> inputs, GraphOptimizationLevel level = GraphOptimizationLevel.None)
    {
        using var session = new GraphSession(model, new SessionOptions { OptimizationLevel = level, IntraOpThreads = 1 });
        return session.Run(inputs).Select(kv => kv.Value).ToArray();
    }
}
