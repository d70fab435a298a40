using NativeInfer.Onnx.Conformance;
using NativeInfer.Tests.Support;

namespace NativeInfer.Tests.Conformance;

/// <summary>Runs one folder of the ONNX backend suite once per test run and checks it against its expected-pass list.</summary>
public abstract class SuiteRun
{
    private readonly Lazy<ConformanceReport?> _report;

    protected SuiteRun(string folder, string expectedFile)
    {
        ExpectedFile = expectedFile;
        _report = new Lazy<ConformanceReport?>(() =>
        {
            var root = TestPaths.OnnxSuite;
            if (root is null) return null;
            var runner = new ConformanceRunner
            {
                Overrides = ToleranceOverrides.Load(TestPaths.ConformanceFile("tolerance-overrides.txt")),
                CaseTimeout = TimeSpan.FromSeconds(120),
            };
            var report = runner.Run(Path.Combine(root, folder));
            var outDir = Path.Combine(TestPaths.RepoRoot, "TestResults");
            Directory.CreateDirectory(outDir);
            File.WriteAllText(Path.Combine(outDir, $"conformance-{folder}.json"), report.ToJson());
            return report;
        });
    }

    public string ExpectedFile { get; }

    /// <summary>The report, or null when the suite data is absent.</summary>
    public ConformanceReport? Report => _report.Value;

    /// <summary>Case names the committed list says must pass ('#' starts a comment).</summary>
    public IReadOnlyList<string> Expected =>
        File.ReadLines(TestPaths.ConformanceFile(ExpectedFile))
            .Select(l => (l.Contains('#') ? l[..l.IndexOf('#')] : l).Trim())
            .Where(l => l.Length > 0).ToList();
}

public sealed class NodeSuiteRun() : SuiteRun("node", "expected-pass-node.txt");
public sealed class SimpleSuiteRun() : SuiteRun("simple", "expected-pass-simple.txt");
public sealed class LightSuiteRun() : SuiteRun("light", "expected-pass-light.txt");
