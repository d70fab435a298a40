using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Sqrt: Y = sqrt(X); negative inputs give NaN. Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Sqrt(OpBuildContext ctx) : FloatUnaryOp<Sqrt.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sqrt(x);
    }
}
