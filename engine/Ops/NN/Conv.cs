using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Conv: Y [N, M, out...] = X [N, C, in...] ⊛ W [M, C/group, kernel...] + B [M] over 1-3 spatial dims, with strides,
/// dilations, explicit pads or auto_pad, and groups. kernel_shape defaults to W's trailing dims. float16/bfloat16
/// compute in float32.
/// </summary>
internal sealed class Conv(ConvAttributes attrs) : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) =>
        [ConvKernel.RunFloating("Conv", inputs, new ConvKernel.Request(attrs, false, null, null))];
}
