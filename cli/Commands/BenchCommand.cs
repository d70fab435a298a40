using System.Globalization;
using System.Text.Json;
using NativeInfer.IR;
using NativeInfer.Onnx.Benchmarking;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Cli.Commands;

/// <summary>
/// <c>nativeinfer bench [model.onnx] [--threads N] [--iters N] [--warmup N] [--dim NAME=VALUE ...] [--seed N] [--json]
/// [--profile trace.json]</c>: loads a model (default: the embedded ResNet18), feeds it seeded random inputs
/// (<see cref="BenchmarkInputs"/>) and reports the median/min/p90 latency of single runs, the process's peak resident
/// memory (VmHWM) and the managed bytes allocated per run. With <c>--json</c> it prints exactly one JSON object (keys
/// below) and nothing else on stdout. With <c>--profile</c> a <see cref="NodeProfiler"/> watches the timed runs (not the
/// warm-up): their per-node timings go to a Chrome trace file and the op types taking the most time are printed.
/// Without it the session has no observer and pays nothing.
/// </summary>
public static class BenchCommand
{
    public const int DefaultIterations = 20;
    public const int DefaultWarmup = 3;
    public const int MaxThreads = 1024;

    /// <summary>Op types listed by <c>--profile</c>.</summary>
    public const int TopOpCount = 15;

    public static int Execute(CliArgs args) => Execute(args, Console.Out);

