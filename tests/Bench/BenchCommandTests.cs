using System.Text.Json;
using NativeInfer.Cli.Commands;
using Xunit;

namespace NativeInfer.Tests.Bench;

public class BenchCommandTests
{
    private static (int Code, string Output) Bench(params string[] args)
    {
        var w = new StringWriter();
        int code = BenchCommand.Execute(new CliArgs(args, "--json"), w);
        return (code, w.ToString());
    }

    [Fact]
    public void JsonIsOneObjectWithTheLatencyAndMemoryKeys()
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        var (code, output) = Bench(model.Path, "--iters", "5", "--warmup", "1", "--threads", "1", "--dim", "batch=3", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output); // throws when there is anything besides one JSON value
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        double median = root.GetProperty("median_ms").GetDouble();
        double min = root.GetProperty("min_ms").GetDouble();
        double p90 = root.GetProperty("p90_ms").GetDouble();
        Assert.True(min > 0 && min <= median && median <= p90, $"min {min}, median {median}, p90 {p90}");
        Assert.True(root.GetProperty("peak_bytes").GetInt64() > 1 << 20);
        Assert.Equal(5, root.GetProperty("iterations").GetInt32());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        Assert.Equal("float32 [3,8]", root.GetProperty("inputs").GetProperty("x").GetString());
    }

    [Fact]
    public void UnknownDimsDefaultToOneAndTextReportsTheStatistics()
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        var (code, output) = Bench(model.Path, "--iters", "2", "--warmup", "0");
        Assert.Equal(0, code);
        Assert.Contains("input x: float32 [1,8]", output);
        Assert.Contains("latency over 2 runs (0 warm-up): median", output);
        Assert.Contains("p90", output);
        Assert.Contains("peak memory:", output);
    }

    [Theory]
    [InlineData("batch")]
    [InlineData("batch=")]
    [InlineData("=3")]
    [InlineData("batch=0")]
    [InlineData("batch=-2")]
    [InlineData("batch=two")]
    [InlineData("batch=99999999999")]
    public void MalformedDimIsAUsageError(string spec)
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        var e = Assert.Throws<CliUsageException>(() => Bench(model.Path, "--dim", spec, "--iters", "1"));
        Assert.Contains("--dim", e.Message);
    }

    [Fact]
    public void DimNamingNoSymbolListsTheModelsSymbols()
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        var e = Assert.Throws<CliUsageException>(() => Bench(model.Path, "--dim", "seq=4", "--iters", "1"));
        Assert.Contains("'seq'", e.Message);
        Assert.Contains("batch", e.Message);
    }

    [Fact]
    public void RepeatedDimIsAUsageError()
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        Assert.Throws<CliUsageException>(() => Bench(model.Path, "--dim", "batch=2", "--dim", "batch=3"));
    }

    [Fact]
    public void MissingModelFileIsAUsageErrorNamingThePath()
    {
        var e = Assert.Throws<CliUsageException>(() => Bench("/nonexistent/model.onnx"));
        Assert.Contains("/nonexistent/model.onnx", e.Message);
        Assert.Throws<CliUsageException>(() => Bench(Path.GetTempPath()));
    }

    [Theory]
    [InlineData("--iters", "0")]
    [InlineData("--iters", "x")]
    [InlineData("--warmup", "-1")]
    [InlineData("--threads", "100000")]
    public void BadNumbersAreUsageErrors(string option, string value)
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        Assert.Throws<CliUsageException>(() => Bench(model.Path, option, value));
    }

    [Fact]
    public void OptionWithoutValueAndTwoModelsAreUsageErrors()
    {
        Assert.Throws<CliUsageException>(() => Bench("--iters"));
        Assert.Throws<CliUsageException>(() => Bench("a.onnx", "b.onnx"));
    }

    [Fact]
    public void ProgramReturnsTwoForAUsageError()
    {
        Assert.Equal(2, NativeInfer.Cli.Program.Main(["bench", "/nonexistent/model.onnx"]));
    }
}
