namespace NativeInfer.Ops.Misc;

/// <summary>
/// RandomUniformLike (opsets 1, 22): a tensor shaped like the input, of <c>dtype</c> (default: the input's floating type),
/// uniform in [low, high); see <see cref="RandomFill"/>.
/// </summary>
internal sealed class RandomUniformLikeOp(OpBuildContext ctx) : RandomFill(ctx, "RandomUniformLike", normal: false, like: true);
