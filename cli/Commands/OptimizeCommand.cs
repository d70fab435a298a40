using System.Globalization;
using NativeInfer.IR;
using NativeInfer.Onnx.Export;
using NativeInfer.Onnx.Import;
using NativeInfer.Optimizer;
using NativeInfer.Session;

namespace NativeInfer.Cli.Commands;

/// <summary>
/// <c>nativeinfer optimize &lt;model.onnx&gt; -o &lt;out.onnx&gt; [--level N] [--disable NAME ...] [--explain]</c>: runs the graph
/// optimizer as a session would (level 0..3 or None/Basic/Extended/All, default All; passes switched off by name) and
/// writes the optimized graph as an ONNX file (<see cref="OnnxModelWriter"/>; fused nodes in domain
/// <c>ai.nativeinfer</c>, with a doc_string naming what they fused). Prints the node counts before and after and how
/// the op types changed; <c>--explain</c> also prints every firing, grouped by pass.
/// </summary>
public static class OptimizeCommand
{
    public static int Execute(string[] args) => Execute(args, Console.Out);

    /// <exception cref="CliUsageException">A malformed command line, an unknown pass or level, a missing model file.</exception>
    public static int Execute(string[] args, TextWriter output)
    {
        // "-o" is the conventional short form; CliArgs only knows "--name value" options.
        var a = new CliArgs(args.Select(x => x == "-o" ? "--output" : x).ToArray(), "--explain");
        if (a.Positional.Count != 1)
            throw new CliUsageException(
                "usage: nativeinfer optimize <model.onnx> -o <out.onnx> [--level N] [--disable NAME ...] [--explain]" +
                (a.Positional.Count > 1 ? $" (got {a.Positional.Count} model paths: {string.Join(" ", a.Positional)})" : ""));
        string input = a.Positional[0];
        string outputPath = a.Option("--output")
            ?? throw new CliUsageException("missing -o <out.onnx>: where to write the optimized model.");
        var level = ParseLevel(a.Option("--level"));
        var options = new SessionOptions { OptimizationLevel = level };
        foreach (var name in a.Options("--disable"))
        {
            if (GraphOptimizer.Find(name) is null)
                throw new CliUsageException(
                    $"unknown optimizer pass '{name}' for --disable. Passes: {string.Join(", ", GraphOptimizer.AllPasses.Select(p => p.Name))}.");
            options.DisabledPasses.Add(name);
        }
        if (Directory.Exists(input)) throw new CliUsageException($"'{input}' is a folder; give the path of an .onnx file.");
        if (!File.Exists(input)) throw new CliUsageException($"model file '{input}' does not exist.");
        if (Path.GetFullPath(input) == Path.GetFullPath(outputPath))
            throw new CliUsageException("-o names the input model; write the optimized model to another file.");

        var model = new OnnxModelLoader().Load(input);
        var result = GraphOptimizer.Optimize(model, options);
        var export = new OnnxExportOptions
        {
            ProducerName = "nativeinfer optimize",
            DocString = $"Optimized by nativeinfer optimize from {Path.GetFileName(input)} (level {level}"
                        + (options.DisabledPasses.Count > 0 ? $", disabled: {string.Join(", ", options.DisabledPasses)}" : "") + ").",
            NodeDocString = OptimizationNotes.DocStrings(model, result),
        };
        string? dataFile;
        try
        {
            dataFile = OnnxModelWriter.Save(result.Model, outputPath, export);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"nativeinfer optimize: cannot write '{outputPath}': {e.Message}");
            return 1;
        }

        output.WriteLine($"model: {input}");
        output.WriteLine($"level: {level} ({(int)level})" + (options.DisabledPasses.Count > 0 ? $", disabled: {string.Join(", ", options.DisabledPasses)}" : ""));
        output.WriteLine($"nodes: {result.NodesBefore} -> {result.NodesAfter}");
        var changes = OpTypeChanges(model.Graph, result.Model.Graph);
        if (changes.Count > 0) output.WriteLine("op types: " + string.Join(", ", changes));
        if (a.Flag("--explain")) Explain(result, options, output);
        output.WriteLine($"wrote {outputPath} ({new FileInfo(outputPath).Length.ToString("N0", CultureInfo.InvariantCulture)} bytes)"
                         + (dataFile is null ? "" : $" and external data {dataFile}"));
        return 0;
    }

    /// <summary>0..3 or a level name; default All.</summary>
    public static GraphOptimizationLevel ParseLevel(string? s)
    {
        if (s is null) return GraphOptimizationLevel.All;
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 0 and <= 3) return (GraphOptimizationLevel)n;
        if (!int.TryParse(s, out _) && Enum.TryParse<GraphOptimizationLevel>(s, ignoreCase: true, out var named)) return named;
        throw new CliUsageException($"--level expects 0..3 or one of {string.Join(", ", Enum.GetNames<GraphOptimizationLevel>())}, got '{s}'.");
    }

    /// <summary>Per op type (domain-qualified outside the default domain): "+n"/"-n" where the count changed.</summary>
    private static List<string> OpTypeChanges(Graph before, Graph after)
    {
        static Dictionary<string, int> Count(Graph g) =>
            g.Nodes.GroupBy(n => (n.Domain.Length == 0 ? "" : n.Domain + ":") + n.OpType).ToDictionary(x => x.Key, x => x.Count());
        var b = Count(before);
        var c = Count(after);
        return b.Keys.Union(c.Keys)
            .Select(k => (Key: k, Delta: c.GetValueOrDefault(k) - b.GetValueOrDefault(k)))
            .Where(x => x.Delta != 0)
            .OrderBy(x => x.Delta).ThenBy(x => x.Key, StringComparer.Ordinal)
            .Select(x => $"{x.Key} {(x.Delta > 0 ? "+" : "")}{x.Delta}")
            .ToList();
    }

    private static void Explain(OptimizationResult result, SessionOptions options, TextWriter output)
    {
        var byPass = result.Log.GroupBy(e => e.Pass).ToDictionary(g => g.Key, g => g.Select(e => e.Detail).ToList());
        var quiet = new List<string>();
        foreach (var pass in GraphOptimizer.AllPasses)
        {
            bool enabled = pass.Level <= options.OptimizationLevel && !options.DisabledPasses.Contains(pass.Name);
            if (!byPass.Remove(pass.Name, out var details))
            {
                if (enabled) quiet.Add(pass.Name);
                continue;
            }
            output.WriteLine($"{pass.Name} ({pass.Level}): {details.Count} firing{(details.Count == 1 ? "" : "s")} — {pass.Description}");
            foreach (var d in details) output.WriteLine($"  {d}");
        }
        foreach (var (pass, details) in byPass) // firings logged under a name the pass list does not know
        {
            output.WriteLine($"{pass}: {details.Count} firing{(details.Count == 1 ? "" : "s")}");
            foreach (var d in details) output.WriteLine($"  {d}");
        }
        if (quiet.Count > 0) output.WriteLine($"ran without firing: {string.Join(", ", quiet)}");
        if (result.Log.Count == 0 && quiet.Count == 0) output.WriteLine("no pass enabled at this level.");
    }
}
