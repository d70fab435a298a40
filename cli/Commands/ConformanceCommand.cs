using System.Text.RegularExpressions;
using NativeInfer.Onnx.Conformance;

namespace NativeInfer.Cli.Commands;

/// <summary>
/// <c>nativeinfer conformance SUITE [--report FILE.json] [--filter REGEX] [--overrides FILE] [--threads N] [--timeout S]</c>:
/// runs an ONNX backend-test folder, prints each non-passing case and a one-line summary, writes a JSON report.
/// </summary>
public static class ConformanceCommand
{
    public static int Execute(CliArgs args)
    {
        if (args.Positional.Count != 1) throw new CliUsageException("usage: nativeinfer conformance <suite-dir> [--report FILE.json] [--filter REGEX]");
        string suite = args.Positional[0];
        var filter = args.Option("--filter") is { } f ? new Regex(f, RegexOptions.CultureInvariant) : null;
        var overrides = args.Option("--overrides") is { } o ? ToleranceOverrides.Load(o) : DefaultOverrides();
        var runner = new ConformanceRunner
        {
            Filter = filter,
            Overrides = overrides,
            Parallelism = args.IntOption("--threads", Environment.ProcessorCount),
            CaseTimeout = TimeSpan.FromSeconds(args.IntOption("--timeout", 60)),
            SessionOptions = new Session.SessionOptions { Backend = args.Backend(), CpuFallback = !args.Flag("--no-fallback") },
            OnCase = r =>
            {
                if (r.Status != CaseStatus.Passed)
                    Console.WriteLine($"{r.Status.ToString().ToUpperInvariant(),-7} {r.Name}: {r.Detail}");
            },
        };
        var report = runner.Run(suite);
        if (args.Option("--report") is { } path) File.WriteAllText(path, report.ToJson());
        Console.WriteLine(report.Summary);
        if (args.Flag("--no-fallback"))
        {
            // Cases refused at session creation because a node has no kernel on the chosen backend.
            int notApplicable = report.Cases.Count(c => c.Status == CaseStatus.Errored && c.Detail.Contains(NoKernelMarker, StringComparison.Ordinal));
            Console.WriteLine($"{args.Option("--backend") ?? "cpu"} without fallback: {report.Cases.Count(c => c.Status == CaseStatus.Passed)} passed, "
                + $"{notApplicable} not applicable (a node without a kernel there), "
                + $"{report.Cases.Count(c => c.Status != CaseStatus.Passed) - notApplicable} failed or errored otherwise.");
        }
        return 0;
    }

    /// <summary>The start of the message of a session refused because a node has no GPU kernel.</summary>
    public const string NoKernelMarker = "With CPU fallback off";

    /// <summary>The committed overrides file, when run from a checkout (tests/conformance/tolerance-overrides.txt).</summary>
    private static ToleranceOverrides DefaultOverrides()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "conformance", "tolerance-overrides.txt");
            if (File.Exists(candidate)) return ToleranceOverrides.Load(candidate);
        }
        return ToleranceOverrides.Empty;
    }
}
