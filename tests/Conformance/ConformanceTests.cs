using NativeInfer.Onnx.Conformance;
using NativeInfer.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NativeInfer.Tests.Conformance;

/// <summary>
/// The ONNX backend suite from ../shared/onnx-backend (or $NATIVEINFER_ONNX_TESTS). Every case on the committed
/// expected-pass list must pass; the list only grows. When the data is absent these tests are skipped.
/// </summary>
public abstract class ConformanceTests<TRun>(TRun run, ITestOutputHelper output) where TRun : SuiteRun
{
    [SkippableFact]
    public void ExpectedCasesPass()
    {
        Skip.If(TestPaths.OnnxSuite is null, "ONNX backend test data not found: set NATIVEINFER_ONNX_TESTS or place it at ../shared/onnx-backend.");
        var report = run.Report!;
        output.WriteLine(report.Summary);
        var byName = report.Cases.ToDictionary(c => c.Name);
        var regressions = new List<string>();
        foreach (var name in run.Expected)
        {
            if (!byName.TryGetValue(name, out var c)) regressions.Add($"{name}: case not found in the suite");
            else if (c.Status != CaseStatus.Passed) regressions.Add($"{name}: {c.Status}: {c.Detail}");
        }
        var newlyPassing = report.Cases.Where(c => c.Status == CaseStatus.Passed).Select(c => c.Name).Except(run.Expected).ToList();
        if (newlyPassing.Count > 0)
            output.WriteLine($"{newlyPassing.Count} passing cases are not yet on {run.ExpectedFile}: {string.Join(", ", newlyPassing.Take(50))}");
        Assert.True(regressions.Count == 0,
            $"{regressions.Count} expected-pass cases no longer pass:\n" + string.Join("\n", regressions));
    }
}

public sealed class NodeConformanceTests(NodeSuiteRun run, ITestOutputHelper output)
    : ConformanceTests<NodeSuiteRun>(run, output), IClassFixture<NodeSuiteRun>;

public sealed class SimpleConformanceTests(SimpleSuiteRun run, ITestOutputHelper output)
    : ConformanceTests<SimpleSuiteRun>(run, output), IClassFixture<SimpleSuiteRun>;

public sealed class LightConformanceTests(LightSuiteRun run, ITestOutputHelper output)
    : ConformanceTests<LightSuiteRun>(run, output), IClassFixture<LightSuiteRun>;
