using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Acos: Y = acos(X). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Acos(OpBuildContext ctx) : FloatUnaryOp<Acos.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Acos(x);
    }
}
