using System.Diagnostics;
using System.Globalization;
using NativeInfer.IR;
using NativeInfer.Onnx.Import;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Cli.Commands;

/// <summary>
/// <c>nativeinfer run [model.onnx] [--inputs-dir DIR | --input NAME=FILE.pb ...] [--output-dir DIR] [--threads N]</c>.
/// Without a model it runs the embedded ResNet18; inputs not given are filled deterministically.
/// </summary>
public static class RunCommand
{
    public static int Execute(CliArgs args)
    {
        var options = new SessionOptions { IntraOpThreads = args.IntOption("--threads", 0), Backend = args.Backend() };
        var sw = Stopwatch.StartNew();
        InferenceSession session;
        string label;
        if (args.Positional.Count == 0)
        {
            using var stream = DefaultModel.Open();
            session = new InferenceSession(stream, options);
            label = "ResNet18 (embedded default model)";
        }
        else
        {
            session = new InferenceSession(args.Positional[0], options);
            label = args.Positional[0];
        }
        double loadMs = sw.Elapsed.TotalMilliseconds;
        var inputs = BuildInputs(session, args);

        sw.Restart();
        var outputs = session.Run(inputs);
        double runMs = sw.Elapsed.TotalMilliseconds;

        Console.WriteLine($"model: {label}");
        Console.WriteLine($"load: {loadMs:F1} ms, run: {runMs:F1} ms");
        foreach (var (name, v) in inputs) Console.WriteLine($"input  {name}: {Describe(v)}");
        string? outDir = args.Option("--output-dir");
        if (outDir is not null) Directory.CreateDirectory(outDir);
        for (int i = 0; i < outputs.Count; i++)
        {
            var (name, value) = outputs[i];
            Console.WriteLine($"output {name}: {Describe(value)}");
            if (outDir is not null) OnnxValueIO.WriteValue(Path.Combine(outDir, $"output_{i}.pb"), value, name);
        }
        return 0;
    }

    private static Dictionary<string, Value> BuildInputs(InferenceSession session, CliArgs args)
    {
        var graph = session.Model.Graph;
        var feeds = graph.FeedInputs.ToList();
        var inputs = new Dictionary<string, Value>();
        if (args.Option("--inputs-dir") is { } dir)
        {
            for (int i = 0; i < feeds.Count; i++)
            {
                string path = Path.Combine(dir, $"input_{i}.pb");
                if (File.Exists(path) && OnnxValueIO.ReadValue(path, feeds[i].Type) is { } v) inputs[feeds[i].Name] = v;
            }
        }
        foreach (var spec in args.Options("--input"))
        {
            int eq = spec.IndexOf('=');
            if (eq <= 0) throw new CliUsageException($"--input expects NAME=FILE.pb, got '{spec}'.");
            string name = spec[..eq];
            var info = feeds.FirstOrDefault(f => f.Name == name)
                ?? throw new CliUsageException($"the model has no input '{name}'; its inputs are: {string.Join(", ", feeds.Select(f => f.Name))}.");
            if (OnnxValueIO.ReadValue(spec[(eq + 1)..], info.Type) is { } v) inputs[name] = v;
        }
        foreach (var f in feeds)
            if (!inputs.ContainsKey(f.Name) && f.Type is { Kind: ValueKind.Tensor } t)
                inputs[f.Name] = DeterministicInput(t);
        return inputs;
    }

    /// <summary>A reproducible input: unknown dims taken as 1, values from a fixed-seed generator in [0, 1).</summary>
    public static Tensor DeterministicInput(TypeInfo type)
    {
        var shape = (type.Shape ?? Array.Empty<Dim>()).Select(d => d.IsKnown ? (int)d.Value : 1).ToArray();
        var t = Tensor.Create(type.ElementType, shape);
        var rng = new Random(1234);
        for (int i = 0; i < t.Length; i++)
        {
            double v = rng.NextDouble();
            if (t is Tensor<string> s) s[i] = v.ToString(CultureInfo.InvariantCulture);
            else t.SetDouble(i, DataTypes.IsFloatingPoint(t.DataType) ? v : Math.Floor(v * 10));
        }
        return t;
    }

    private static string Describe(Value? v)
    {
        if (v is not Tensor t) return v?.GetType().Name ?? "(none)";
        string values = t is Tensor<string> s
            ? string.Join(", ", s.Span[..Math.Min(5, s.Length)].ToArray().Select(x => '"' + x + '"'))
            : string.Join(", ", Enumerable.Range(0, Math.Min(5, t.Length)).Select(i => t.GetDouble(i).ToString("G6", CultureInfo.InvariantCulture)));
        return $"{DataTypes.Name(t.DataType)} {ShapeUtil.Format(t.Shape)} [{values}{(t.Length > 5 ? ", ..." : "")}]";
    }
}

/// <summary>The ResNet18 model embedded in the CLI (from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package).</summary>
public static class DefaultModel
{
    public const string ResourceName = "NativeInfer.DefaultModel.ResNet18.onnx";

    public static Stream Open() =>
        typeof(DefaultModel).Assembly.GetManifestResourceStream(ResourceName)
        ?? throw new FileNotFoundException("The embedded default model is missing from this build.");
}
