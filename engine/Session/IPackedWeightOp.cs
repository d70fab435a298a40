using NativeInfer.Tensors;

namespace NativeInfer.Session;

/// <summary>
/// An op that copied one constant input (a weight) into a packed form when it was built, and from then on reads that
/// input only for its shape and its identity: the packed copy stands in for the input whenever the run's tensor is the
/// very tensor it packed. The session uses this to release the original (see <see cref="SessionOptions.ReleasePackedWeights"/>).
/// </summary>
internal interface IPackedWeightOp
{
    /// <summary>The input slot whose constant was packed; -1 when the op packed nothing.</summary>
    int PackedInput { get; }

    /// <summary>The tensor the op packed (what it compares the run's input with); null when it packed nothing.</summary>
    Tensor? PackedSource { get; }

    /// <summary>
    /// From now on, treats <paramref name="standIn"/> (the packed tensor's element type and shape, no data) as the
    /// packed input. Called by the session while it builds its ops, before the op first runs.
    /// </summary>
    void UsePackedFor(Tensor standIn);
}
