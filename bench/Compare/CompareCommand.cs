using System.Globalization;
using NativeInfer.Cli.Commands;
using NativeInfer.Onnx.Benchmarking;
using NativeInfer.Session;

namespace NativeInfer.Bench.Compare;

/// <summary>
/// <c>bench compare</c>: ONNX Runtime against NativeInfer on one model or a suite of models (see <see cref="Help"/>).
/// Exit code 0 when every model ran and its outputs agree, 1 otherwise, 2 for a malformed command line.
/// </summary>
public static class CompareCommand
{
    public const string Help = """
        dotnet run --project bench -c Release -- compare [<model.onnx>] [options]
        dotnet run --project bench -c Release -- compare --suite light [--markdown FILE] [options]
        dotnet run --project bench -c Release -- compare --ops [--filter REGEX] [--markdown FILE] [options]

        Runs ONNX Runtime (CPU EP, GraphOptimizationLevel ORT_ENABLE_ALL, IntraOpNumThreads = N, InterOpNumThreads = 1,
        sequential execution) and NativeInfer (SessionOptions.IntraOpThreads = N) on the same seeded random inputs in
        one process. Without a model: the default ResNet18. --suite light: the 9 models of the ONNX backend suite's
        light/ folder ($NATIVEINFER_ONNX_TESTS/light, else ../shared/onnx-backend/light next to the checkout) plus the
        default ResNet18, reported as one Markdown table; --suite DIR takes every .onnx in DIR. --ops compares kernels
        alone: one-node models (Conv on the ResNet/Inception/SqueezeNet/ShuffleNet layer shapes, MatMul, pooling,
        elementwise, Softmax, LayerNormalization, Transpose, Concat; --filter keeps the cases whose "op shape" matches
        the regular expression), reported with GFLOP/s and the fraction of this machine's measured FP32 peak.

        Method: each engine runs once and their outputs are compared (max |NI - ORT| / max |ORT| over each output,
        worst output; must be <= 1e-3); then up to --warmup runs each (warm-up stops after a quarter of the budget);
        then up to --iters timed single runs each, alternating the two engines (ORT first on even iterations,
        NativeInfer first on odd ones) and stopping once --budget seconds have been used. Reported: medians (with min
        and p90) and the ratio of medians NativeInfer/ORT. Peak memory: for each engine a fresh child process
        (same .NET host, same inputs) loads the model, runs it --probe-runs times and reports its peak resident set
        (VmHWM); whole-process numbers, so both include the .NET runtime.

        Options:
          --threads N       threads per engine (default 2)
          --iters N         timed runs per engine, at most (default 20)
          --warmup N        warm-up runs per engine, at most, the first being the output check (default 3)
          --budget S        stop a model's timed runs after S seconds (default 20)
          --dim NAME=VALUE  size of a symbolic input dimension (repeatable; others are 1)
          --seed N          input generator seed (default 1234)
          --probe-runs N    runs in each memory-probe child (default 1)
          --no-memory       skip the peak-memory child processes
          --level N         NativeInfer's optimization level: 0 none, 1 basic, 2 extended, 3 all (default 3)
          --markdown FILE   also write the Markdown table to FILE
        """;

