using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>BitwiseAnd: bitwise and of two same-typed integer tensors with multidirectional broadcasting.</summary>
internal sealed class BitwiseAnd(OpBuildContext ctx) : IntegerBinaryOp<BitwiseAnd.Kernel>(ctx, default)
{
    public readonly struct Kernel : IIntegerBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, IBinaryInteger<T> => a & b;
    }
}
