using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Tanh: Y = tanh(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Tanh(OpBuildContext ctx) : FloatUnaryOp<Tanh.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(x);
    }
}
