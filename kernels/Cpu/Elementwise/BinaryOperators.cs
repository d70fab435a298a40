using System.Numerics;
using System.Runtime.Intrinsics;

namespace NativeInfer.Kernels.Cpu.Elementwise;

/// <summary>a + b.</summary>
public readonly struct AddOperator<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public T Invoke(T a, T b) => a + b;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => a + b;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a + b;
    public Vector128<T> Invoke(Vector128<T> a, Vector128<T> b) => a + b;
}

/// <summary>a - b.</summary>
public readonly struct SubtractOperator<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public T Invoke(T a, T b) => a - b;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => a - b;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a - b;
    public Vector128<T> Invoke(Vector128<T> a, Vector128<T> b) => a - b;
}

/// <summary>a * b.</summary>
public readonly struct MultiplyOperator<T> : IBinaryOperator<T> where T : unmanaged, INumber<T>
{
    public T Invoke(T a, T b) => a * b;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => a * b;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a * b;
    public Vector128<T> Invoke(Vector128<T> a, Vector128<T> b) => a * b;
}

/// <summary>a / b (IEEE: x / 0 is ±Inf or NaN); for float and double only.</summary>
public readonly struct DivideOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T a, T b) => a / b;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => a / b;
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => a / b;
    public Vector128<T> Invoke(Vector128<T> a, Vector128<T> b) => a / b;
}

/// <summary>IEEE 754-2019 maximum: NaN propagates, +0 &gt; -0 (as <see cref="Math.Max(double, double)"/>).</summary>
public readonly struct MaxOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T a, T b) => T.Max(a, b);
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);
    public Vector128<T> Invoke(Vector128<T> a, Vector128<T> b) => Vector128.Max(a, b);
}

/// <summary>IEEE 754-2019 minimum: NaN propagates, -0 &lt; +0 (as <see cref="Math.Min(double, double)"/>).</summary>
public readonly struct MinOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T a, T b) => T.Min(a, b);
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.Min(a, b);
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.Min(a, b);
    public Vector128<T> Invoke(Vector128<T> a, Vector128<T> b) => Vector128.Min(a, b);
}

/// <summary>PRelu: a where a's sign bit is clear, a * slope b where it is set (so -0 becomes -0 * b).</summary>
public readonly struct PReluOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T a, T b) => T.IsNegative(a) ? a * b : a;
    public Vector512<T> Invoke(Vector512<T> a, Vector512<T> b) => Vector512.ConditionalSelect(Vector512.IsNegative(a), a * b, a);
    public Vector256<T> Invoke(Vector256<T> a, Vector256<T> b) => Vector256.ConditionalSelect(Vector256.IsNegative(a), a * b, a);
    public Vector128<T> Invoke(Vector128<T> a, Vector128<T> b) => Vector128.ConditionalSelect(Vector128.IsNegative(a), a * b, a);
}
