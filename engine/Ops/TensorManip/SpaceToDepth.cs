using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>SpaceToDepth: moves b×b spatial tiles of an NCHW input into channels, giving [N, C·b², H/b, W/b].</summary>
internal sealed class SpaceToDepth(int blockSize) : TensorOp
{
    public static SpaceToDepth Create(OpBuildContext ctx) => new(DepthToSpace.BlockSize(ctx));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank != 4) throw new ShapeMismatchException("SpaceToDepth input must be 4-D (NCHW).");
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3], b = blockSize;
        if (h % b != 0 || w % b != 0)
            throw new ShapeMismatchException($"SpaceToDepth spatial dims {h}x{w} are not divisible by {b}.");
        var y = TensorCopy.Permute(x, [n, c, h / b, b, w / b, b], [0, 3, 5, 1, 2, 4]);
        return [y.Reshape([n, c * b * b, h / b, w / b])];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => TypeRules.SameElementType(inputs, 0, node.OutputCount);
}
