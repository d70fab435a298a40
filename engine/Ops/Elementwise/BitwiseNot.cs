using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>BitwiseNot: Y = ~X on an integer tensor.</summary>
internal sealed class BitwiseNot(OpBuildContext ctx) : UnaryOp(ctx)
{
    protected override Tensor Apply(Tensor x) => TypeDispatch.Integer<Func, Tensor>(x.DataType, new Func(x), Name);

    private readonly struct Func(Tensor x) : IIntegerFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, IBinaryInteger<T> =>
            UnaryLoop.Map<T, T, Kernel<T>>(x.As<T>(), default);
    }

    private readonly struct Kernel<T> : IUnaryKernel<T, T> where T : unmanaged, IBinaryInteger<T>
    {
        public T Invoke(T x) => ~x;
    }
}
