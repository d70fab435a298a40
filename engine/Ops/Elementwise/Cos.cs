using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Cos: Y = cos(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Cos(OpBuildContext ctx) : FloatUnaryOp<Cos.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Cos(x);
    }
}
