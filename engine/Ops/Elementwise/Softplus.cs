using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Softplus: Y = ln(1 + e^X), computed without overflow. Float types; float16/bfloat16 computed in float.
/// </summary>
internal sealed class Softplus(OpBuildContext ctx) : FloatUnaryOp<Softplus.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => FloatMath.Softplus(x);
    }
}
