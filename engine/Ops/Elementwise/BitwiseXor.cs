using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// BitwiseXor: bitwise exclusive or of two same-typed integer tensors with multidirectional broadcasting.
/// </summary>
internal sealed class BitwiseXor(OpBuildContext ctx) : IntegerBinaryOp<BitwiseXor.Kernel>(ctx, default)
{
    public readonly struct Kernel : IIntegerBinary
    {
        public T Invoke<T>(T a, T b) where T : unmanaged, IBinaryInteger<T> => a ^ b;
    }
}
