using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.ControlFlow;

/// <summary>
/// If: runs <c>then_branch</c> when the one-element bool <c>cond</c> is true, else <c>else_branch</c>; the node's outputs
/// are the chosen branch's outputs (tensors, sequences or optionals). Branches take no inputs and read outer-scope
/// values.
/// </summary>
internal sealed class IfOp : Op
{
    private readonly Graph _then;
    private readonly Graph _else;

    public IfOp(OpBuildContext ctx)
    {
        _then = ctx.Attributes.Graph("then_branch") ?? throw new NotSupportedException("If: the 'then_branch' attribute is missing.");
        _else = ctx.Attributes.Graph("else_branch") ?? throw new NotSupportedException("If: the 'else_branch' attribute is missing.");
        if (_then.Outputs.Count != _else.Outputs.Count)
            throw new NotSupportedException(
                $"If: then_branch has {_then.Outputs.Count} outputs but else_branch has {_else.Outputs.Count}.");
        if (ctx.OutputCount > _then.Outputs.Count)
            throw new NotSupportedException($"If: the node declares {ctx.OutputCount} outputs but the branches yield {_then.Outputs.Count}.");
    }

    public override Value?[] Execute(OpContext ctx, Value?[] inputs)
    {
        var branch = FlowValues.Condition(inputs.Length > 0 ? inputs[0] : null, "cond") ? _then : _else;
        var outs = ctx.RunSubgraph(branch, Array.Empty<Value?>());
        return outs.Length == ctx.OutputCount ? outs : outs[..ctx.OutputCount];
    }

    /// <summary>Where both branches declare the same output type, that is the node's output type.</summary>
    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs)
    {
        var r = new TypeInfo?[node.OutputCount];
        for (int i = 0; i < r.Length; i++)
        {
            var a = _then.Outputs[i].Type;
            var b = _else.Outputs[i].Type;
            r[i] = a is not null && b is not null && SameType(a, b) ? a : null;
        }
        return r;
    }

    private static bool SameType(TypeInfo a, TypeInfo b) =>
        a.Kind == b.Kind && a.ElementType == b.ElementType
        && (a.Shape is null ? b.Shape is null : b.Shape is not null && a.Shape.AsSpan().SequenceEqual(b.Shape))
        && (a.Element is null ? b.Element is null : b.Element is not null && SameType(a.Element, b.Element));
}
