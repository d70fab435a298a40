using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Cosh: Y = cosh(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Cosh(OpBuildContext ctx) : FloatUnaryOp<Cosh.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Cosh(x);
    }
}
