using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// IsInf: Y = (X is +inf and detect_positive) or (X is -inf and detect_negative) as bool; both detections default on.
/// Float types.
/// </summary>
internal sealed class IsInf(OpBuildContext ctx) : UnaryOp(ctx)
{
    private readonly Kernel _kernel = new(
        ctx.Attributes.Int("detect_positive", 1) != 0, ctx.Attributes.Int("detect_negative", 1) != 0);

    protected override Tensor Apply(Tensor x) => UnaryLoop.FloatTest(Name, x, _kernel);

    private readonly struct Kernel(bool positive, bool negative) : IFloatPredicate
    {
        public bool Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> =>
            (positive && T.IsPositiveInfinity(x)) || (negative && T.IsNegativeInfinity(x));
    }
}
