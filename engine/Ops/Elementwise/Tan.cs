using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Tan: Y = tan(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Tan(OpBuildContext ctx) : FloatUnaryOp<Tan.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Tan(x);
    }
}
