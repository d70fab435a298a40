using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Bench.Compare;

/// <summary>NativeInfer with <see cref="SessionOptions.IntraOpThreads"/> = threads.</summary>
public sealed class NativeInferEngine : IBenchEngine
{
    private readonly InferenceSession _session;
    private IReadOnlyDictionary<string, Value> _inputs = new Dictionary<string, Value>();

    /// <summary>Loads the model; bind inputs with <see cref="Bind"/> before running.</summary>
    public NativeInferEngine(ModelSource model, int threads, GraphOptimizationLevel level = GraphOptimizationLevel.All)
    {
        var options = new SessionOptions { IntraOpThreads = threads, OptimizationLevel = level };
        _session = model.Path is null ? new InferenceSession(ModelSource.DefaultModelBytes(), options) : new InferenceSession(model.Path, options);
    }

    public NativeInferEngine(ModelSource model, int threads, IReadOnlyDictionary<string, Value> inputs,
        GraphOptimizationLevel level = GraphOptimizationLevel.All) : this(model, threads, level) => Bind(inputs);

    /// <summary>The model's feed inputs (graph inputs that are not initializers).</summary>
    public IReadOnlyList<IR.ValueInfo> Feeds => _session.Model.Graph.FeedInputs.ToList();

    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    public long MaxTensorBytes => _session.Options.MaxTensorBytes;

    public NativeInferEngine Bind(IReadOnlyDictionary<string, Value> inputs) { _inputs = inputs; _outputs = null; return this; }

    public string Name => "NativeInfer";

    /// <summary>
    /// One inference. After the first, the outputs go into tensors kept from it (the session's pre-allocated-output
    /// run), as ONNX Runtime's outputs go to memory its allocator reuses: a large output then costs a copy, not a new
    /// large-object-heap array and the full collections those bring.
    /// </summary>
    public void Run()
    {
        if (_outputs is { } bound)
        {
            _session.Run(_inputs, bound);
            return;
        }
        var outputs = _session.Run(_inputs);
        if (outputs.All(o => o.Value is Tensor t && t.DataType != DataType.String))
            _outputs = outputs.ToDictionary(o => o.Key, o => ((Tensor)o.Value!).Clone());
    }

    private Dictionary<string, Tensor>? _outputs;

    /// <summary>The memory planner's arena size (planned activation peak) for the bound inputs, once a run has planned it.</summary>
    public long? PlannedPeakBytes => _session.MemoryPlans.Count > 0 ? _session.MemoryPlans.Max(p => p.PlannedPeakBytes) : null;

    public OutputData[] RunAndRead(IReadOnlyList<string> outputNames)
    {
        var outputs = _session.Run(_inputs);
        return outputNames.Select(name =>
        {
            var v = outputs.First(o => o.Key == name).Value;
            if (v is not Tensor t) throw new NotSupportedException($"output '{name}' is not a tensor; compare reads tensors only.");
            if (t.DataType == DataType.String) throw new NotSupportedException($"output '{name}' is a string tensor; compare reads numeric tensors only.");
            return new OutputData(name, t.Shape.Select(d => (long)d).ToArray(), t.ToDoubleArray());
        }).ToArray();
    }

    public void Dispose() => _session.Dispose();
}
