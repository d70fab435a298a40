using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Reciprocal: Y = 1 / X. Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Reciprocal(OpBuildContext ctx) : FloatUnaryOp<Reciprocal.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.One / x;
    }
}