    /// <summary>Runs the command, writing its report to <paramref name="output"/>.</summary>
    /// <exception cref="CliUsageException">A malformed or out-of-range option, a missing model file.</exception>
    public static int Execute(CliArgs args, TextWriter output)
    {
        if (args.Positional.Count > 1)
            throw new CliUsageException($"expects at most one model path, got {args.Positional.Count}: {string.Join(" ", args.Positional)}.");
        int threads = args.IntOption("--threads", 0);
        if (threads > MaxThreads) throw new CliUsageException($"--threads must be at most {MaxThreads}, got {threads}.");
        int iterations = args.IntOption("--iters", DefaultIterations);
        if (iterations < 1) throw new CliUsageException("--iters must be at least 1.");
        int warmup = args.IntOption("--warmup", DefaultWarmup);
        int seed = args.IntOption("--seed", BenchmarkInputs.DefaultSeed);
        bool json = args.Flag("--json");
        DimOverrides dims;
        try { dims = DimOverrides.Parse(args.Options("--dim")); }
        catch (BenchmarkSetupException e) { throw new CliUsageException(e.Message); }

        string? tracePath = args.Option("--profile");
        if (tracePath is not null && (tracePath.Length == 0 || Directory.Exists(tracePath)))
            throw new CliUsageException($"--profile expects a file path for the trace, got '{tracePath}'.");
        var profiler = tracePath is null ? null : new NodeProfiler();
        var options = new SessionOptions { IntraOpThreads = threads, Observer = profiler, Backend = args.Backend() };
        string label;
        var load = System.Diagnostics.Stopwatch.StartNew();
        InferenceSession session;
        if (args.Positional.Count == 0)
        {
            using var stream = DefaultModel.Open();
            session = new InferenceSession(stream, options);
            label = "ResNet18 (embedded default model)";
        }
        else
        {
            label = args.Positional[0];
            if (Directory.Exists(label)) throw new CliUsageException($"'{label}' is a folder; give the path of an .onnx file.");
            if (!File.Exists(label)) throw new CliUsageException($"model file '{label}' does not exist.");
            session = new InferenceSession(label, options);
        }
        double loadMs = load.Elapsed.TotalMilliseconds;

        Dictionary<string, Value> inputs;
        var feeds = session.Model.Graph.FeedInputs.ToList();
        try
        {
            dims.Validate(feeds);
            inputs = BenchmarkInputs.Create(feeds, dims, seed, options.MaxTensorBytes);
        }
        catch (BenchmarkSetupException e) { throw new CliUsageException(e.Message); }

        LatencyMeasurement m;
        if (profiler is null) m = LatencyMeter.Measure(() => session.Run(inputs), warmup, iterations);
        else
        {
            bool timed = false;
            m = LatencyMeter.Measure(() =>
            {
                if (timed) profiler.BeginRun();
                session.Run(inputs);
                if (timed) profiler.EndRun();
            }, warmup, iterations, beforeTimedRuns: () => timed = true);
            profiler.WriteChromeTrace(tracePath!, $"nativeinfer bench {label}");
        }
        long peak = ProcessMemory.PeakRssBytes ?? Environment.WorkingSet;
        string peakSource = ProcessMemory.PeakRssBytes is null ? "working set (VmHWM unavailable)" : "VmHWM";
        var s = m.Latency;

        if (json)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using var w = new Utf8JsonWriter(buffer);
            w.WriteStartObject();
            w.WriteString("model", label);
            w.WriteNumber("threads", options.EffectiveThreads);
            w.WriteNumber("iterations", s.Count);
            w.WriteNumber("warmup", m.WarmupRuns);
            w.WriteNumber("load_ms", Math.Round(loadMs, 3));
            w.WriteNumber("median_ms", Math.Round(s.MedianMs, 4));
            w.WriteNumber("min_ms", Math.Round(s.MinMs, 4));
            w.WriteNumber("p90_ms", Math.Round(s.P90Ms, 4));
            w.WriteNumber("mean_ms", Math.Round(s.MeanMs, 4));
            w.WriteNumber("max_ms", Math.Round(s.MaxMs, 4));
            w.WriteNumber("peak_bytes", peak);
            w.WriteString("peak_source", peakSource);
            w.WriteNumber("allocated_bytes_per_run", m.AllocatedBytesPerRun);
            w.WriteStartObject("inputs");
            foreach (var (name, v) in inputs) w.WriteString(name, Describe(v));
            w.WriteEndObject();
            if (profiler is not null)
            {
                w.WriteStartObject("profile");
                w.WriteString("trace", tracePath);
                w.WriteNumber("runs", profiler.RunCount);
                w.WriteStartArray("top_ops");
                foreach (var op in profiler.TopOps().Take(TopOpCount))
                {
                    w.WriteStartObject();
                    w.WriteString("op_type", op.OpType);
                    w.WriteNumber("count", op.NodesPerRun);
                    w.WriteNumber("ms_per_run", Math.Round(op.MsPerRun, 4));
                    w.WriteNumber("percent", Math.Round(op.PercentOfRun, 2));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.Flush();
            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
            return 0;
        }

        var ci = CultureInfo.InvariantCulture;
        output.WriteLine($"model: {label}");
        output.WriteLine($"threads: {options.EffectiveThreads}, load: {loadMs.ToString("F1", ci)} ms");
        foreach (var (name, v) in inputs) output.WriteLine($"input {name}: {Describe(v)} (seed {seed})");
        output.WriteLine(string.Create(ci, $"latency over {s.Count} runs ({m.WarmupRuns} warm-up): median {s.MedianMs:F3} ms, min {s.MinMs:F3} ms, p90 {s.P90Ms:F3} ms, mean {s.MeanMs:F3} ms"));
        output.WriteLine(string.Create(ci, $"peak memory: {peak / 1048576.0:F1} MiB resident ({peakSource}); managed allocated per run: {m.AllocatedBytesPerRun / 1048576.0:F2} MiB"));
        if (profiler is not null) PrintProfile(profiler, tracePath!, output);
        return 0;
    }

    private static void PrintProfile(NodeProfiler profiler, string tracePath, TextWriter output)
    {
        var ci = CultureInfo.InvariantCulture;
        var ops = profiler.TopOps();
        output.WriteLine(string.Create(ci,
            $"profile: {profiler.RunCount} timed runs (latency above includes profiling), mean {profiler.MeanRunMs:F3} ms per run; trace: {tracePath}"));
        output.WriteLine($"  {"op type",-28} {"count",6} {"ms/run",10} {"% of run",9}");
        foreach (var op in ops.Take(TopOpCount))
            output.WriteLine(string.Create(ci, $"  {op.OpType,-28} {op.NodesPerRun,6} {op.MsPerRun,10:F3} {op.PercentOfRun,8:F1}%"));
        if (ops.Count > TopOpCount)
        {
            var rest = ops.Skip(TopOpCount).ToList();
            output.WriteLine(string.Create(ci, $"  {$"({rest.Count} more op types)",-28} {rest.Sum(o => o.NodesPerRun),6} {rest.Sum(o => o.MsPerRun),10:F3} {rest.Sum(o => o.PercentOfRun),8:F1}%"));
        }
        double nodes = ops.Sum(o => o.PercentOfRun);
        output.WriteLine(string.Create(ci, $"  nodes account for {nodes:F1}% of the run; the rest is the executor between nodes."));
    }

    private static string Describe(Value v) =>
        v is Tensor t ? $"{DataTypes.Name(t.DataType)} {ShapeUtil.Format(t.Shape)}" : v.GetType().Name;
}
