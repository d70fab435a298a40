using System.Globalization;
using System.Text;

namespace NativeInfer.Bench.Compare;

/// <summary>The Markdown table of a comparison run: one row per model, then the geometric-mean ratio over the models
/// that ran, and the date, machine, threads and iteration settings.</summary>
public static class SuiteReport
{
    public static string Markdown(IReadOnlyList<CompareResult> results, CompareSettings settings, DateTime date)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| model | ORT median ms | NativeInfer median ms | ratio | ORT peak MB | NativeInfer peak MB | NI planned activations MB | max rel err |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            if (r.Error is not null)
            {
                sb.AppendLine($"| {r.Model} | – | – | – | – | – | – | error: {Escape(r.Error)} |");
                continue;
            }
            string err = double.IsNaN(r.MaxRelativeError) ? "n/a" : r.MaxRelativeError.ToString("0.0e+0", ci) + (r.OutputsAgree ? "" : " ✗");
            sb.AppendLine(string.Create(ci,
                $"| {r.Model} | {r.Ort!.MedianMs:F2} | {r.NativeInfer!.MedianMs:F2} | {r.Ratio:F2} | {Mb(r.OrtPeakBytes)} | {Mb(r.NativeInferPeakBytes)} | {Mb1(r.NativeInferPlannedPeakBytes)} | {err} |"));
        }
        var ratios = results.Where(r => r.Error is null && double.IsFinite(r.Ratio) && r.Ratio > 0).Select(r => r.Ratio).ToList();
        sb.AppendLine();
        sb.AppendLine(ratios.Count == 0 ? "Geometric-mean ratio: n/a"
            : FormattableString.Invariant($"Geometric-mean ratio NativeInfer/ORT: **{GeometricMean(ratios):F2}** over {ratios.Count} model(s) (below 1: NativeInfer faster)."));
        sb.AppendLine();
        sb.AppendLine(string.Create(ci, $"{date:yyyy-MM-dd HH:mm} UTC · {MachineInfo.CpuModel}, {MachineInfo.Cores} cores · {MachineInfo.Runtime} · ONNX Runtime {MachineInfo.OrtVersion} (CPU EP, ORT_ENABLE_ALL, sequential, inter-op 1, intra-op spinning off)"));
        sb.AppendLine(string.Create(ci, $"Threads: {settings.Threads} per engine · NativeInfer optimization level {(int)settings.Level} ({settings.Level}) · up to {settings.Iterations} timed runs per engine (alternating, after up to {settings.Warmup} warm-up runs), stopped after {settings.BudgetSeconds:0.#} s per model · median of single-run wall times · peak MB: VmHWM of a fresh child process per engine (load + {settings.ProbeRuns} run(s), .NET runtime included) · NI planned activations: the memory planner's arena for these inputs (node outputs only, no weights) · max rel err: max |NI − ORT| ÷ max |ORT| (tolerance {OutputAgreement.Tolerance:0e+0}, ✗ over)."));
        int stopped = results.Count(r => r.StoppedByBudget);
        if (stopped > 0) sb.AppendLine($"Time budget cut {stopped} model(s) short: " + string.Join(", ", results.Where(r => r.StoppedByBudget).Select(r => $"{r.Model} ({r.Ort!.Count} runs)")) + ".");
        var notes = results.Where(r => r.Note is not null).Select(r => $"{r.Model}: {r.Note}").ToList();
        if (notes.Count > 0) sb.AppendLine("Notes: " + Escape(string.Join("; ", notes)));
        return sb.ToString();
    }

    public static double GeometricMean(IReadOnlyCollection<double> values) =>
        values.Count == 0 ? double.NaN : Math.Exp(values.Average(Math.Log));

    private static string Mb(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) : "n/a";

    private static string Mb1(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) : "n/a";

    private static string Escape(string s) => s.Replace("|", "\\|").ReplaceLineEndings(" ");
}
