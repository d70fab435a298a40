using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Softsign: Y = X / (1 + |X|). Float types; float16/bfloat16 computed in float.</summary>
internal sealed class Softsign(OpBuildContext ctx) : FloatUnaryOp<Softsign.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x / (T.One + T.Abs(x));
    }
}
