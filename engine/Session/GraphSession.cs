using NativeInfer.Errors;
using NativeInfer.IR;
using NativeInfer.Kernels.Threading;
using NativeInfer.Runtime;
using NativeInfer.Tensors;

namespace NativeInfer.Session;

/// <summary>
/// A loaded, validated model ready to run. Thread-safe: <see cref="Run"/> may be called from several threads at once.
/// The ONNX-facing <c>InferenceSession</c> wraps one of these. Owns a <see cref="WorkerPool"/> of
/// <see cref="SessionOptions.IntraOpThreads"/> threads (started on the first parallel kernel loop); dispose the session
/// to stop them.
/// </summary>
public sealed class GraphSession : IDisposable
{
    public GraphSession(Model model, SessionOptions? options = null) : this(model, options, ownsModel: false) { }

    /// <summary>
    /// A session over <paramref name="model"/>. With <paramref name="ownsModel"/> the caller hands the model over (it
    /// loaded it for this session alone): weights the session no longer needs are then released in it too, leaving
    /// data-less stand-ins (see <see cref="SessionOptions.ReleasePackedWeights"/>); without, the model is never changed.
    /// </summary>
    public GraphSession(Model model, SessionOptions? options, bool ownsModel)
    {
        Model = model;
        Options = options ?? new SessionOptions();
        InputMetadata = model.Graph.FeedInputs.Select(NodeMetadata.From).ToDictionary(m => m.Name);
        InputNames = model.Graph.FeedInputs.Select(i => i.Name).ToArray();
        _inferred = new Lazy<IReadOnlyDictionary<string, TypeInfo>>(() => ShapeInference.Run(model.Graph));
        OutputMetadata = model.Graph.Outputs.Select(o => NodeMetadata.From(WithInferredShape(o))).ToDictionary(m => m.Name);
        OutputNames = model.Graph.Outputs.Select(o => o.Name).ToArray();
        Optimization = Options.OptimizationLevel > GraphOptimizationLevel.None
            ? Optimizer.GraphOptimizer.Optimize(model, Options)
            : null;
        _graph = Optimization?.Model.Graph ?? model.Graph;
        // A caller's model is never changed: at level None its graph is the one that runs, so nothing is released then.
        bool release = Options.ReleasePackedWeights && Options.Backend == ExecutionBackend.Cpu
            && (ownsModel || !ReferenceEquals(_graph, model.Graph));
        var bound = WeightBinding.BindFinalOps(_graph, Ops.OpRegistry.Default, release,
            ownsModel && !ReferenceEquals(_graph, model.Graph) ? [model.Graph] : []);
        ReleasedWeightCount = bound.WeightsReleased;
        ReleasedWeightBytes = bound.BytesReleased;
        if (release && ownsModel && !ReferenceEquals(_graph, model.Graph))
        {
            var unused = WeightBinding.ReleaseUnused(model.Graph, _graph);
            ReleasedWeightCount += unused.Count;
            ReleasedWeightBytes += unused.Bytes;
        }
        _workers = new WorkerPool(Math.Clamp(Options.EffectiveThreads, 1, WorkerPool.MaxDegreeAllowed));
        _declaredShapes = model.Graph.FeedInputs.ToDictionary(i => i.Name, i => i.Type?.Shape);
        _buffers = Options.MaxPooledBufferBytes > 0 ? new TensorBufferPool(Options.MaxPooledBufferBytes) : null;
        Backend = ExecutionBackends.CreateRunner(_graph, Options);
    }

    /// <summary>How many constant weights the session released (see <see cref="SessionOptions.ReleasePackedWeights"/>).</summary>
    public int ReleasedWeightCount { get; }

    /// <summary>The bytes of the weights the session released.</summary>
    public long ReleasedWeightBytes { get; }

    /// <summary>The GPU (or other) backend runner running the graph, or null when the CPU executor runs it.</summary>
    public IGraphRunner? Backend { get; }

    private readonly Graph _graph;

    /// <summary>What the optimizer did at session creation (null at level None); its Model holds the graph that runs.</summary>
    public Optimizer.OptimizationResult? Optimization { get; }

