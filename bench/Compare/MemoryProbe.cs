using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NativeInfer.Onnx.Benchmarking;

namespace NativeInfer.Bench.Compare;

/// <summary>
/// Peak memory per engine, measured fairly: each engine runs in its own fresh child process
/// (<c>bench compare-probe</c>) that generates the same seeded inputs, creates the engine's session on the model and runs
/// it <c>runs</c> times, then reports its peak resident set (VmHWM). Both children are the same .NET host with the
/// same inputs, so the difference between them is the engine (its native libraries, weights, arenas and buffers).
/// The numbers are whole-process peaks: they include the .NET runtime (~30–60 MB), which both share.
/// </summary>
public static class MemoryProbe
{
    public const string Verb = "compare-probe";

    /// <summary>The engine names the probe understands.</summary>
    public const string Ort = "ort", NativeInfer = "nativeinfer";

    /// <summary>Whether this process can start a probe child (it runs as the bench executable or its dll).</summary>
    public static bool CanSpawn => ChildCommand() is not null;

    /// <summary>Peak RSS bytes of a child process running <paramref name="engine"/>, or null when unavailable.</summary>
    /// <exception cref="InvalidOperationException">The child failed (its error output is in the message).</exception>
    public static long? Measure(string engine, ModelSource model, int threads, int seed, IReadOnlyList<BenchmarkInputSpec> inputs, int runs, TimeSpan timeout,
        Session.GraphOptimizationLevel level = Session.GraphOptimizationLevel.All)
    {
        if (ChildCommand() is not { } cmd) return null;
        var psi = new ProcessStartInfo(cmd.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in cmd.Prefix) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(Verb);
        psi.ArgumentList.Add("--engine"); psi.ArgumentList.Add(engine);
        if (model.Path is not null) { psi.ArgumentList.Add("--model"); psi.ArgumentList.Add(model.Path); }
        psi.ArgumentList.Add("--threads"); psi.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--seed"); psi.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--runs"); psi.ArgumentList.Add(runs.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--level"); psi.ArgumentList.Add(((int)level).ToString(CultureInfo.InvariantCulture));
        foreach (var spec in inputs) { psi.ArgumentList.Add("--input"); psi.ArgumentList.Add(spec.ToString()); }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start the memory probe process.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the {engine} memory probe took longer than {timeout.TotalSeconds:F0} s.");
        }
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"the {engine} memory probe failed (exit {p.ExitCode}): {stderr.Result.Trim()}");
        using var doc = JsonDocument.Parse(stdout.Result.Trim().Split('\n')[^1]);
        return doc.RootElement.TryGetProperty("peak_bytes", out var pk) && pk.ValueKind == JsonValueKind.Number ? pk.GetInt64() : null;
    }

    /// <summary>The child's side: <c>compare-probe --engine E [--model PATH] --threads N --seed S --runs R [--level L] [--input SPEC ...]</c>
    /// (<see cref="BenchmarkInputSpec"/>: the inputs are rebuilt without loading the model outside the measured engine);
    /// prints one JSON line <c>{"engine","baseline_bytes","peak_bytes"}</c>.</summary>
    public static int RunChild(Cli.Commands.CliArgs args)
    {
        string engine = args.Option("--engine") ?? throw new Cli.Commands.CliUsageException("--engine ort|nativeinfer is required.");
        var model = args.Option("--model") is { } path ? ModelSource.FromFile(path) : ModelSource.Default;
        int threads = args.IntOption("--threads", 1), seed = args.IntOption("--seed", BenchmarkInputs.DefaultSeed);
        int runs = args.IntOption("--runs", 1);
        var level = CompareCommand.ParseLevel(args);
        var inputs = BenchmarkInputs.Create(args.Options("--input").Select(BenchmarkInputSpec.Parse), seed);
        long baseline = ProcessMemory.CurrentRssBytes ?? 0;
        using (IBenchEngine e = engine switch
        {
            Ort => new OrtEngine(model, threads, inputs, null),
            NativeInfer => new NativeInferEngine(model, threads, inputs, level),
            _ => throw new Cli.Commands.CliUsageException($"--engine must be '{Ort}' or '{NativeInfer}', got '{engine}'."),
        })
        {
            for (int i = 0; i < runs; i++) e.Run();
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"engine\":\"{engine}\",\"baseline_bytes\":{baseline},\"peak_bytes\":{ProcessMemory.PeakRssBytes ?? Environment.WorkingSet}}}"));
        return 0;
    }

    private static (string FileName, string[] Prefix)? ChildCommand()
    {
        var exe = Environment.ProcessPath;
        var asm = typeof(MemoryProbe).Assembly.Location;
        if (exe is null) return null;
        string exeName = Path.GetFileNameWithoutExtension(exe);
        if (exeName == Path.GetFileNameWithoutExtension(asm)) return (exe, []);
        // Hosted by another process (dotnet NativeInfer.Bench.dll, or a test host): run the dll with the dotnet host.
        if (asm.Length == 0 || !File.Exists(Path.ChangeExtension(asm, ".runtimeconfig.json"))) return null;
        string dotnet = exeName == "dotnet" ? exe : "dotnet";
        return (dotnet, [asm]);
    }
}
