using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops;

/// <summary>
/// An executable operator. An instance is built once per node (attributes already parsed) and may be called from
/// several threads at once, so it keeps no per-run state.
/// </summary>
public abstract class Op
{
    /// <summary>
    /// Computes the node's outputs. <paramref name="inputs"/> has one slot per node input; an omitted optional input is
    /// null. The result has <see cref="OpContext.OutputCount"/> slots (an omitted optional output may be null).
    /// </summary>
    public abstract Value?[] Execute(OpContext ctx, Value?[] inputs);

    /// <summary>
    /// Shape and type inference: the output types given the input types, or null where unknown. The default runs no
    /// inference; ops override it when their output shape follows from input shapes alone.
    /// </summary>
    public virtual TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => null;

    /// <summary>
    /// In-place execution: the inputs whose buffer output 0 may take over when the executor offers it (the input dies
    /// at this node, is produced in the graph and no other value shares its buffer). An op lists an input only when
    /// (1) output 0 is the first tensor its <see cref="Execute"/> allocates with <see cref="Tensor{T}.Uninitialized"/>,
    /// so the executor can hand it the input's memory when element type and length match (an allocation that is zeroed,
    /// of another type or length withdraws the offer), and (2) its kernel stays correct when output and input are the
    /// same memory: element i of the input is read no later than element i of the output is written, and never after.
    /// Default: none.
    /// </summary>
    public virtual IReadOnlyList<int> InPlaceInputs => [];
}

/// <summary>An op whose inputs and outputs are all tensors: implement <see cref="Compute"/>.</summary>
public abstract class TensorOp : Op
{
    public sealed override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        var t = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            t[i] = inputs[i] switch
            {
                null => null,
                Tensor x => x,
                var other => throw new InvalidOperationException(
                    $"Input {i} of {ctx.Node} must be a tensor, got a {other.GetType().Name}."),
            };
        return Compute(ctx, t);
    }

    protected abstract Tensor?[] Compute(OpContext ctx, Tensor?[] inputs);
}

/// <summary>Helpers for reading op inputs.</summary>
public static class OpInputs
{
    /// <summary>Input i, which must be present.</summary>
    public static Tensor Req(this Tensor?[] inputs, int i) =>
        i < inputs.Length && inputs[i] is { } t ? t : throw new ArgumentException($"Required input {i} is missing.");

    /// <summary>Input i, or null when omitted.</summary>
    public static Tensor? Opt(this Tensor?[] inputs, int i) => i < inputs.Length ? inputs[i] : null;
}