    /// <summary>The graph that runs: the optimized copy, or the model's own graph at level None.</summary>
    public Graph ExecutionGraph => _graph;

    private readonly TensorBufferPool? _buffers;
    private readonly Dictionary<string, Dim[]?> _declaredShapes;

    /// <summary>Bytes of freed intermediate buffers held for reuse (0 with reuse off).</summary>
    public long PooledBufferBytes => _buffers?.PooledBytes ?? 0;

    /// <summary>The memory plans made so far, one per input signature run (see <see cref="SessionOptions.MemoryPlanning"/>).</summary>
    public IReadOnlyList<MemoryPlanSummary> MemoryPlans => MemoryPlanning.Of(_graph, Options);

    private readonly WorkerPool _workers;
    private volatile bool _disposed;

    private readonly Lazy<IReadOnlyDictionary<string, TypeInfo>> _inferred;

    /// <summary>Types inferred for every value of the main graph (symbolic dims kept); see <see cref="ShapeInference"/>.</summary>
    public IReadOnlyDictionary<string, TypeInfo> InferredTypes => _inferred.Value;

    /// <summary>A graph output's declared type, or the inferred one when the declaration has no shape.</summary>
    private ValueInfo WithInferredShape(ValueInfo o)
    {
        if (o.Type?.Shape is not null) return o;
        try
        {
            return InferredTypes.TryGetValue(o.Name, out var t) ? o with { Type = t } : o;
        }
        catch (GraphValidationException)
        {
            return o; // inference is advisory for metadata; Run reports real shape errors
        }
    }

    public Model Model { get; }
    public SessionOptions Options { get; }
    public IReadOnlyDictionary<string, NodeMetadata> InputMetadata { get; }
    public IReadOnlyDictionary<string, NodeMetadata> OutputMetadata { get; }
    public IReadOnlyList<string> InputNames { get; }
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>
    /// Runs the model; returns every graph output by name, in graph order. Cancelling the token stops the run before
    /// its next node (subgraph iterations included) with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Value?>> Run(IReadOnlyDictionary<string, Value> inputs, CancellationToken cancellation = default)
    {
        var outputs = RunCore(inputs, null, cancellation);
        var result = new KeyValuePair<string, Value?>[outputs.Length];
        for (int i = 0; i < outputs.Length; i++) result[i] = new(OutputNames[i], outputs[i]);
        return result;
    }

    /// <summary>
    /// Runs the model and writes each output named in <paramref name="outputs"/> into the caller's tensor (same element
    /// type and shape as the output), like ONNX Runtime's pre-allocated outputs; outputs not named are computed and
    /// dropped. Reusing the same tensors across runs keeps a run from allocating its outputs: each is copied out of the
    /// session's activation memory instead of being cloned into a new array, which for large outputs spares the
    /// large-object-heap allocations and the full garbage collections they bring.
    /// </summary>
    /// <exception cref="InvalidInputException">An unknown output name, a string tensor, a tensor sharing memory with an
    /// input, or a tensor whose element type or shape does not match the output. Shapes the model fixes are checked
    /// before the run; shapes that depend on the inputs only after it, and then the bound tensors' contents are
    /// unspecified (kernels write into them directly).</exception>
    public void Run(IReadOnlyDictionary<string, Value> inputs, IReadOnlyDictionary<string, Tensor> outputs, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var bound = new Tensor?[OutputNames.Count];
        foreach (var (name, tensor) in outputs)
        {
            int index = -1;
            for (int i = 0; i < OutputNames.Count && index < 0; i++) if (OutputNames[i] == name) index = i;
            if (index < 0)
                throw new InvalidInputException($"Unknown output '{name}'. The model's outputs are: {string.Join(", ", OutputNames)}.");
            ArgumentNullException.ThrowIfNull(tensor, $"outputs[{name}]");
            if (tensor.DataType == DataType.String)
                throw new InvalidInputException($"Output '{name}': string tensors cannot be bound; use Run without outputs.");
            var meta = OutputMetadata[name];
            if (meta.ElementType != DataType.Undefined && tensor.DataType != meta.ElementType)
                throw new InvalidInputException(
                    $"Output '{name}' is {DataTypes.Name(meta.ElementType)} but the bound tensor is {DataTypes.Name(tensor.DataType)}.");
            if (meta.Kind == ValueKind.Tensor && meta.Dimensions.Length > 0 && meta.Dimensions.All(d => d >= 0)
                && !meta.Dimensions.SequenceEqual(tensor.Shape.Select(d => (long)d)))
                throw new InvalidInputException(
                    $"Output '{name}' has shape {meta.ShapeString} but the bound tensor has shape {ShapeUtil.Format(tensor.Shape)}.");
            foreach (var input in inputs.Values)
                if (input is Tensor t && t.StorageArray is { } array && ReferenceEquals(array, tensor.StorageArray))
                    throw new InvalidInputException($"Output '{name}': the bound tensor shares memory with an input; give it its own.");
            bound[index] = tensor;
        }
        RunCore(inputs, bound, cancellation);
    }

