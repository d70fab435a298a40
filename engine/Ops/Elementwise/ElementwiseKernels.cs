using System.Numerics;

namespace NativeInfer.Ops.Elementwise;

// Scalar formulas of the elementwise ops. A kernel is a struct (attributes as fields) so that every loop that calls it
// is specialized per kernel and element type and the call inlines.

/// <summary>c = f(a, b) on fixed element types: what the broadcast loop drives.</summary>
internal interface IBinaryKernel<TA, TB, TR>
{
    TR Invoke(TA a, TB b);
}

/// <summary>r = f(a, b, c) on fixed element types: what the three-operand broadcast loop drives.</summary>
internal interface ITernaryKernel<TA, TB, TC, TR>
{
    TR Invoke(TA a, TB b, TC c);
}

/// <summary>One formula for every numeric element type (Add, Mul, Max...).</summary>
internal interface INumericBinary
{
    T Invoke<T>(T a, T b) where T : unmanaged, INumber<T>;
}

/// <summary>A comparison for every numeric element type (Less, Equal...).</summary>
internal interface INumericPredicate
{
    bool Invoke<T>(T a, T b) where T : unmanaged, INumber<T>;
}

/// <summary>One formula for every integer element type (BitwiseAnd, BitShift...).</summary>
internal interface IIntegerBinary
{
    T Invoke<T>(T a, T b) where T : unmanaged, IBinaryInteger<T>;
}

/// <summary>A unary formula for every numeric element type (Abs, Neg, Relu...).</summary>
internal interface INumericUnary
{
    T Invoke<T>(T x) where T : unmanaged, INumber<T>;
}

/// <summary>A unary formula on float or double; float16 and bfloat16 are computed in float.</summary>
internal interface IFloatUnary
{
    T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A unary test on float or double (IsNaN, IsInf); float16 and bfloat16 are widened to float.</summary>
internal interface IFloatPredicate
{
    bool Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;
}


/// <summary>r = f(x) on fixed element types: what <see cref="UnaryLoop.Map"/> drives.</summary>
internal interface IUnaryKernel<TA, TR>
{
    TR Invoke(TA x);
}
