using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// DepthToSpace: moves channel blocks of an NCHW input into b×b spatial tiles, giving [N, C/b², H·b, W·b]. Mode DCR
/// (default) splits channels as (b, b, C/b²), mode CRD as (C/b², b, b).
/// </summary>
internal sealed class DepthToSpace(int blockSize, bool crd) : TensorOp
{
    public static DepthToSpace Create(OpBuildContext ctx)
    {
        bool crd = ctx.Attributes.String("mode", "DCR") switch
        {
            "DCR" => false,
            "CRD" => true,
            var m => throw new NotSupportedException($"DepthToSpace mode '{m}' is not supported."),
        };
        return new(BlockSize(ctx), crd);
    }

    /// <summary>Reads the positive blocksize attribute shared with SpaceToDepth.</summary>
    internal static int BlockSize(OpBuildContext ctx)
    {
        long b = ctx.Attributes.Int("blocksize");
        return b is >= 1 and <= 1 << 16 ? (int)b : throw new ArgumentOutOfRangeException("blocksize", $"blocksize {b} is invalid.");
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank != 4) throw new ShapeMismatchException("DepthToSpace input must be 4-D (NCHW).");
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3], b = blockSize;
        if (c % (b * b) != 0) throw new ShapeMismatchException($"DepthToSpace channels {c} are not divisible by {b * b}.");
        int cOut = c / (b * b);
        var y = crd
            ? TensorCopy.Permute(x, [n, cOut, b, b, h, w], [0, 1, 4, 2, 5, 3])
            : TensorCopy.Permute(x, [n, b, b, cOut, h, w], [0, 3, 4, 1, 5, 2]);
        return [y.Reshape([n, cOut, h * b, w * b])];
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => TypeRules.SameElementType(inputs, 0, node.OutputCount);
}
