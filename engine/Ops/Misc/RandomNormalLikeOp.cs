namespace NativeInfer.Ops.Misc;

/// <summary>
/// RandomNormalLike (opsets 1, 22): a tensor shaped like the input, of <c>dtype</c> (default: the input's floating type),
/// drawn from N(mean, scale²); see <see cref="RandomFill"/>.
/// </summary>
internal sealed class RandomNormalLikeOp(OpBuildContext ctx) : RandomFill(ctx, "RandomNormalLike", normal: true, like: true);
