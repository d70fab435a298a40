using System.Runtime.Intrinsics;

namespace NativeInfer.Kernels.Cpu.Elementwise;

// Float32 activation operators for UnaryKernel.Map. Each follows its ONNX op's scalar formula operation for operation
// (no FMA contraction where the scalar form has none), so it matches a scalar evaluation in float exactly.

/// <summary>Relu: x &lt; 0 ? 0 : x (NaN and -0 pass through).</summary>
public readonly struct ReluOperator : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), Vector512<float>.Zero, x);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256<float>.Zero, x);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), Vector128<float>.Zero, x);
}

/// <summary>LeakyRelu: x &lt; 0 ? alpha x : x.</summary>
public readonly struct LeakyReluOperator(float alpha) : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), x * alpha, x);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), x * alpha, x);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), x * alpha, x);
}

/// <summary>
/// Clip: x &lt; lo ? lo : x, then &gt; hi ? hi : that (so lo &gt; hi gives hi; NaN passes). An absent bound is
/// -Inf / +Inf.
/// </summary>
public readonly struct ClipOperator(float lo, float hi) : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x)
    {
        var l = Vector512.Create(lo);
        var h = Vector512.Create(hi);
        x = Vector512.ConditionalSelect(Vector512.LessThan(x, l), l, x);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, h), h, x);
    }

    public Vector256<float> Invoke(Vector256<float> x)
    {
        var l = Vector256.Create(lo);
        var h = Vector256.Create(hi);
        x = Vector256.ConditionalSelect(Vector256.LessThan(x, l), l, x);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, h), h, x);
    }

    public Vector128<float> Invoke(Vector128<float> x)
    {
        var l = Vector128.Create(lo);
        var h = Vector128.Create(hi);
        x = Vector128.ConditionalSelect(Vector128.LessThan(x, l), l, x);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, h), h, x);
    }
}

/// <summary>HardSigmoid: clamp(alpha x + beta, 0, 1), NaN passes.</summary>
public readonly struct HardSigmoidOperator(float alpha, float beta) : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => new ClipOperator(0, 1).Invoke(x * alpha + Vector512.Create(beta));
    public Vector256<float> Invoke(Vector256<float> x) => new ClipOperator(0, 1).Invoke(x * alpha + Vector256.Create(beta));
    public Vector128<float> Invoke(Vector128<float> x) => new ClipOperator(0, 1).Invoke(x * alpha + Vector128.Create(beta));
}

/// <summary>HardSwish: x clamp(x / 6 + 1/2, 0, 1).</summary>
public readonly struct HardSwishOperator : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => x * new ClipOperator(0, 1).Invoke(x / Vector512.Create(6f) + Vector512.Create(0.5f));
    public Vector256<float> Invoke(Vector256<float> x) => x * new ClipOperator(0, 1).Invoke(x / Vector256.Create(6f) + Vector256.Create(0.5f));
    public Vector128<float> Invoke(Vector128<float> x) => x * new ClipOperator(0, 1).Invoke(x / Vector128.Create(6f) + Vector128.Create(0.5f));
}

/// <summary>Swish: x sigmoid(alpha x) (alpha 1 is SiLU).</summary>
public readonly struct SwishOperator(float alpha) : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => x * VectorMath.Sigmoid(x * alpha);
    public Vector256<float> Invoke(Vector256<float> x) => x * VectorMath.Sigmoid(x * alpha);
    public Vector128<float> Invoke(Vector128<float> x) => x * VectorMath.Sigmoid(x * alpha);
}

/// <summary>
/// Mish: x tanh(softplus x) = x n / (n + 2) with t = e^x, n = t (t + 2) (tanh(ln u) = (u² - 1)/(u² + 1), u = 1 + t);
/// above 20 the factor is 1 in float, and x is returned (NaN passes).
/// </summary>
public readonly struct MishOperator : IUnaryOperator
{
    private const float Saturate = 20f;

    public Vector512<float> Invoke(Vector512<float> x)
    {
        var t = VectorMath.Exp(Vector512.MinNative(Vector512.Create(Saturate), x));
        var n = t * (t + Vector512.Create(2f));
        var y = x * n / (n + Vector512.Create(2f));
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(Saturate)), x, y);
    }

    public Vector256<float> Invoke(Vector256<float> x)
    {
        var t = VectorMath.Exp(Vector256.MinNative(Vector256.Create(Saturate), x));
        var n = t * (t + Vector256.Create(2f));
        var y = x * n / (n + Vector256.Create(2f));
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(Saturate)), x, y);
    }

    public Vector128<float> Invoke(Vector128<float> x)
    {
        var t = VectorMath.Exp(Vector128.MinNative(Vector128.Create(Saturate), x));
        var n = t * (t + Vector128.Create(2f));
        var y = x * n / (n + Vector128.Create(2f));
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(Saturate)), x, y);
    }
}

/// <summary>Sqrt (IEEE, correctly rounded).</summary>
public readonly struct SqrtOperator : IUnaryOperator
{
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Sqrt(x);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Sqrt(x);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Sqrt(x);
}
