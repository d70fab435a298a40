using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// HardSwish: Y = X * max(0, min(1, X / 6 + 1 / 2)). Float types; float16/bfloat16 computed in float.
/// </summary>
internal sealed class HardSwish(OpBuildContext ctx) : FloatUnaryOp<HardSwish.Kernel>(ctx, default)
{
    /// <summary>In place over X (float path: <see cref="FastElementwise.Unary"/>, exact aliasing safe).</summary>
    public override IReadOnlyList<int> InPlaceInputs => [0];

    protected override Tensor? TryFast(Tensor x) => x is Tensor<float> f ? FastElementwise.Unary(f, new HardSwishOperator()) : null;

    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            x * T.Clamp(x / T.CreateTruncating(6) + T.CreateTruncating(0.5), T.Zero, T.One);
    }
}
