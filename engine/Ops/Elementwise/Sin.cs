using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Sin: Y = sin(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Sin(OpBuildContext ctx) : FloatUnaryOp<Sin.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Sin(x);
    }
}
