using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// HardSigmoid: Y = max(0, min(1, alpha * X + beta)) (defaults 0.2, 0.5). Float types; float16/bfloat16 computed in
/// float.
/// </summary>
internal sealed class HardSigmoid(OpBuildContext ctx)
    : FloatUnaryOp<HardSigmoid.Kernel>(
        ctx, new Kernel(ctx.Attributes.Float("alpha", 0.2f), ctx.Attributes.Float("beta", 0.5f)))
{
    private readonly float _alpha = ctx.Attributes.Float("alpha", 0.2f), _beta = ctx.Attributes.Float("beta", 0.5f);

    /// <summary>In place over X (float path: <see cref="FastElementwise.Unary"/>, exact aliasing safe).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0];

    protected override Tensor? TryFast(Tensor x) =>
        x is Tensor<float> f ? FastElementwise.Unary(f, new HardSigmoidOperator(_alpha, _beta)) : null;

    public readonly struct Kernel(float alpha, float beta) : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            T.Clamp(T.CreateTruncating(alpha) * x + T.CreateTruncating(beta), T.Zero, T.One);
    }
}
