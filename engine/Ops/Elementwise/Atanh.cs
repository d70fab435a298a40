using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Atanh: Y = atanh(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Atanh(OpBuildContext ctx) : FloatUnaryOp<Atanh.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Atanh(x);
    }
}
