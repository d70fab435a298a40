using NativeInfer.Bench.Compare;
using NativeInfer.Cli.Commands;
using NativeInfer.Onnx.Benchmarking;
using Xunit;

namespace NativeInfer.Tests.Bench;

public class CompareTests
{
    [Fact]
    public void ComparesOnATinyModelAndTheOutputsAgree()
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        var settings = new CompareSettings(Threads: 1, Iterations: 4, Warmup: 2, Dims: ["batch=5"], MeasureMemory: false);
        var r = CompareRunner.Run(ModelSource.FromFile(model.Path), settings);
        Assert.Null(r.Error);
        Assert.Equal(4, r.Ort!.Count);
        Assert.Equal(4, r.NativeInfer!.Count);
        Assert.Equal(2, r.WarmupRuns);
        Assert.InRange(r.MaxRelativeError, 0, 1e-6);
        Assert.True(r.OutputsAgree);
        Assert.True(double.IsFinite(r.Ratio) && r.Ratio > 0);
        Assert.Equal([5, 8], r.Inputs.Single().Shape);
    }

    [Fact]
    public void CommandPrintsMediansRatioAndError()
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        var output = new StringWriter();
        int code = CompareCommand.Execute(new CliArgs([model.Path, "--threads", "1", "--iters", "3", "--warmup", "1", "--no-memory"], "--no-memory"),
            output, TextWriter.Null);
        Assert.Equal(0, code);
        string text = output.ToString();
        Assert.Contains("ONNX Runtime 1.31.1: median", text);
        Assert.Contains("NativeInfer:         median", text);
        Assert.Contains("ratio NativeInfer/ORT (medians):", text);
        Assert.Contains("max rel error:", text);
    }

    [SkippableFact]
    public void MemoryProbeChildReportsAPeak()
    {
        Skip.IfNot(MemoryProbe.CanSpawn && File.Exists("/proc/self/status"), "cannot start the bench executable from this host, or not Linux");
        using var model = BenchModels.Write(BenchModels.Dense());
        var src = ModelSource.FromFile(model.Path);
        var specs = new[] { new BenchmarkInputSpec("x", Tensors.DataType.Float, [2, 8]) };
        long? peak = MemoryProbe.Measure(MemoryProbe.NativeInfer, src, 1, 1, specs, 1, TimeSpan.FromSeconds(60));
        Assert.NotNull(peak);
        Assert.InRange(peak!.Value, 1L << 20, 1L << 34);
    }

    [Fact]
    public void AgreementIsRelativeToTheOutputScale()
    {
        var ort = new[] { new OutputData("y", [2], [1.0, -2.0]) };
        Assert.Equal(0.05, OutputAgreement.MaxRelativeError(ort, [new OutputData("y", [2], [1.0, -1.9])]), 12);
        Assert.Equal(0, OutputAgreement.MaxRelativeError(ort, ort));
        Assert.Equal(double.PositiveInfinity, OutputAgreement.MaxRelativeError(ort, [new OutputData("y", [1, 2], [1.0, -2.0])]));
        Assert.Equal(double.PositiveInfinity, OutputAgreement.MaxRelativeError(ort, [new OutputData("y", [2], [double.NaN, -2.0])]));
        var nan = new[] { new OutputData("y", [2], [double.NaN, 4.0]) };
        Assert.Equal(0.25, OutputAgreement.MaxRelativeError(nan, [new OutputData("y", [2], [double.NaN, 3.0])]), 12);
        Assert.Equal(0.5, OutputAgreement.MaxRelativeError([new OutputData("z", [1], [0.0])], [new OutputData("z", [1], [0.5])]), 12);
    }

    [Fact]
    public void SuiteTableHasTheColumnsAndTheGeometricMean()
    {
        var s = LatencyStatistics.From([10.0]);
        var results = new[]
        {
            new CompareResult("a", [], s, LatencyStatistics.From([20.0]), 1, false, 1e-6, 100L << 20, 50L << 20, null, NativeInferPlannedPeakBytes: 3L << 19),
            new CompareResult("b", [], s, LatencyStatistics.From([80.0]), 1, false, 2e-3, null, null, null),
            CompareResult.Failed("c", "boom"),
        };
        string md = SuiteReport.Markdown(results, new CompareSettings(), new DateTime(2026, 1, 2));
        Assert.Contains("| model | ORT median ms | NativeInfer median ms | ratio | ORT peak MB | NativeInfer peak MB | NI planned activations MB | max rel err |", md);
        Assert.Contains("| a | 10.00 | 20.00 | 2.00 | 100 | 50 | 1.5 | 1.0e-6 |", md);
        Assert.Contains("| b | 10.00 | 80.00 | 8.00 | n/a | n/a | n/a | 2.0e-3 ✗ |", md);
        Assert.Contains("| c |", md);
        Assert.Contains("**4.00** over 2 model(s)", md); // √(2 × 8)
        Assert.Contains("2026-01-02", md);
        Assert.Contains("cores", md);
    }

    [Fact]
    public void UsageErrors()
    {
        static int Run(params string[] a) => CompareCommand.Execute(new CliArgs(a, "--no-memory"), TextWriter.Null, TextWriter.Null);
        Assert.Throws<CliUsageException>(() => Run("/nonexistent/model.onnx"));
        Assert.Throws<CliUsageException>(() => Run("m.onnx", "--suite", "light"));
        Assert.Throws<CliUsageException>(() => Run("--suite", "/nonexistent/folder"));
        Assert.Throws<CliUsageException>(() => Run("--budget", "soon"));
        Assert.Throws<CliUsageException>(() => Run("--threads", "0"));
        Assert.Throws<CliUsageException>(() => Run("--dim", "batch"));
    }

    [Fact]
    public void EveryOpCaseIsAValidOneNodeModel()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"ni-opcases-{Guid.NewGuid():N}");
        try
        {
            var cases = OpCases.Write(dir, null);
            Assert.Equal(OpCases.All().Count(), cases.Count);
            Assert.Contains(cases, c => c.Op == "Conv" && c.Shape.Contains("3x3s2"));
            Assert.Contains(cases, c => c.Op == "MatMul");
            foreach (var c in cases)
            {
                using var session = new InferenceSession(c.Model.Path!, new NativeInfer.Session.SessionOptions { OptimizationLevel = NativeInfer.Session.GraphOptimizationLevel.None });
                Assert.Single(session.Model.Graph.Nodes);
                Assert.Equal(c.Op, session.Model.Graph.Nodes[0].OpType);
                Assert.True(c.Flops > 0 == c.Op is "Conv" or "MatMul", c.Model.Name);
            }
            Assert.Single(OpCases.Write(Path.Combine(dir, "f"), "^Relu "));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void OpsCommandComparesAKernelAndReportsItsRow()
    {
        var output = new StringWriter();
        int code = CompareCommand.Execute(new CliArgs(["--ops", "--filter", "^(Relu|Conv sq 1x1 16-64)", "--threads", "1", "--iters", "3", "--warmup", "1"], "--ops"),
            output, TextWriter.Null);
        Assert.Equal(0, code);
        string md = output.ToString();
        Assert.Contains("| op | shape | ORT median ms | NativeInfer median ms | ratio | ORT GFLOP/s | NativeInfer GFLOP/s | NativeInfer % of peak | max rel err |", md);
        Assert.Contains("| Relu | 256×56² |", md);
        Assert.Matches(@"\| Conv \| sq 1x1 16-64 55 \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9]+% \|", md);
        Assert.Contains("over 2 kernel(s)", md);
        Assert.Throws<CliUsageException>(() => CompareCommand.Execute(new CliArgs(["--ops", "--filter", "("], "--ops"), TextWriter.Null, TextWriter.Null));
        Assert.Throws<CliUsageException>(() => CompareCommand.Execute(new CliArgs(["--ops", "--filter", "^nothing$"], "--ops"), TextWriter.Null, TextWriter.Null));
        Assert.Throws<CliUsageException>(() => CompareCommand.Execute(new CliArgs(["--filter", "Relu"], "--ops"), TextWriter.Null, TextWriter.Null));
    }
}
