using NativeInfer.IR;

namespace NativeInfer.Onnx.Export;

/// <summary>How <see cref="OnnxModelWriter"/> writes a model.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>Protocol buffers cannot hold a message of 2 GiB or more; above this many initializer bytes (with a margin
    /// for everything else) large initializers go to an external data file next to the model.</summary>
    public const long DefaultExternalDataThreshold = 1_900_000_000;

    /// <summary>Total initializer bytes above which initializers are written as external data (file writes only).</summary>
    public long ExternalDataThreshold { get; init; } = DefaultExternalDataThreshold;

    /// <summary>When data goes external: initializers at least this large go to the data file; smaller ones stay inline.</summary>
    public long ExternalDataMinTensorBytes { get; init; } = 1024;

    /// <summary>A doc_string for a node (e.g. what an optimizer pass fused into it); null writes none.</summary>
    public Func<Node, string?>? NodeDocString { get; init; }

    /// <summary>Writes value_info for intermediate values whose type shape inference knows (besides declared ones).</summary>
    public bool InferValueInfo { get; init; } = true;

    /// <summary>producer_name of the written model; null keeps the model's own.</summary>
    public string? ProducerName { get; init; }

    /// <summary>doc_string of the written model; null writes none.</summary>
    public string? DocString { get; init; }
}
