namespace NativeInfer.Ops.Misc;

/// <summary>RandomUniform (opset 1): a tensor of attribute <c>shape</c> and <c>dtype</c> (default float) uniform in [low, high); see <see cref="RandomFill"/>.</summary>
internal sealed class RandomUniformOp(OpBuildContext ctx) : RandomFill(ctx, "RandomUniform", normal: false, like: false);
