using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Mish: Y = X * tanh(softplus(X)). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Mish(OpBuildContext ctx) : FloatUnaryOp<Mish.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x * T.Tanh(FloatMath.Softplus(x));
    }
}