    public static int Execute(CliArgs args, TextWriter output, TextWriter log)
    {
        if (args.Flag("--help")) { output.WriteLine(Help); return 0; }
        var settings = ParseSettings(args);
        string? suite = args.Option("--suite");
        if (args.Flag("--ops"))
        {
            if (suite is not null || args.Positional.Count > 0) throw new CliUsageException("--ops takes no model and no --suite.");
            return OpsReport.Execute(settings with { MeasureMemory = false }, args.Option("--filter"), args.Option("--markdown"), output, log);
        }
        if (args.Option("--filter") is not null) throw new CliUsageException("--filter applies to --ops only.");
        if (suite is not null && args.Positional.Count > 0)
            throw new CliUsageException("give either a model or --suite, not both.");
        if (args.Positional.Count > 1)
            throw new CliUsageException($"expects at most one model path, got {args.Positional.Count}.");

        List<ModelSource> models;
        if (suite is not null) models = SuiteModels(suite);
        else
        {
            try { models = [args.Positional.Count == 1 ? ModelSource.FromFile(args.Positional[0]) : ModelSource.Default]; }
            catch (FileNotFoundException e) { throw new CliUsageException(e.Message); }
        }

        var results = new List<CompareResult>();
        foreach (var model in models)
        {
            log.WriteLine($"compare: {model.Name}{(model.Path is null ? "" : " (" + model.Path + ")")}");
            CompareResult r;
            try
            {
                r = CompareRunner.Run(model, settings, log);
            }
            catch (BenchmarkSetupException e) when (suite is null)
            {
                throw new CliUsageException(e.Message);
            }
            catch (Exception e) when (e is BenchmarkSetupException or Errors.ModelLoadException or Errors.InvalidInputException
                                          or Errors.NodeExecutionException or Tensors.TensorSizeException
                                          or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or NotSupportedException)
            {
                r = CompareResult.Failed(model.Name, $"{e.GetType().Name}: {e.Message}");
            }
            results.Add(r);
            if (suite is null) PrintOne(r, settings, output);
            else log.WriteLine(Summary(r));
        }

        if (suite is not null)
        {
            string md = SuiteReport.Markdown(results, settings, DateTime.UtcNow);
            output.WriteLine(md);
            if (args.Option("--markdown") is { } file)
            {
                var dir = Path.GetDirectoryName(Path.GetFullPath(file));
                if (dir is not null) Directory.CreateDirectory(dir);
                File.WriteAllText(file, md);
                log.WriteLine($"compare: wrote {file}");
            }
        }
        else if (args.Option("--markdown") is { } file) File.WriteAllText(file, SuiteReport.Markdown(results, settings, DateTime.UtcNow));
        return results.All(r => r.Error is null && r.OutputsAgree) ? 0 : 1;
    }

