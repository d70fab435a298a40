using System.Runtime.Intrinsics;

namespace NativeInfer.Kernels.Cpu.Elementwise;

// Unary operators only the fused evaluator uses (the unfused ops run these through their generic scalar loops). Each
// follows its ONNX op's float formula operation for operation, except where a comment says otherwise.

/// <summary>Abs: clears the sign bit (|-0| = +0, as the unfused op's 0 - x).</summary>
public readonly struct FusedAbsOperator : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Abs(x);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Abs(x);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Abs(x);
}

/// <summary>Neg: -x.</summary>
public readonly struct FusedNegOperator : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => -x;
    public Vector256<float> Invoke(Vector256<float> x) => -x;
    public Vector128<float> Invoke(Vector128<float> x) => -x;
}

/// <summary>Floor.</summary>
public readonly struct FusedFloorOperator : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Floor(x);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Floor(x);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Floor(x);
}

/// <summary>Ceil.</summary>
public readonly struct FusedCeilOperator : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Ceiling(x);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Ceiling(x);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Ceiling(x);
}

/// <summary>Reciprocal 1 / x (IEEE division, as the unfused op); also Pow(x, -1).</summary>
public readonly struct FusedReciprocalOperator : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / x;
    public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / x;
    public Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One / x;
}

/// <summary>
/// Elu: x &lt; 0 ? alpha (e^x - 1) : x. e^x comes from <see cref="VectorMath.Exp(Vector512{float})"/> (a few ulp) where the
/// unfused op uses the C library's expf.
/// </summary>
public readonly struct FusedEluOperator(float alpha) : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), (VectorMath.Exp(x) - Vector512<float>.One) * alpha, x);
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), (VectorMath.Exp(x) - Vector256<float>.One) * alpha, x);
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), (VectorMath.Exp(x) - Vector128<float>.One) * alpha, x);
}

/// <summary>Selu: gamma (x &gt; 0 ? x : alpha (e^x - 1)); e^x as in <see cref="FusedEluOperator"/>.</summary>
public readonly struct FusedSeluOperator(float alpha, float gamma) : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, (VectorMath.Exp(x) - Vector512<float>.One) * alpha) * gamma;
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, (VectorMath.Exp(x) - Vector256<float>.One) * alpha) * gamma;
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, (VectorMath.Exp(x) - Vector128<float>.One) * alpha) * gamma;
}

/// <summary>Pow(x, 2) = x·x, exactly the unfused op's float path.</summary>
public readonly struct FusedSquareOperator : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => x * x;
    public Vector256<float> Invoke(Vector256<float> x) => x * x;
    public Vector128<float> Invoke(Vector128<float> x) => x * x;
}

/// <summary>Pow(x, 3) = x·x·x: two float roundings (within about 1 ulp) where the unfused op rounds a double power once.</summary>
public readonly struct FusedCubeOperator : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => x * x * x;
    public Vector256<float> Invoke(Vector256<float> x) => x * x * x;
    public Vector128<float> Invoke(Vector128<float> x) => x * x * x;
}

/// <summary>
/// Pow(x, 0.5): the correctly rounded square root, with C's pow special cases: pow(-0, 0.5) = +0 (sqrt gives -0; adding
/// +0 fixes it) and pow(-Inf, 0.5) = +Inf (sqrt gives NaN).
/// </summary>
public readonly struct FusedSqrtPowOperator : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.NegativeInfinity)), Vector512.Create(float.PositiveInfinity), Vector512.Sqrt(x) + Vector512<float>.Zero);
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.NegativeInfinity)), Vector256.Create(float.PositiveInfinity), Vector256.Sqrt(x) + Vector256<float>.Zero);
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.NegativeInfinity)), Vector128.Create(float.PositiveInfinity), Vector128.Sqrt(x) + Vector128<float>.Zero);
}
