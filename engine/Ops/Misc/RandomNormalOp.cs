namespace NativeInfer.Ops.Misc;

/// <summary>RandomNormal (opset 1): a tensor of attribute <c>shape</c> and <c>dtype</c> (default float) from N(mean, scale²); see <see cref="RandomFill"/>.</summary>
internal sealed class RandomNormalOp(OpBuildContext ctx) : RandomFill(ctx, "RandomNormal", normal: true, like: false);
