using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// LeakyRelu: Y = X for X &gt;= 0, alpha * X otherwise (alpha default 0.01). Float types; float16/bfloat16 computed in
/// float.
/// </summary>
internal sealed class LeakyRelu(OpBuildContext ctx)
    : FloatUnaryOp<LeakyRelu.Kernel>(ctx, new Kernel(ctx.Attributes.Float("alpha", 0.01f)))
{
    private readonly float _alpha = ctx.Attributes.Float("alpha", 0.01f);

    /// <summary>In place over X (float path: <see cref="FastElementwise.Unary"/>, exact aliasing safe).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0];

    protected override Tensor? TryFast(Tensor x) => x is Tensor<float> f ? FastElementwise.Unary(f, new LeakyReluOperator(_alpha)) : null;

    public readonly struct Kernel(float alpha) : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            x < T.Zero ? T.CreateTruncating(alpha) * x : x;
    }
}
