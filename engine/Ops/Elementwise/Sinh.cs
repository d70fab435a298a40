using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Sinh: Y = sinh(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Sinh(OpBuildContext ctx) : FloatUnaryOp<Sinh.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sinh(x);
    }
}
