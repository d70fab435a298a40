using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// ConvTranspose: the adjoint of Conv. X [N, C, in...], W [C, M/group, kernel...], optional B [M]; the output size is
/// stride·(in−1) + output_padding + dilated kernel − pads, or output_shape / auto_pad (SAME_*: in·stride) with the pads
/// derived from it. float16/bfloat16 compute in float32.
/// </summary>
internal sealed class ConvTranspose(ConvAttributes attrs, long[]? outputPadding, long[]? outputShape) : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) =>
        [ConvKernel.RunFloating("ConvTranspose", inputs, new ConvKernel.Request(attrs, true, outputPadding, outputShape))];
}