    public static CompareSettings ParseSettings(CliArgs args)
    {
        int threads = args.IntOption("--threads", 2);
        if (threads < 1 || threads > 1024) throw new CliUsageException($"--threads must be from 1 to 1024, got {threads}.");
        int iters = args.IntOption("--iters", 20);
        if (iters < 1) throw new CliUsageException("--iters must be at least 1.");
        int warmup = args.IntOption("--warmup", 3);
        int probeRuns = args.IntOption("--probe-runs", 1);
        if (probeRuns < 1) throw new CliUsageException("--probe-runs must be at least 1.");
        double budget = 20;
        if (args.Option("--budget") is { } b
            && (!double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out budget) || !(budget > 0) || budget > 86400))
            throw new CliUsageException($"--budget expects seconds (a positive number up to 86400), got '{b}'.");
        var dims = args.Options("--dim").ToList();
        try { DimOverrides.Parse(dims); }
        catch (BenchmarkSetupException e) { throw new CliUsageException(e.Message); }
        return new CompareSettings(threads, iters, warmup, budget, args.IntOption("--seed", BenchmarkInputs.DefaultSeed), dims,
            !args.Flag("--no-memory"), probeRuns, ParseLevel(args));
    }

    /// <summary><c>--level N</c>: NativeInfer's graph optimization level, 0 (none) to 3 (all, the default).</summary>
    public static GraphOptimizationLevel ParseLevel(CliArgs args)
    {
        int level = args.IntOption("--level", (int)GraphOptimizationLevel.All);
        if (level is < 0 or > 3) throw new CliUsageException($"--level must be from 0 to 3, got {level}.");
        return (GraphOptimizationLevel)level;
    }

    /// <summary>The models of a suite: "light" (the ONNX backend suite's light models plus the default ResNet18) or a folder.</summary>
    public static List<ModelSource> SuiteModels(string suite)
    {
        string dir;
        bool addDefault = false;
        if (suite == "light")
        {
            dir = LocateLightSuite() ?? throw new CliUsageException(
                "cannot find the light models: set NATIVEINFER_ONNX_TESTS to the ONNX backend test data folder (holding light/), or place it at ../shared/onnx-backend next to the checkout.");
            addDefault = true;
        }
        else if (Directory.Exists(suite)) dir = suite;
        else throw new CliUsageException($"--suite expects 'light' or a folder of .onnx models; '{suite}' is neither.");
        var files = Directory.GetFiles(dir, "*.onnx").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new CliUsageException($"no .onnx models in '{dir}'.");
        var models = files.Select(ModelSource.FromFile).ToList();
        if (addDefault) models.Add(ModelSource.Default);
        return models;
    }

    /// <summary>$NATIVEINFER_ONNX_TESTS/light, else ../shared/onnx-backend/light next to the checkout (found above the
    /// executable or the current folder); null when neither exists.</summary>
    public static string? LocateLightSuite()
    {
        var env = Environment.GetEnvironmentVariable("NATIVEINFER_ONNX_TESTS");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "light"))) return Path.Combine(env, "light");
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "NativeInfer.sln")))
                {
                    var light = Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "onnx-backend", "light"));
                    if (Directory.Exists(light)) return light;
                    break;
                }
        return null;
    }

    private static string Summary(CompareResult r) => r.Error is not null
        ? $"  {r.Model}: ERROR {r.Error}"
        : string.Create(CultureInfo.InvariantCulture,
            $"  {r.Model}: ORT {r.Ort!.MedianMs:F2} ms, NativeInfer {r.NativeInfer!.MedianMs:F2} ms, ratio {r.Ratio:F2}, max rel err {r.MaxRelativeError:0.0e+0}{(r.OutputsAgree ? "" : " (OVER 1e-3)")}");

    private static void PrintOne(CompareResult r, CompareSettings s, TextWriter o)
    {
        var ci = CultureInfo.InvariantCulture;
        o.WriteLine($"model: {r.Model}");
        if (r.Error is not null) { o.WriteLine($"error: {r.Error}"); return; }
        foreach (var spec in r.Inputs) o.WriteLine($"input {spec.Name}: {Tensors.DataTypes.Name(spec.Type)} [{string.Join(",", spec.Shape)}] (seed {s.Seed})");
        o.WriteLine(string.Create(ci, $"threads: {s.Threads} per engine; {r.Ort!.Count} timed runs each, alternating, after {r.WarmupRuns} warm-up{(r.StoppedByBudget ? $" (stopped by the {s.BudgetSeconds:0.#} s budget)" : "")}"));
        o.WriteLine(string.Create(ci, $"ONNX Runtime {MachineInfo.OrtVersion}: median {r.Ort.MedianMs:F3} ms (min {r.Ort.MinMs:F3}, p90 {r.Ort.P90Ms:F3})"));
        o.WriteLine(string.Create(ci, $"NativeInfer:         median {r.NativeInfer!.MedianMs:F3} ms (min {r.NativeInfer.MinMs:F3}, p90 {r.NativeInfer.P90Ms:F3})"));
        o.WriteLine(string.Create(ci, $"ratio NativeInfer/ORT (medians): {r.Ratio:F3}"));
        o.WriteLine(double.IsNaN(r.MaxRelativeError)
            ? "max rel error: n/a"
            : string.Create(ci, $"max rel error: {r.MaxRelativeError:0.000e+0} ({(r.OutputsAgree ? "OK" : "OVER")} tolerance {OutputAgreement.Tolerance:0e+0})"));
        o.WriteLine(r.OrtPeakBytes is null && r.NativeInferPeakBytes is null
            ? "peak memory: not measured"
            : string.Create(ci, $"peak memory (VmHWM, one fresh process per engine): ORT {r.OrtPeakBytes / 1048576.0:F1} MiB, NativeInfer {r.NativeInferPeakBytes / 1048576.0:F1} MiB"));
        if (r.NativeInferPlannedPeakBytes is { } planned)
            o.WriteLine(string.Create(ci, $"NativeInfer planned activation peak (memory arena): {planned / 1048576.0:F1} MiB"));
        if (r.Note is not null) o.WriteLine($"note: {r.Note}");
    }
}
