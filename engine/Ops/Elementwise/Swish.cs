using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Swish: Y = X * sigmoid(alpha * X) (alpha default 1). Float types; float16/bfloat16 computed in float.
/// </summary>
internal sealed class Swish(OpBuildContext ctx)
    : FloatUnaryOp<Swish.Kernel>(ctx, new Kernel(ctx.Attributes.Float("alpha", 1f)))
{
    private readonly float _alpha = ctx.Attributes.Float("alpha", 1f);

    /// <summary>In place over X (float path: <see cref="FastElementwise.Unary"/>, exact aliasing safe).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0];

    protected override Tensor? TryFast(Tensor x) => x is Tensor<float> f ? FastElementwise.Unary(f, new SwishOperator(_alpha)) : null;

    public readonly struct Kernel(float alpha) : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            x * FloatMath.Sigmoid(T.CreateTruncating(alpha) * x);
    }
}
