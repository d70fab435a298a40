using NativeInfer.Kernels.Cpu.Conv;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Conv: Y [N, M, out...] = X [N, C, in...] ⊛ W [M, C/group, kernel...] + B [M] over 1-3 spatial dims, with strides,
/// dilations, explicit pads or auto_pad, and groups. kernel_shape defaults to W's trailing dims. float16/bfloat16
/// compute in float32. A constant float32 W is packed for the SGEMM once, when the op is built; the packed form is
/// used whenever the run's W is that same initializer (or the data-less stand-in the session put in its place).
/// </summary>
internal sealed class Conv(ConvAttributes attrs, Tensor? weightSource, ConvWeights? packed) : TensorOp, IPackedWeightOp
{
    private Tensor? _weightSource = packed is null ? null : weightSource;

    public static Conv Create(OpBuildContext ctx)
    {
        var attrs = new ConvAttributes(ctx.Attributes);
        var w = ctx.ConstantInput(1);
        return new Conv(attrs, w, w is null ? null : ConvKernel.TryPack(w, attrs));
    }

    int IPackedWeightOp.PackedInput => _weightSource is null ? -1 : 1;
    Tensor? IPackedWeightOp.PackedSource => _weightSource;
    void IPackedWeightOp.UsePackedFor(Tensor standIn) => _weightSource = standIn;

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var w = inputs.Req(1);
        var usable = packed is not null && ReferenceEquals(w, _weightSource) ? packed : null;
        return [ConvKernel.RunFloating("Conv", inputs, new ConvKernel.Request(attrs, false, null, null), usable)];
    }
}
