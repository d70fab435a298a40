using System.Text.Json;
using NativeInfer.Cli.Commands;
using NativeInfer.Onnx.Benchmarking;
using NativeInfer.Onnx.Import;
using NativeInfer.Optimizer;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Bench;
using NativeInfer.Tests.Export;
using Xunit;

namespace NativeInfer.Tests.Cli;

/// <summary><c>nativeinfer bench --profile</c> and the <see cref="NodeProfiler"/> behind it.</summary>
public class BenchProfileTests
{
    private static List<JsonElement> CompleteEvents(JsonDocument trace) =>
        trace.RootElement.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X").ToList();

    [Fact]
    public void TraceHasOneEventPerNodePerTimedRun()
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        string trace = Path.Combine(Path.GetTempPath(), $"nativeinfer-trace-{Guid.NewGuid():N}.json");
        try
        {
            var w = new StringWriter();
            int code = BenchCommand.Execute(new CliArgs([model.Path, "--iters", "4", "--warmup", "2", "--threads", "1", "--profile", trace, "--json"], "--json"), w);
            Assert.Equal(0, code);
            using var report = JsonDocument.Parse(w.ToString());
            var profile = report.RootElement.GetProperty("profile");
            Assert.Equal(4, profile.GetProperty("runs").GetInt32());
            Assert.Equal(trace, profile.GetProperty("trace").GetString());

            var graph = GraphOptimizer.Optimize(new OnnxModelLoader().Load(model.Path), new SessionOptions()).Model.Graph;
            using var doc = JsonDocument.Parse(File.ReadAllBytes(trace));
            var events = CompleteEvents(doc);
            var runs = events.Where(e => e.GetProperty("cat").GetString() == "run").ToList();
            var nodes = events.Where(e => e.GetProperty("cat").GetString() != "run").ToList();
            Assert.Equal(4, runs.Count); // the 2 warm-up runs are not profiled
            Assert.Equal(graph.Nodes.Count * 4, nodes.Count);
            foreach (var n in graph.Nodes)
                Assert.Equal(4, nodes.Count(e => e.GetProperty("name").GetString() == n.DisplayName && e.GetProperty("cat").GetString() == n.OpType));
            Assert.All(events, e =>
            {
                Assert.True(e.GetProperty("dur").GetDouble() >= 0);
                Assert.True(e.GetProperty("ts").GetDouble() >= 0);
                Assert.Equal(1, e.GetProperty("pid").GetInt32());
                Assert.True(e.TryGetProperty("tid", out _));
            });
            // Node events lie inside their run.
            foreach (var e in nodes)
            {
                double ts = e.GetProperty("ts").GetDouble(), end = ts + e.GetProperty("dur").GetDouble();
                Assert.Contains(runs, r => r.GetProperty("ts").GetDouble() <= ts + 1e-3
                                          && end <= r.GetProperty("ts").GetDouble() + r.GetProperty("dur").GetDouble() + 1e-3);
            }
            // MatMul + Add + Relu run as one ai.nativeinfer:FusedGemm (GemmActivationFusion).
            var matmul = nodes.First(e => e.GetProperty("cat").GetString() == "FusedGemm");
            Assert.Equal("float32[1,4]", matmul.GetProperty("args").GetProperty("output_shapes").GetString());
            Assert.Equal("ai.nativeinfer:FusedGemm", matmul.GetProperty("args").GetProperty("op_type").GetString());
            var top = profile.GetProperty("top_ops").EnumerateArray().ToList();
            // The top-ops table names ops outside the default domain with their domain (ai.nativeinfer:FusedElementwise).
            Assert.Equal(graph.Nodes.Select(n => n.Domain.Length == 0 ? n.OpType : $"{n.Domain}:{n.OpType}").Distinct().Order(),
                top.Select(t => t.GetProperty("op_type").GetString()!).Order());
            Assert.All(top, t => Assert.InRange(t.GetProperty("percent").GetDouble(), 0, 100));
        }
        finally
        {
            File.Delete(trace);
        }
    }

    [Fact]
    public void TextReportListsTheTopOps()
    {
        using var model = BenchModels.Write(BenchModels.Dense());
        string trace = Path.Combine(Path.GetTempPath(), $"nativeinfer-trace-{Guid.NewGuid():N}.json");
        try
        {
            var w = new StringWriter();
            Assert.Equal(0, BenchCommand.Execute(new CliArgs([model.Path, "--iters", "2", "--warmup", "0", "--profile", trace], "--json"), w));
            string text = w.ToString();
            Assert.Contains("profile: 2 timed runs", text);
            Assert.Contains("op type", text);
            Assert.Contains("FusedGemm", text);
            Assert.True(File.Exists(trace));
        }
        finally
        {
            File.Delete(trace);
        }
        Assert.Throws<CliUsageException>(() => BenchCommand.Execute(new CliArgs([model.Path, "--profile", Path.GetTempPath()], "--json"), new StringWriter()));
    }

    [Fact]
    public void ProfilingDoesNotChangeResults()
    {
        var model = new OnnxModelLoader().Load(BenchModels.Dense());
        var x = new Tensor<float>(Enumerable.Range(0, 24).Select(i => (i % 5 - 2) * 0.7f).ToArray(), [3, 8]);
        var inputs = new Dictionary<string, Value> { ["x"] = x };
        var profiler = new NodeProfiler();
        using var plain = new GraphSession(model, new SessionOptions { IntraOpThreads = 1 });
        using var watched = new GraphSession(model, new SessionOptions { IntraOpThreads = 1, Observer = profiler });
        var expected = plain.Run(inputs)[0].Value!.AsTensor().As<float>().ToArray();
        profiler.BeginRun();
        var actual = watched.Run(inputs)[0].Value!.AsTensor().As<float>().ToArray();
        profiler.EndRun();
        Assert.Equal(expected, actual);
        Assert.Equal(1, profiler.RunCount);
        // The session runs its optimized graph (the optimizer may fuse nodes): one record per node of that graph.
        int nodes = watched.ExecutionGraph.Nodes.Count;
        Assert.Equal(nodes, profiler.TopOps().Sum(o => o.NodesPerRun));
        // Outside BeginRun/EndRun nothing is recorded.
        watched.Run(inputs);
        Assert.Equal(nodes, profiler.TopOps().Sum(o => o.NodesPerRun));
    }

    [SkippableFact]
    public void SubgraphNodesNestInTheirParentAndSelfTimeExcludesThem()
    {
        Skip.If(ExportCases.NodeCase("test_loop11") is null, ExportCases.MissingSuite);
        string dir = ExportCases.NodeCase("test_loop11")!;
        var model = new OnnxModelLoader().Load(Path.Combine(dir, "model.onnx"));
        var (inputs, _) = ExportCases.NodeCaseData(dir, model);
        var profiler = new NodeProfiler();
        using var session = new GraphSession(model, new SessionOptions { IntraOpThreads = 1, Observer = profiler });
        profiler.BeginRun();
        session.Run(inputs);
        profiler.EndRun();
        var stream = new MemoryStream();
        profiler.WriteChromeTrace(stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var events = CompleteEvents(doc).Where(e => e.GetProperty("cat").GetString() != "run").ToList();
        var loop = events.Single(e => e.GetProperty("cat").GetString() == "Loop");
        var inner = events.Where(e => e.GetProperty("args").GetProperty("depth").GetInt32() == 1).ToList();
        Assert.NotEmpty(inner);
        double loopStart = loop.GetProperty("ts").GetDouble(), loopEnd = loopStart + loop.GetProperty("dur").GetDouble();
        Assert.All(inner, e => Assert.InRange(e.GetProperty("ts").GetDouble(), loopStart - 1e-3, loopEnd + 1e-3));
        double loopSelf = loop.GetProperty("args").GetProperty("self_us").GetDouble();
        Assert.InRange(loopSelf, 0, loop.GetProperty("dur").GetDouble() - inner.Sum(e => e.GetProperty("dur").GetDouble()) + 1e-2);
    }
}
