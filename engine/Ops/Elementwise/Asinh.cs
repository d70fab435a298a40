using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Asinh: Y = asinh(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Asinh(OpBuildContext ctx) : FloatUnaryOp<Asinh.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Asinh(x);
    }
}
