using System.Globalization;
using NativeInfer.Cli.Commands;
using NativeInfer.Onnx.Benchmarking;
using NativeInfer.Onnx.Import;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Bench;

/// <summary>
/// <c>dotnet run --project bench -c Release -- weight-memory [model.onnx|default] [threads]</c>: where a model's bytes go
/// while a session is made, one stage at a time in this process: read the file and import it (protobuf parse + IR), create the
/// session (optimizer, constant folding, weight packing), the first run. After each stage it prints the process's
/// peak resident set during the stage (VmHWM, reset before the stage where Linux allows it), the resident set after
/// it, the managed heap after a full collection, and the bytes held by the imported model's initializers and by the
/// executed graph's initializers (distinct arrays; a released weight counts 0). Run it in a fresh process per model.
/// </summary>
public static class WeightMemoryStages
{
    public static int Run(string[] args)
    {
        string model = args.Length > 0 ? args[0] : "default";
        int threads = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        Console.WriteLine($"model {model}, {threads} threads; MB = 2^20 bytes");
        Console.WriteLine("stage | stage peak RSS | RSS after | managed after | model initializers | executed-graph initializers");
        bool resettable = ProcessMemory.TryResetPeak();
        Report("baseline", null, null);

        Begin(resettable);
        var loaded = Import(model);
        Report("read + import", loaded, null);

        Begin(resettable);
        // The session owns the model it is given here, as InferenceSession does with a model it loads.
        var session = new GraphSession(loaded, new SessionOptions { IntraOpThreads = threads }, ownsModel: true);
        Report("session", loaded, session);
        Console.WriteLine($"  released {session.ReleasedWeightCount} weights, {Mb(session.ReleasedWeightBytes)} MB");

        Begin(resettable);
        var inputs = BenchmarkInputs.Create(loaded.Graph.FeedInputs.ToList(), DimOverrides.Parse([]), BenchmarkInputs.DefaultSeed, session.Options.MaxTensorBytes);
        session.Run(inputs);
        Report("first run", loaded, session);
        Console.WriteLine($"process peak (VmHWM{(resettable ? " since the last reset" : "")}): {Mb(ProcessMemory.PeakRssBytes)}");
        GC.KeepAlive(session);
        session.Dispose();
        return 0;
    }

    /// <summary>Reads and imports the model; no reference to the file's bytes outlives the call.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static IR.Model Import(string model) =>
        model == "default" ? new OnnxModelLoader().Load(Compare.ModelSource.DefaultModelBytes()) : new OnnxModelLoader().Load(model);

    private static void Begin(bool resettable)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (resettable) ProcessMemory.TryResetPeak();
    }

    private static void Report(string stage, IR.Model? model, GraphSession? session)
    {
        long? peak = ProcessMemory.PeakRssBytes;
        long managed = GC.GetTotalMemory(forceFullCollection: true);
        string modelInit = model is null ? "-" : Mb(InitializerBytes(model.Graph));
        string execInit = session is null ? "-" : Mb(InitializerBytes(session.ExecutionGraph));
        Console.WriteLine($"{stage} | {Mb(peak)} | {Mb(ProcessMemory.CurrentRssBytes)} | {Mb(managed)} | {modelInit} | {execInit}");
    }

    /// <summary>Bytes of the distinct arrays behind a graph's initializers (released weights hold none).</summary>
    private static long InitializerBytes(IR.Graph g)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        long sum = 0;
        foreach (var t in g.Initializers.Values)
        {
            if (t.DataType == DataType.String || ReleasedWeights.IsReleased(t)) continue;
            var raw = RawOrNull(t);
            if (raw is null || !seen.Add(raw)) continue;
            sum += (long)t.Length * DataTypes.SizeOf(t.DataType);
        }
        return sum;
    }

    private static object? RawOrNull(Tensor t) => t switch
    {
        Tensor<float> f => System.Runtime.InteropServices.MemoryMarshal.TryGetArray<float>(f.Memory, out var s) ? s.Array : f,
        _ => t,
    };

    private static string Mb(long? bytes) => bytes is null ? "n/a" : (bytes.Value / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
}
