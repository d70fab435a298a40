using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Ceil: Y = ceil(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Ceil(OpBuildContext ctx) : FloatUnaryOp<Ceil.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Ceiling(x);
    }
}
