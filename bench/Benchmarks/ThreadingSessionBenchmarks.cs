using BenchmarkDotNet.Attributes;
using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Bench.Benchmarks;

/// <summary>
/// Whole-model runs with 2 threads, with and without the session's buffer reuse: time per run and, through the memory
/// diagnoser, managed bytes allocated per run after warm-up. Models: the ResNet18 of the CLI's package and the ONNX
/// suite's light CNNs (their weights are ConstantOfShape nodes, so each run also materializes them).
/// <c>dotnet run --project bench -c Release -- --filter *ThreadingSessionBenchmarks* --inProcess</c>
/// </summary>
[MemoryDiagnoser]
public class ThreadingSessionBenchmarks
{
    private InferenceSession _session = null!;
    private Dictionary<string, Value> _feeds = null!;

    [Params("resnet18", "light_squeezenet", "light_resnet50")] public string Model = "";

    [Params(true, false)] public bool Reuse;

    private static string PathOf(string model)
    {
        if (model == "resnet18")
            return Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
                "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");
        string suite = Environment.GetEnvironmentVariable("NATIVEINFER_ONNX_TESTS")
            ?? Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "shared", "onnx-backend");
        return Path.Combine(suite, "light", model + ".onnx");
    }

    [GlobalSetup]
    public void Setup()
    {
        _session = new InferenceSession(PathOf(Model),
            new SessionOptions { IntraOpThreads = 2, MaxPooledBufferBytes = Reuse ? 1L << 30 : 0 });
        var input = _session.Model.Graph.FeedInputs.First();
        var shape = (input.Type?.Shape ?? Array.Empty<Dim>()).Select(d => d.IsKnown ? (int)d.Value : 1).ToArray();
        var x = new Tensor<float>(shape);
        for (int k = 0; k < x.Length; k++) x[k] = (float)k / x.Length;
        _feeds = new Dictionary<string, Value> { [input.Name] = x };
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark]
    public object? Run() => _session.Run(_feeds)[0].Value;
}
