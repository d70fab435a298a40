using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NativeInfer.IR;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Onnx.Benchmarking;

/// <summary>One op type's share of a profiled run: nodes per run, time per run (self time: a subgraph's nodes are not
/// counted again in their If/Loop/Scan node) and that time as a percentage of the run.</summary>
public sealed record OpTimeSummary(string OpType, int NodesPerRun, double MsPerRun, double PercentOfRun);

/// <summary>
/// A per-node profiler, set as <see cref="SessionOptions.Observer"/>: between <see cref="BeginRun"/> and
/// <see cref="EndRun"/> it records when each node starts and finishes (<see cref="Stopwatch"/> ticks, on the thread that
/// runs the node, subgraph nodes nested in their parent) and each node's output shapes. It only reads what the
/// executor hands it, so results do not change; outside a recorded run it costs one field read per node. Recording
/// is per thread (no locks); read the results (<see cref="WriteChromeTrace"/>, <see cref="TopOps"/>) after the runs.
/// </summary>
public sealed class NodeProfiler : IExecutionObserver
{
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly ThreadLocal<ThreadLog> _logs = new(() => new ThreadLog(Environment.CurrentManagedThreadId), trackAllValues: true);

    /// <summary>Starts recording a run on the calling thread (the thread that calls Session.Run).</summary>
    public void BeginRun()
    {
        var log = _logs.Value!;
        log.Open.Clear();
        log.RunStart = Stopwatch.GetTimestamp();
        log.Recording = true;
    }

    /// <summary>Ends the run begun on this thread.</summary>
    public void EndRun()
    {
        var log = _logs.Value!;
        if (!log.Recording) throw new InvalidOperationException("EndRun without BeginRun on this thread.");
        log.Runs.Add((log.RunStart, Stopwatch.GetTimestamp()));
        log.Recording = false;
    }

    /// <summary>Runs recorded so far, all threads.</summary>
    public int RunCount => _logs.Values.Sum(l => l.Runs.Count);

    void IExecutionObserver.NodeStarted(Node node)
    {
        var log = _logs.Value!;
        if (!log.Recording) return;
        log.Open.Add(new OpenNode(node, Stopwatch.GetTimestamp()));
    }

    void IExecutionObserver.NodeFinished(Node node, ReadOnlySpan<Value?> outputs)
    {
        long end = Stopwatch.GetTimestamp();
        var log = _logs.Value!;
        if (!log.Recording) return;
        // Nodes that threw never finish: drop them from the open stack.
        int at = log.Open.Count - 1;
        while (at >= 0 && !ReferenceEquals(log.Open[at].Node, node)) at--;
        if (at < 0) return;
        var open = log.Open[at];
        log.Open.RemoveRange(at, log.Open.Count - at);
        long duration = end - open.Start;
        if (at > 0)
        {
            var parent = log.Open[at - 1];
            log.Open[at - 1] = parent with { ChildTicks = parent.ChildTicks + duration };
        }
        log.Events.Add(new NodeEvent(node, open.Start, end, duration - open.ChildTicks, at, log.Shapes(node, outputs)));
    }

