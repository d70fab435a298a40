using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using NativeInfer.IR;
using NativeInfer.Onnx.Import;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Onnx.Conformance;

/// <summary>
/// Runs an ONNX backend-test suite folder. Two layouts are understood: case folders (model.onnx plus
/// test_data_set_*/input_N.pb and output_N.pb, inputs bound by position to the graph's non-initializer inputs), and the
/// "light" layout (NAME.onnx plus NAME_output_0.pb, one float input filled with k/n as ONNX's runner does).
/// </summary>
public sealed class ConformanceRunner
{
    public Regex? Filter { get; init; }
    public ToleranceOverrides Overrides { get; init; } = ToleranceOverrides.Empty;
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public TimeSpan CaseTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public SessionOptions SessionOptions { get; init; } = new();

    /// <summary>Called after each case (from worker threads).</summary>
    public Action<CaseResult>? OnCase { get; init; }

    public ConformanceReport Run(string suiteDir)
    {
        if (!Directory.Exists(suiteDir)) throw new DirectoryNotFoundException($"Suite folder '{suiteDir}' not found.");
        var sw = Stopwatch.StartNew();
        var cases = new List<(string Name, Func<CancellationToken, CaseResult> Run)>();
        foreach (var dir in Directory.GetDirectories(suiteDir).Order(StringComparer.Ordinal))
            if (File.Exists(Path.Combine(dir, "model.onnx")))
            {
                string name = Path.GetFileName(dir);
                cases.Add((name, ct => RunCaseFolder(name, dir, ct)));
            }
        foreach (var model in Directory.GetFiles(suiteDir, "*.onnx").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileNameWithoutExtension(model);
            string expected = Path.Combine(suiteDir, name + "_output_0.pb");
            if (File.Exists(expected)) cases.Add((name, ct => RunLightModel(name, model, expected, ct)));
        }
        if (Filter is not null) cases = cases.Where(c => Filter.IsMatch(c.Name)).ToList();

        var results = new ConcurrentBag<CaseResult>();
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Parallelism) }, c =>
        {
            var r = RunWithTimeout(c.Name, c.Run);
            results.Add(r);
            OnCase?.Invoke(r);
        });
        return new ConformanceReport
        {
            Suite = suiteDir,
            Cases = results.OrderBy(r => r.Name, StringComparer.Ordinal).ToList(),
            Seconds = sw.Elapsed.TotalSeconds,
        };
    }

    private CaseResult RunWithTimeout(string name, Func<CancellationToken, CaseResult> run)
    {
        var sw = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(CaseTimeout);
        var task = Task.Factory.StartNew(() =>
        {
            try { return run(cts.Token); }
            catch (OperationCanceledException) { return new CaseResult(name, CaseStatus.Errored, $"timed out after {CaseTimeout.TotalSeconds:F0} s", 0); }
            catch (Exception e) { return new CaseResult(name, CaseStatus.Errored, Describe(e), 0); }
        }, TaskCreationOptions.LongRunning);
        // The token stops the run between nodes; the extra grace covers a single node that runs long.
        if (!task.Wait(CaseTimeout + TimeSpan.FromSeconds(10)))
            return new CaseResult(name, CaseStatus.Errored, $"timed out after {CaseTimeout.TotalSeconds:F0} s", sw.Elapsed.TotalSeconds);
        return task.Result with { Seconds = sw.Elapsed.TotalSeconds };
    }

    private static string Describe(Exception e)
    {
        string msg = $"{e.GetType().Name}: {e.Message}";
        if (e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal))
            msg += $" ({inner.GetType().Name}: {inner.Message})";
        return msg.ReplaceLineEndings(" ");
    }

    private CaseResult RunCaseFolder(string name, string dir, CancellationToken ct)
    {
        var sets = Directory.GetDirectories(dir, "test_data_set_*").Order(StringComparer.Ordinal).ToArray();
        if (sets.Length == 0) return new CaseResult(name, CaseStatus.Skipped, "no test_data_set_* folder", 0);
        using var session = new InferenceSession(Path.Combine(dir, "model.onnx"), SessionOptions);
        var feeds = session.Model.Graph.FeedInputs.ToList();
        var outputs = session.Model.Graph.Outputs;
        var (atol, rtol) = Overrides.For(name);
        foreach (var set in sets)
        {
            var inputs = new Dictionary<string, Value>();
            for (int i = 0; ; i++)
            {
                string path = Path.Combine(set, $"input_{i}.pb");
                if (!File.Exists(path)) break;
                if (i >= feeds.Count) return new CaseResult(name, CaseStatus.Errored, $"test data has more inputs than the graph ({feeds.Count})", 0);
                var v = OnnxValueIO.ReadValue(path, feeds[i].Type);
                if (v is OptionalValue { HasValue: false } && feeds[i].Type?.Kind != ValueKind.Optional) continue;
                if (v is not null) inputs[feeds[i].Name] = v;
            }
            var actual = session.Run(inputs, ct);
            for (int i = 0; i < outputs.Count; i++)
            {
                string path = Path.Combine(set, $"output_{i}.pb");
                if (!File.Exists(path)) continue;
                var expected = OnnxValueIO.ReadValue(path, outputs[i].Type);
                if (ValueComparer.Compare(expected, actual[i].Value, atol, rtol) is { } diff)
                    return new CaseResult(name, CaseStatus.Failed, $"{Path.GetFileName(set)} output {i} '{outputs[i].Name}': {diff}", 0);
            }
        }
        return new CaseResult(name, CaseStatus.Passed, "", 0);
    }

    private CaseResult RunLightModel(string name, string modelPath, string expectedPath, CancellationToken ct)
    {
        using var session = new InferenceSession(modelPath, SessionOptions);
        var input = session.Model.Graph.FeedInputs.Single();
        var shape = (input.Type?.Shape ?? Array.Empty<Dim>()).Select(d => d.IsKnown ? (int)d.Value : 1).ToArray();
        var x = new Tensor<float>(shape);
        int n = x.Length;
        for (int k = 0; k < n; k++) x[k] = (float)k / n;
        var actual = session.Run(new Dictionary<string, Value> { [input.Name] = x }, ct);
        var expected = OnnxValueIO.ReadTensor(expectedPath);
        var (atol, rtol) = Overrides.For(name);
        if (ValueComparer.Compare(expected, actual[0].Value, atol, rtol) is { } diff)
            return new CaseResult(name, CaseStatus.Failed, $"output 0: {diff}", 0);
        return new CaseResult(name, CaseStatus.Passed, "", 0);
    }
}
