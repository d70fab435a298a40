using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Sigmoid: Y = 1 / (1 + e^-X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Sigmoid(OpBuildContext ctx) : FloatUnaryOp<Sigmoid.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => FloatMath.Sigmoid(x);
    }
}