    private Value?[] RunCore(IReadOnlyDictionary<string, Value> inputs, Tensor?[]? bound, CancellationToken cancellation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Validate(inputs);
        using var limits = TensorLimits.Push(Options.MaxTensorBytes);
        using var threads = KernelParallelism.Use(_workers);
        using var held = _workers.Hold();
        if (Backend is { } backend)
        {
            var outputs = backend.Run(inputs, cancellation);
            if (bound is not null) OutputBinding.Deliver(outputs, bound, OutputNames);
            return outputs;
        }
        return GraphExecutor.Run(_graph, inputs, Options, cancellation, _buffers, bound, OutputNames);
    }

    /// <summary>Stops the session's worker threads; later <see cref="Run"/> calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        _workers.Dispose();
        Backend?.Dispose();
    }

    private void Validate(IReadOnlyDictionary<string, Value> inputs)
    {
        foreach (var name in inputs.Keys)
            if (!InputMetadata.ContainsKey(name) && !Model.Graph.Initializers.ContainsKey(name))
                throw new InvalidInputException(
                    $"Unknown input '{name}'. The model's inputs are: {string.Join(", ", InputNames)}.");
        Dictionary<string, (int Value, string Input)>? symbols = null;
        foreach (var meta in InputMetadata.Values)
        {
            if (!inputs.TryGetValue(meta.Name, out var value))
            {
                if (meta.Kind == ValueKind.Optional) continue;
                throw new InvalidInputException($"Missing input '{meta.Name}' ({DataTypes.Name(meta.ElementType)}{meta.ShapeString}).");
            }
            if (meta.Kind != ValueKind.Tensor || value is not Tensor t) continue;
            if (meta.ElementType != DataType.Undefined && t.DataType != meta.ElementType)
                throw new InvalidInputException(
                    $"Input '{meta.Name}' expects element type {DataTypes.Name(meta.ElementType)} but got {DataTypes.Name(t.DataType)}.");
            var declared = _declaredShapes[meta.Name];
            if (declared is null) continue;
            if (declared.Length != t.Rank)
                throw new InvalidInputException(
                    $"Input '{meta.Name}' expects rank {declared.Length} {meta.ShapeString} but got rank {t.Rank} {ShapeUtil.Format(t.Shape)}.");
            for (int d = 0; d < declared.Length; d++)
            {
                if (declared[d].IsKnown && declared[d].Value != t.Shape[d])
                    throw new InvalidInputException(
                        $"Input '{meta.Name}' expects dimension {d} = {declared[d].Value} {meta.ShapeString} but got {ShapeUtil.Format(t.Shape)}.");
                if (declared[d].Symbol is { } sym)
                {
                    symbols ??= new();
                    if (symbols.TryGetValue(sym, out var seen) && seen.Value != t.Shape[d])
                        throw new InvalidInputException(
                            $"Dimension '{sym}' is {seen.Value} in input '{seen.Input}' but {t.Shape[d]} in input '{meta.Name}'.");
                    symbols[sym] = (t.Shape[d], meta.Name);
                }
            }
        }
    }
}
