using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Floor: Y = floor(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Floor(OpBuildContext ctx) : FloatUnaryOp<Floor.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Floor(x);
    }
}
