using NativeInfer.IR;
using NativeInfer.Onnx.Import;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer;

/// <summary>
/// Loads an ONNX model and runs it, in the style of ONNX Runtime's C# API:
/// <code>
/// using var session = new InferenceSession("model.onnx");
/// var outputs = session.Run(new Dictionary&lt;string, Value&gt; { ["x"] = new Tensor&lt;float&gt;(data, [1, 3, 224, 224]) });
/// </code>
/// Thread-safe: Run may be called from several threads at once.
/// </summary>
public sealed class InferenceSession : IDisposable
{
    private readonly GraphSession _session;

    // A model loaded here belongs to the session: it may release weights in it (SessionOptions.ReleasePackedWeights).
    public InferenceSession(string modelPath, SessionOptions? options = null)
        => _session = new GraphSession(Loader(options).Load(modelPath), options, ownsModel: true);

    public InferenceSession(byte[] modelBytes, SessionOptions? options = null)
        => _session = new GraphSession(Loader(options).Load(modelBytes), options, ownsModel: true);

    public InferenceSession(Stream modelStream, SessionOptions? options = null)
        => _session = new GraphSession(Loader(options).Load(modelStream), options, ownsModel: true);

    /// <summary>A session over a caller's model, which it never changes.</summary>
    public InferenceSession(Model model, SessionOptions? options = null) => _session = new GraphSession(model, options);

    private static OnnxModelLoader Loader(SessionOptions? options) =>
        new(maxTensorBytes: options?.MaxTensorBytes ?? TensorLimits.DefaultMaxTensorBytes);

    public Model Model => _session.Model;
    public SessionOptions Options => _session.Options;
    public IReadOnlyDictionary<string, NodeMetadata> InputMetadata => _session.InputMetadata;
    public IReadOnlyDictionary<string, NodeMetadata> OutputMetadata => _session.OutputMetadata;
    public IReadOnlyList<string> InputNames => _session.InputNames;
    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    /// <summary>Bytes of freed intermediate buffers the session holds for reuse by later runs.</summary>
    public long PooledBufferBytes => _session.PooledBufferBytes;

    /// <summary>The memory plans made so far, one per input signature run (planned peak, lower bound, tensors placed).</summary>
    public IReadOnlyList<NativeInfer.Runtime.MemoryPlanSummary> MemoryPlans => _session.MemoryPlans;

    /// <summary>Runs the model on named inputs; returns every output in graph order. The token cancels between nodes.</summary>
    public IReadOnlyList<KeyValuePair<string, Value?>> Run(IReadOnlyDictionary<string, Value> inputs, CancellationToken cancellation = default) =>
        _session.Run(inputs, cancellation);

    /// <summary>
    /// Runs the model and writes each output named in <paramref name="outputs"/> into the caller's tensor (same element
    /// type and shape); the others are dropped. Reusing the tensors across runs keeps runs from allocating outputs.
    /// </summary>
    /// <exception cref="Errors.InvalidInputException">An unknown output, or a tensor whose type or shape does not match.</exception>
    public void Run(IReadOnlyDictionary<string, Value> inputs, IReadOnlyDictionary<string, Tensor> outputs, CancellationToken cancellation = default) =>
        _session.Run(inputs, outputs, cancellation);

    /// <summary>Runs a single-input model and returns its first output as a tensor.</summary>
    public Tensor Run(Tensor input)
    {
        if (InputNames.Count != 1)
            throw new Errors.InvalidInputException($"The model has {InputNames.Count} inputs; pass them by name.");
        return _session.Run(new Dictionary<string, Value> { [InputNames[0]] = input })[0].Value?.AsTensor()
            ?? throw new InvalidOperationException("The model produced no first output.");
    }

    /// <summary>Stops the session's worker threads; later runs throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _session.Dispose();
}
