using NativeInfer.Cli.Commands;
using NativeInfer.Errors;
using NativeInfer.Onnx.Import;
using NativeInfer.Onnx.Proto;
using NativeInfer.Session;
using NativeInfer.Tests.Bench;
using NativeInfer.Tests.Export;
using Xunit;

namespace NativeInfer.Tests.Cli;

/// <summary><c>nativeinfer optimize</c>: writes the optimized model, reports counts and firings, refuses bad command lines.</summary>
public class OptimizeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nativeinfer-optimize-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Output) Optimize(params string[] args)
    {
        var w = new StringWriter();
        int code = OptimizeCommand.Execute(args, w);
        return (code, w.ToString());
    }

    [SkippableFact]
    public void WritesTheOptimizedModelAndExplainsEachPass()
    {
        Skip.If(ExportCases.LightModel("squeezenet") is null, ExportCases.MissingSuite);
        string output = Path.Combine(_dir, "sq.onnx");
        var (code, text) = Optimize(ExportCases.LightModel("squeezenet")!, "-o", output, "--explain");
        Assert.Equal(0, code);
        Assert.Contains("nodes: 105 -> 39", text);
        Assert.Contains("ai.nativeinfer:FusedConv +26", text);
        Assert.Contains("ConvActivationFusion (Extended): 26 firings", text);
        Assert.Contains("ConstantFolding (Basic): 39 firings", text);
        Assert.Contains("IdentityElimination (Basic): 1 firing —", text);
        Assert.Contains(" + ", text); // the fused nodes are named
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(output));
        Assert.Equal(39, proto.Graph.Node.Count);
        Assert.Equal("nativeinfer optimize", proto.ProducerName);
        var model = new OnnxModelLoader().Load(output);
        Assert.Equal(26, model.Graph.Nodes.Count(n => n.OpType == "FusedConv"));
    }

    [SkippableFact]
    public void LevelAndDisabledPassesAreHonoured()
    {
        Skip.If(ExportCases.LightModel("squeezenet") is null, ExportCases.MissingSuite);
        string output = Path.Combine(_dir, "sq1.onnx");
        var (code, text) = Optimize(ExportCases.LightModel("squeezenet")!, "-o", output, "--level", "3", "--disable", "ConvActivationFusion", "--disable", "identityelimination", "--explain");
        Assert.Equal(0, code);
        Assert.Contains("nodes: 105 -> 66", text);
        Assert.DoesNotContain("ConvActivationFusion (", text);
        Assert.DoesNotContain("IdentityElimination (", text);
        Assert.DoesNotContain(new OnnxModelLoader().Load(output).Graph.Nodes, n => n.Domain.Length > 0);
        (code, text) = Optimize(ExportCases.LightModel("squeezenet")!, "-o", output, "--level", "0", "--explain");
        Assert.Equal(0, code);
        Assert.Contains("nodes: 105 -> 105", text);
        Assert.Contains("level: None (0)", text);
    }

    [Fact]
    public void UnknownPassIsAUsageErrorListingThePasses()
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        var e = Assert.Throws<CliUsageException>(() => Optimize(model.Path, "-o", Path.Combine(_dir, "x.onnx"), "--disable", "NoSuchPass"));
        Assert.Contains("'NoSuchPass'", e.Message);
        foreach (var pass in NativeInfer.Optimizer.GraphOptimizer.AllPasses) Assert.Contains(pass.Name, e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "x.onnx")));
        Assert.Equal(2, NativeInfer.Cli.Program.Main(["optimize", model.Path, "-o", Path.Combine(_dir, "x.onnx"), "--disable", "NoSuchPass"]));
    }

    [Fact]
    public void MissingOutputAndBadLevelAreUsageErrors()
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        Assert.Contains("-o", Assert.Throws<CliUsageException>(() => Optimize(model.Path)).Message);
        Assert.Contains("--level", Assert.Throws<CliUsageException>(() => Optimize(model.Path, "-o", Path.Combine(_dir, "x.onnx"), "--level", "7")).Message);
        Assert.Throws<CliUsageException>(() => Optimize("-o", Path.Combine(_dir, "x.onnx")));
        Assert.Throws<CliUsageException>(() => Optimize(model.Path, "-o", model.Path));
        Assert.Equal(2, NativeInfer.Cli.Program.Main(["optimize", model.Path]));
        Assert.Equal(GraphOptimizationLevel.Extended, OptimizeCommand.ParseLevel("extended"));
        Assert.Equal(GraphOptimizationLevel.Basic, OptimizeCommand.ParseLevel("1"));
    }

    [Fact]
    public void UnreadableModelFailsWithAClearMessage()
    {
        string bad = Path.Combine(_dir, "bad.onnx");
        File.WriteAllBytes(bad, [0x0a, 0xff, 0xff, 0x01, 0x02]);
        var e = Assert.ThrowsAny<ModelLoadException>(() => Optimize(bad, "-o", Path.Combine(_dir, "y.onnx")));
        Assert.Contains("ONNX", e.Message);
        Assert.Equal(1, NativeInfer.Cli.Program.Main(["optimize", bad, "-o", Path.Combine(_dir, "y.onnx")]));
        Assert.Contains("does not exist", Assert.Throws<CliUsageException>(() => Optimize(Path.Combine(_dir, "none.onnx"), "-o", Path.Combine(_dir, "y.onnx"))).Message);
        Assert.False(File.Exists(Path.Combine(_dir, "y.onnx")));
    }

    [Fact]
    public void SmallModelRoundTripsThroughTheCommand()
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        string output = Path.Combine(_dir, "dense.onnx");
        var (code, text) = Optimize(model.Path, "-o", output);
        Assert.Equal(0, code);
        Assert.Contains($"wrote {output}", text);
        var back = new OnnxModelLoader().Load(output);
        Assert.Equal("batch", back.Graph.FeedInputs.Single().Type!.Shape![0].Symbol);
    }
}
