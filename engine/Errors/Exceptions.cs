namespace NativeInfer.Errors;

/// <summary>Why a model could not be loaded.</summary>
public enum ModelLoadError
{
    /// <summary>The bytes are not a readable ONNX model (truncated, wrong format).</summary>
    Corrupt,
    /// <summary>The graph is structurally invalid: dangling edge, cycle, missing initializer, duplicate producer.</summary>
    InvalidGraph,
    /// <summary>One or more nodes use an op (or op version) NativeInfer does not implement.</summary>
    UnsupportedOperator,
    /// <summary>External tensor data is missing, unreadable or outside the model's folder.</summary>
    ExternalData,
    /// <summary>A declared tensor exceeds the configured size limit.</summary>
    SizeLimit,
    /// <summary>A tensor element type NativeInfer does not support.</summary>
    UnsupportedType,
}

/// <summary>A model could not be loaded; <see cref="Error"/> says which category of problem.</summary>
public class ModelLoadException : Exception
{
    public ModelLoadException(ModelLoadError error, string message, Exception? inner = null) : base(message, inner) => Error = error;
    public ModelLoadError Error { get; }
}

/// <summary>Lists every unsupported (domain, op type, opset) of a model at once.</summary>
public sealed class UnsupportedOperatorException : ModelLoadException
{
    public UnsupportedOperatorException(IReadOnlyList<string> unsupported)
        : base(ModelLoadError.UnsupportedOperator,
            $"The model uses {unsupported.Count} unsupported operator(s): {string.Join("; ", unsupported)}")
        => Unsupported = unsupported;

    /// <summary>One entry per distinct unsupported op: "domain:OpType (opset N), first node 'name'".</summary>
    public IReadOnlyList<string> Unsupported { get; }
}

/// <summary>A Run call got inputs that do not match the model: unknown name, wrong dtype, rank or dimension.</summary>
public sealed class InvalidInputException(string message) : ArgumentException(message);

/// <summary>A node failed while running; the message names the node, its op type and opset.</summary>
public sealed class NodeExecutionException(string message, Exception inner) : Exception(message, inner);