    /// <summary>
    /// Writes the recorded runs as Chrome trace event JSON (opens in Perfetto and chrome://tracing): one complete ("X")
    /// event per run (cat "run") and per node execution (name = node name, cat = op type; args: op_type, domain,
    /// output_shapes, depth), ts and dur in microseconds from the profiler's creation, one pid, tid = managed thread id.
    /// </summary>
    public void WriteChromeTrace(Stream stream, string processName = "nativeinfer")
    {
        using var w = new Utf8JsonWriter(stream);
        w.WriteStartObject();
        w.WriteStartArray("traceEvents");
        w.WriteStartObject();
        w.WriteString("name", "process_name");
        w.WriteString("ph", "M");
        w.WriteNumber("pid", 1);
        w.WriteNumber("tid", 0);
        w.WriteStartObject("args");
        w.WriteString("name", processName);
        w.WriteEndObject();
        w.WriteEndObject();
        foreach (var log in _logs.Values.OrderBy(l => l.ThreadId))
        {
            if (log.Runs.Count == 0 && log.Events.Count == 0) continue;
            w.WriteStartObject();
            w.WriteString("name", "thread_name");
            w.WriteString("ph", "M");
            w.WriteNumber("pid", 1);
            w.WriteNumber("tid", log.ThreadId);
            w.WriteStartObject("args");
            w.WriteString("name", $"run thread {log.ThreadId}");
            w.WriteEndObject();
            w.WriteEndObject();
            for (int i = 0; i < log.Runs.Count; i++)
            {
                var (start, end) = log.Runs[i];
                Complete(w, $"run {i}", "run", start, end, log.ThreadId);
                w.WriteStartObject("args");
                w.WriteNumber("iteration", i);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            foreach (var e in log.Events)
            {
                Complete(w, e.Node.DisplayName, e.Node.OpType, e.Start, e.End, log.ThreadId);
                w.WriteStartObject("args");
                w.WriteString("op_type", QualifiedOpType(e.Node));
                w.WriteString("domain", e.Node.Domain.Length == 0 ? "ai.onnx" : e.Node.Domain);
                w.WriteString("output_shapes", e.Shapes);
                w.WriteNumber("depth", e.Depth);
                w.WriteNumber("self_us", Math.Round(Micros(e.SelfTicks), 3));
                w.WriteEndObject();
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        w.WriteString("displayTimeUnit", "ms");
        w.WriteEndObject();
    }

    /// <summary>Writes <see cref="WriteChromeTrace(Stream, string)"/> to a file.</summary>
    public void WriteChromeTrace(string path, string processName = "nativeinfer")
    {
        using var fs = File.Create(path);
        WriteChromeTrace(fs, processName);
    }

    /// <summary>Op types by self time per run, largest first.</summary>
    public IReadOnlyList<OpTimeSummary> TopOps()
    {
        int runs = RunCount;
        if (runs == 0) return Array.Empty<OpTimeSummary>();
        double runMs = _logs.Values.SelectMany(l => l.Runs).Sum(r => Micros(r.End - r.Start)) / 1000.0 / runs;
        return _logs.Values.SelectMany(l => l.Events)
            .GroupBy(e => QualifiedOpType(e.Node))
            .Select(g =>
            {
                double ms = g.Sum(e => Micros(e.SelfTicks)) / 1000.0 / runs;
                return new OpTimeSummary(g.Key, (int)Math.Round((double)g.Count() / runs), ms, runMs > 0 ? 100 * ms / runMs : 0);
            })
            .OrderByDescending(s => s.MsPerRun).ThenBy(s => s.OpType, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Mean wall time of a recorded run, in milliseconds (0 without runs).</summary>
    public double MeanRunMs
    {
        get
        {
            var runs = _logs.Values.SelectMany(l => l.Runs).ToList();
            return runs.Count == 0 ? 0 : runs.Average(r => Micros(r.End - r.Start)) / 1000.0;
        }
    }

    private static string QualifiedOpType(Node n) => n.Domain.Length == 0 ? n.OpType : $"{n.Domain}:{n.OpType}";

    private double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    private void Complete(Utf8JsonWriter w, string name, string category, long start, long end, int tid)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("cat", category);
        w.WriteString("ph", "X");
        w.WriteNumber("ts", Math.Round(Micros(start - _origin), 3));
        w.WriteNumber("dur", Math.Round(Micros(end - start), 3));
        w.WriteNumber("pid", 1);
        w.WriteNumber("tid", tid);
    }

    private readonly record struct OpenNode(Node Node, long Start, long ChildTicks = 0);

    private readonly record struct NodeEvent(Node Node, long Start, long End, long SelfTicks, int Depth, string Shapes);

    /// <summary>What one thread recorded. Output-shape text is cached per node and reused while the shapes stay the same.</summary>
    private sealed class ThreadLog(int threadId)
    {
        public readonly int ThreadId = threadId;
        public bool Recording;
        public long RunStart;
        public readonly List<OpenNode> Open = new();
        public readonly List<NodeEvent> Events = new();
        public readonly List<(long Start, long End)> Runs = new();
        private readonly Dictionary<Node, (int[]?[] Shapes, string Text)> _shapes = new(ReferenceEqualityComparer.Instance);

        public string Shapes(Node node, ReadOnlySpan<Value?> outputs)
        {
            if (_shapes.TryGetValue(node, out var cached) && Same(cached.Shapes, outputs)) return cached.Text;
            var shapes = new int[]?[outputs.Length];
            var text = new StringBuilder();
            for (int i = 0; i < outputs.Length; i++)
            {
                if (i > 0) text.Append(' ');
                switch (outputs[i])
                {
                    case Tensor t:
                        shapes[i] = (int[])t.Shape.Clone();
                        text.Append(DataTypes.Name(t.DataType)).Append(ShapeUtil.Format(t.Shape));
                        break;
                    case null:
                        text.Append('-');
                        break;
                    case var v:
                        text.Append(v.GetType().Name);
                        break;
                }
            }
            var s = text.ToString();
            _shapes[node] = (shapes, s);
            return s;
        }

        private static bool Same(int[]?[] shapes, ReadOnlySpan<Value?> outputs)
        {
            if (shapes.Length != outputs.Length) return false;
            for (int i = 0; i < outputs.Length; i++)
            {
                if (outputs[i] is Tensor t)
                {
                    if (shapes[i] is not { } s || !s.AsSpan().SequenceEqual(t.Shape)) return false;
                }
                else if (shapes[i] is not null || outputs[i] is not null) return false; // non-tensors: describe again
            }
            return true;
        }
    }
}
