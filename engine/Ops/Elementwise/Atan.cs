using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Atan: Y = atan(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Atan(OpBuildContext ctx) : FloatUnaryOp<Atan.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Atan(x);
    }
}
