using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Asin: Y = asin(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Asin(OpBuildContext ctx) : FloatUnaryOp<Asin.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Asin(x);
    }
}
