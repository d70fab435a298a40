using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// ScatterND: a copy of data where each row of the last indices axis (length k) addresses a slice data[i0..ik-1, ...]
/// that receives the matching slice of updates (shape indices.shape[..-1] + data.shape[k..]), or is combined with it
/// under reduction add/mul (opset 16) / max/min (opset 18).
/// </summary>
internal sealed class ScatterND(ScatterReduction reduction) : TensorOp
{
    public static ScatterND Create(OpBuildContext ctx) => new(ScatterReduce.Parse(ctx.Attributes.String("reduction", "none")));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var data = inputs.Req(0);
        var indices = inputs.Req(1);
        var updates = inputs.Req(2);
        var nd = NdIndex.Resolve(data.Shape, indices, 0, "ScatterND");
        int[] expected = [.. indices.Shape[..^1], .. data.Shape[nd.K..]];
        if (!updates.Shape.AsSpan().SequenceEqual(expected))
            throw new ShapeMismatchException(
                $"ScatterND updates have shape {ShapeUtil.Format(updates.Shape)}, expected {ShapeUtil.Format(expected)}.");
        return [ScatterReduce.Apply(data, updates, nd.Starts, nd.Block, reduction)];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => [TypeRules.At(inputs, 0)];
}
