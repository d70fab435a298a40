using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Log: Y = ln(X); 0 gives -inf, negative inputs NaN. Float types; float16/bfloat16 computed in float.
/// </summary>
internal sealed class Log(OpBuildContext ctx) : FloatUnaryOp<Log.Kernel>(ctx, default)
{
    public readonly struct Kernel : IFloatUnary
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Log(x);
    }
}
