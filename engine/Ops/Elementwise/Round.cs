using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Round: Y = X rounded to the nearest integer, halves to even. Float types; float16/bfloat16 computed in float.
/// </summary>
internal sealed class Round(OpBuildContext ctx) : FloatUnaryOp<Round.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Round(x, MidpointRounding.ToEven);
    }
}
