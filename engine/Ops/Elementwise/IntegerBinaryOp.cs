using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// A binary op on same-typed integer tensors with multidirectional broadcasting (bitwise ops, BitShift).
/// </summary>
internal abstract class IntegerBinaryOp<TK>(OpBuildContext ctx, TK kernel) : BinaryOp(ctx) where TK : struct, IIntegerBinary
{
    protected override Tensor Apply(Tensor a, Tensor b)
    {
        TypeDispatch.RequireSameType(Name, a, b);
        return TypeDispatch.Integer<Func, Tensor>(a.DataType, new Func(a, b, kernel), Name);
    }

    private readonly struct Func(Tensor a, Tensor b, TK kernel) : IIntegerFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, IBinaryInteger<T> =>
            BroadcastLoop.Binary<T, T, T, Adapter<T>>(a.As<T>(), b.As<T>(), new Adapter<T>(kernel));
    }

    private readonly struct Adapter<T>(TK kernel) : IBinaryKernel<T, T, T> where T : unmanaged, IBinaryInteger<T>
    {
        public T Invoke(T a, T b) => kernel.Invoke(a, b);
    }
}
