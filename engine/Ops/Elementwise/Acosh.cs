using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Acosh: Y = acosh(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Acosh(OpBuildContext ctx) : FloatUnaryOp<Acosh.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Acosh(x);
    }
}
