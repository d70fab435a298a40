using System.Globalization;
using System.Text;
using NativeInfer.Cli.Commands;

namespace NativeInfer.Bench.Compare;

/// <summary>
/// <c>compare --ops</c>: each kernel alone against ONNX Runtime (<see cref="OpCases"/>), with the same method as a model
/// comparison (<see cref="CompareRunner"/>: seeded inputs, output check, alternating timed runs, medians), reported as
/// one Markdown table with GFLOP/s and the fraction of this machine's FP32 peak (<see cref="MachinePeak"/>, measured for
/// the same thread count before the first case).
/// </summary>
public static class OpsReport
{
    public static int Execute(CompareSettings settings, string? filter, string? markdownFile, TextWriter output, TextWriter log)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"nativeinfer-ops-{Environment.ProcessId}");
        List<OpCase> cases;
        try { cases = OpCases.Write(folder, filter); }
        catch (ArgumentException e) { throw new CliUsageException($"--filter: {e.Message}"); }
        if (cases.Count == 0) throw new CliUsageException($"no op case matches --filter '{filter}'.");
        try
        {
            log.WriteLine($"compare --ops: measuring the FP32 peak on {settings.Threads} thread(s)...");
            double peak = MachinePeak.Cached(settings.Threads);
            var rows = new List<(OpCase Case, CompareResult Result)>();
            foreach (var c in cases)
            {
                log.WriteLine($"compare: {c.Model.Name}");
                CompareResult r;
                try { r = CompareRunner.Run(c.Model, settings, log); }
                catch (Exception e) when (e is Onnx.Benchmarking.BenchmarkSetupException or Errors.ModelLoadException or Errors.InvalidInputException
                                              or Errors.NodeExecutionException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or NotSupportedException)
                {
                    r = CompareResult.Failed(c.Model.Name, $"{e.GetType().Name}: {e.Message}");
                }
                rows.Add((c, r));
            }
            string md = Markdown(rows, settings, peak, DateTime.UtcNow);
            output.WriteLine(md);
            if (markdownFile is not null) File.WriteAllText(markdownFile, md);
            return rows.All(x => x.Result.Error is null && x.Result.OutputsAgree) ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public static string Markdown(IReadOnlyList<(OpCase Case, CompareResult Result)> rows, CompareSettings settings, double peakGflops, DateTime date)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| op | shape | ORT median ms | NativeInfer median ms | ratio | ORT GFLOP/s | NativeInfer GFLOP/s | NativeInfer % of peak | max rel err |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (c, r) in rows)
        {
            if (r.Error is not null)
            {
                sb.AppendLine($"| {c.Op} | {c.Shape} | – | – | – | – | – | – | error: {r.Error.Replace("|", "\\|").ReplaceLineEndings(" ")} |");
                continue;
            }
            string Gf(double ms) => c.Flops > 0 ? (c.Flops / ms / 1e6).ToString("F1", ci) : "–";
            string pct = c.Flops > 0 ? (c.Flops / r.NativeInfer!.MedianMs / 1e6 / peakGflops * 100).ToString("F0", ci) + "%" : "–";
            string err = double.IsNaN(r.MaxRelativeError) ? "n/a" : r.MaxRelativeError.ToString("0.0e+0", ci) + (r.OutputsAgree ? "" : " ✗");
            sb.AppendLine(string.Create(ci,
                $"| {c.Op} | {c.Shape} | {r.Ort!.MedianMs:F3} | {r.NativeInfer!.MedianMs:F3} | {r.Ratio:F2} | {Gf(r.Ort.MedianMs)} | {Gf(r.NativeInfer.MedianMs)} | {pct} | {err} |"));
        }
        var ratios = rows.Where(x => x.Result.Error is null && double.IsFinite(x.Result.Ratio) && x.Result.Ratio > 0).Select(x => x.Result.Ratio).ToList();
        sb.AppendLine();
        sb.AppendLine(ratios.Count == 0 ? "Geometric-mean ratio: n/a"
            : FormattableString.Invariant($"Geometric-mean ratio NativeInfer/ORT: **{SuiteReport.GeometricMean(ratios):F2}** over {ratios.Count} kernel(s) (below 1: NativeInfer faster)."));
        sb.AppendLine();
        sb.AppendLine(string.Create(ci, $"{date:yyyy-MM-dd HH:mm} UTC · {MachineInfo.CpuModel}, {MachineInfo.Cores} cores · {MachineInfo.Runtime} · ONNX Runtime {MachineInfo.OrtVersion} (CPU EP, ORT_ENABLE_ALL, sequential, intra-op spinning off) · NativeInfer level {(int)settings.Level}"));
        sb.AppendLine(string.Create(ci, $"Threads: {settings.Threads} per engine · each kernel is a one-node model (weights as initializers, the fed input seeded) · up to {settings.Iterations} timed runs per engine, alternating, median of single-run wall times (session overhead included) · FP32 peak for {settings.Threads} thread(s): {peakGflops:F0} GFLOP/s (FMA chains, measured before the first case) · GFLOP/s counts a multiply-add as 2."));
        return sb.ToString();
    }
}
