using System.Runtime.CompilerServices;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>Tile: repeats the input repeats[d] times along each axis d (repeats is a 1-D int64 input of length rank).</summary>
internal sealed class Tile : TensorOp
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var repeats = inputs.Req(1).ToInt64Array();
        if (repeats.Length != x.Rank)
            throw new ShapeMismatchException($"Tile repeats has {repeats.Length} entries for an input of rank {x.Rank}.");
        var reps = ShapeUtil.FromInt64(repeats);
        // output index along d is (copy, i) in row-major order, so the output is the input broadcast over an
        // interleaved [r0, d0, r1, d1, ...] view with stride 0 on the copy axes
        var strides = ShapeUtil.Strides(x.Shape);
        var view = new int[2 * x.Rank];
        var viewStrides = new int[2 * x.Rank];
        var shape = new long[x.Rank];
        for (int d = 0; d < x.Rank; d++)
        {
            view[2 * d] = reps[d];
            view[2 * d + 1] = x.Shape[d];
            viewStrides[2 * d + 1] = strides[d];
            shape[d] = (long)reps[d] * x.Shape[d];
        }
        var outShape = ShapeUtil.FromInt64(shape);
        return [TensorCopy.View(x, 0, viewStrides, view).Reshape(outShape)];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => TypeRules.SameElementType(inputs, 0, node.OutputCount);
}
