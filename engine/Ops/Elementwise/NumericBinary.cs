using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Runs a numeric binary kernel over two same-typed tensors with broadcasting: dispatches the element type and widens
/// bfloat16 to float (float16 computes through <see cref="Half"/>'s own widening operators).
/// </summary>
internal static class NumericBinary
{
    public static Tensor Apply<TK>(string op, Tensor a, Tensor b, TK kernel) where TK : struct, INumericBinary
    {
        TypeDispatch.RequireSameType(op, a, b);
        if (a.DataType == DataType.BFloat16)
            return FloatWidening.Narrow(Apply(op, FloatWidening.Widen(a), FloatWidening.Widen(b), kernel), a.DataType);
        return TypeDispatch.Numeric<ArithmeticFunc<TK>, Tensor>(a.DataType, new ArithmeticFunc<TK>(a, b, kernel), op);
    }

    public static Tensor Compare<TK>(string op, Tensor a, Tensor b, TK kernel) where TK : struct, INumericPredicate
    {
        TypeDispatch.RequireSameType(op, a, b);
        if (a.DataType == DataType.BFloat16) return Compare(op, FloatWidening.Widen(a), FloatWidening.Widen(b), kernel);
        return TypeDispatch.Numeric<PredicateFunc<TK>, Tensor>(a.DataType, new PredicateFunc<TK>(a, b, kernel), op);
    }

    private readonly struct ArithmeticFunc<TK>(Tensor a, Tensor b, TK kernel) : INumericFunc<Tensor>
        where TK : struct, INumericBinary
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T> =>
            BroadcastLoop.Binary<T, T, T, Arithmetic<T, TK>>(a.As<T>(), b.As<T>(), new Arithmetic<T, TK>(kernel));
    }

    private readonly struct PredicateFunc<TK>(Tensor a, Tensor b, TK kernel) : INumericFunc<Tensor>
        where TK : struct, INumericPredicate
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T> =>
            BroadcastLoop.Binary<T, T, bool, Predicate<T, TK>>(a.As<T>(), b.As<T>(), new Predicate<T, TK>(kernel));
    }

    private readonly struct Arithmetic<T, TK>(TK kernel) : IBinaryKernel<T, T, T>
        where T : unmanaged, INumber<T> where TK : struct, INumericBinary
    {
        public T Invoke(T a, T b) => kernel.Invoke(a, b);
    }

    private readonly struct Predicate<T, TK>(TK kernel) : IBinaryKernel<T, T, bool>
        where T : unmanaged, INumber<T> where TK : struct, INumericPredicate
    {
        public bool Invoke(T a, T b) => kernel.Invoke(a, b);
    }
}
