using System.Numerics;
using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// The shared unary driver: maps a kernel over a tensor, and the dispatch wrappers for numeric, float-math and
/// float-test kernels. float16/bfloat16 float math is computed in float and rounded once.
/// </summary>
internal static class UnaryLoop
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor<TR> Map<TA, TR, TK>(Tensor<TA> x, TK kernel) where TK : struct, IUnaryKernel<TA, TR>
    {
        var r = new Tensor<TR>((int[])x.Shape.Clone());
        ReadOnlySpan<TA> src = x.Span;
        var dst = r.Span;
        src = src[..dst.Length];
        for (int i = 0; i < dst.Length; i++) dst[i] = kernel.Invoke(src[i]);
        return r;
    }

    /// <summary>A numeric formula on every numeric type; bfloat16 via float.</summary>
    public static Tensor Numeric<TK>(string op, Tensor x, TK kernel) where TK : struct, INumericUnary
    {
        if (x.DataType == DataType.BFloat16)
            return FloatWidening.Narrow(Numeric(op, FloatWidening.Widen(x), kernel), x.DataType);
        return TypeDispatch.Numeric<NumericFunc<TK>, Tensor>(x.DataType, new NumericFunc<TK>(x, kernel), op);
    }

    /// <summary>A float-math formula on float, double, float16 and bfloat16.</summary>
    public static Tensor Float<TK>(string op, Tensor x, TK kernel) where TK : struct, IFloatUnary => x.DataType switch
    {
        DataType.Float => Map<float, float, FloatAdapter<float, TK>>(x.As<float>(), new(kernel)),
        DataType.Double => Map<double, double, FloatAdapter<double, TK>>(x.As<double>(), new(kernel)),
        DataType.Float16 or DataType.BFloat16 => FloatWidening.Narrow(Float(op, FloatWidening.Widen(x), kernel), x.DataType),
        _ => throw new NotSupportedException($"{op} takes floating-point tensors, not {DataTypes.Name(x.DataType)}."),
    };

    /// <summary>A bool-valued test on float, double, float16 and bfloat16.</summary>
    public static Tensor FloatTest<TK>(string op, Tensor x, TK kernel) where TK : struct, IFloatPredicate =>
        x.DataType switch
    {
        DataType.Float => Map<float, bool, TestAdapter<float, TK>>(x.As<float>(), new(kernel)),
        DataType.Double => Map<double, bool, TestAdapter<double, TK>>(x.As<double>(), new(kernel)),
        DataType.Float16 or DataType.BFloat16 => FloatTest(op, FloatWidening.Widen(x), kernel),
        _ => throw new NotSupportedException($"{op} takes floating-point tensors, not {DataTypes.Name(x.DataType)}."),
    };

    private readonly struct NumericFunc<TK>(Tensor x, TK kernel) : INumericFunc<Tensor> where TK : struct, INumericUnary
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T> =>
            Map<T, T, NumericAdapter<T, TK>>(x.As<T>(), new NumericAdapter<T, TK>(kernel));
    }

    private readonly struct NumericAdapter<T, TK>(TK kernel) : IUnaryKernel<T, T>
        where T : unmanaged, INumber<T> where TK : struct, INumericUnary
    {
        public T Invoke(T x) => kernel.Invoke(x);
    }

    private readonly struct FloatAdapter<T, TK>(TK kernel) : IUnaryKernel<T, T>
        where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IFloatUnary
    {
        public T Invoke(T x) => kernel.Invoke(x);
    }

    private readonly struct TestAdapter<T, TK>(TK kernel) : IUnaryKernel<T, bool>
        where T : unmanaged, IFloatingPointIeee754<T> where TK : struct, IFloatPredicate
    {
        public bool Invoke(T x) => kernel.Invoke(x);
    }
}
