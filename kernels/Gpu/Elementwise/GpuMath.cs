using ILGPU.Algorithms;

namespace NativeInfer.Kernels.Gpu.Elementwise;

/// <summary>
/// The scalar formulas of every <see cref="GpuOpCode"/>, callable from ILGPU kernels (static, no allocation, no
/// exceptions, XMath for transcendental functions) and from host code (tests use them as a second reference). They
/// follow the float32 semantics of the CPU kernels: NaN propagates through Max/Min, PRelu tests the sign bit, GELU and
/// SiLU use the numerically stable forms.
/// </summary>
public static class GpuMath
{
    /// <summary>The unary function <paramref name="op"/> of x with parameters p0, p1 (alpha/beta, clip bounds, exponent).</summary>
    public static float Unary(int op, float x, float p0, float p1)
    {
        switch (op)
        {
            case GpuOpCode.Relu: return x > 0f || XMath.IsNaN(x) ? x : 0f;
            case GpuOpCode.LeakyRelu: return x < 0f ? x * p0 : x;
            case GpuOpCode.Elu: return x < 0f ? (XMath.Exp(x) - 1f) * p0 : x;
            case GpuOpCode.Selu: return (x > 0f ? x : (XMath.Exp(x) - 1f) * p0) * p1;
            case GpuOpCode.Sigmoid: return Sigmoid(x);
            case GpuOpCode.HardSigmoid: return Clamp01(p0 * x + p1);
            case GpuOpCode.HardSwish: return x * Clamp01(x / 6f + 0.5f);
            case GpuOpCode.Tanh: return XMath.Tanh(x);
            case GpuOpCode.Exp: return XMath.Exp(x);
            case GpuOpCode.Log: return XMath.Log(x);
            case GpuOpCode.Abs: return XMath.Abs(x);
            case GpuOpCode.Neg: return -x;
            case GpuOpCode.Sqrt: return XMath.Sqrt(x);
            case GpuOpCode.Reciprocal: return 1f / x;
            case GpuOpCode.Floor: return XMath.Floor(x);
            case GpuOpCode.Ceil: return XMath.Ceiling(x);
            case GpuOpCode.Erf: return Erf(x);
            case GpuOpCode.Softplus: return Softplus(x);
            case GpuOpCode.Clip: return Clip(x, p0, p1);
            case GpuOpCode.Gelu: return Gelu(x);
            case GpuOpCode.GeluTanh: return x * Sigmoid(1.59576912160573071f * (x + 0.044715f * x * x * x));
            case GpuOpCode.Mish: return x * XMath.Tanh(Softplus(x));
            case GpuOpCode.Pow:
                if (p0 == 2f) return x * x;
                if (p0 == 3f) return x * x * x;
                if (p0 == 0.5f) return XMath.Sqrt(x);
                if (p0 == -1f) return 1f / x;
                return XMath.Pow(x, p0);
            case GpuOpCode.Identity: return x;
            case GpuOpCode.Silu: return x * Sigmoid(x);
            case GpuOpCode.Sign: return x > 0f ? 1f : x < 0f ? -1f : x;
            case GpuOpCode.Softsign: return x / (1f + XMath.Abs(x));
            case GpuOpCode.ThresholdedRelu: return x > p0 ? x : 0f;
            case GpuOpCode.Sin: return XMath.Sin(x);
            case GpuOpCode.Cos: return XMath.Cos(x);
            case GpuOpCode.Round: return XMath.RoundToEven(x);
            case GpuOpCode.Swish: return x * Sigmoid(p0 * x);
            case GpuOpCode.Celu: return XMath.Max(0f, x) + XMath.Min(0f, p0 * (XMath.Exp(x / p0) - 1f));
            default: return float.NaN;
        }
    }

    /// <summary>The binary function <paramref name="op"/> of a and b.</summary>
    public static float Binary(int op, float a, float b)
    {
        switch (op)
        {
            case GpuOpCode.Add: return a + b;
            case GpuOpCode.Sub: return a - b;
            case GpuOpCode.Mul: return a * b;
            case GpuOpCode.Div: return a / b;
            case GpuOpCode.Max: return XMath.IsNaN(a) || XMath.IsNaN(b) ? float.NaN : (a > b ? a : b);
            case GpuOpCode.Min: return XMath.IsNaN(a) || XMath.IsNaN(b) ? float.NaN : (a < b ? a : b);
            case GpuOpCode.PRelu: return a < 0f || (a == 0f && 1f / a < 0f) ? a * b : a;
            case GpuOpCode.PowGeneral: return Pow(a, b);
            default: return float.NaN;
        }
    }

    /// <summary>a ^ b with the integer-exponent cases of a negative base kept (as MathF.Pow).</summary>
    public static float Pow(float a, float b)
    {
        if (b == 2f) return a * a;
        if (b == 1f) return a;
        if (b == 0f) return 1f;
        if (a < 0f && XMath.Floor(b) == b)
        {
            float m = XMath.Pow(-a, b);
            return XMath.Floor(b * 0.5f) * 2f == b ? m : -m;
        }
        return XMath.Pow(a, b);
    }

    /// <summary>1 / (1 + e^−x), evaluated without overflow on either side.</summary>
    public static float Sigmoid(float x)
    {
        if (x >= 0f) return 1f / (1f + XMath.Exp(-x));
        float e = XMath.Exp(x);
        return e / (1f + e);
    }

    /// <summary>ln(1 + e^x) = max(x, 0) + ln(1 + e^−|x|).</summary>
    public static float Softplus(float x) => XMath.Max(x, 0f) + Log1p(XMath.Exp(-XMath.Abs(x)));

    /// <summary>ln(1 + y) for y ≥ 0, accurate for small y.</summary>
    private static float Log1p(float y)
    {
        float u = 1f + y;
        return u == 1f ? y : XMath.Log(u) * (y / (u - 1f));
    }

    /// <summary>min(max(x, lo), hi) (so hi wins when lo &gt; hi, as ONNX specifies); NaN stays NaN.</summary>
    public static float Clip(float x, float lo, float hi)
    {
        float v = x < lo ? lo : x;
        return v > hi ? hi : v;
    }

    private static float Clamp01(float x) => x < 0f ? 0f : x > 1f ? 1f : x;

    /// <summary>
    /// erf(x): a Taylor series below |x| = 0.5 (relative error ~1e-7 there, where erf is nearly linear), else
    /// 1 − <see cref="Erfc"/>(|x|) with the sign of x.
    /// </summary>
    public static float Erf(float x)
    {
        float ax = XMath.Abs(x);
        if (ax < 0.5f)
        {
            float x2 = x * x;
            return x * 1.12837916709551257f * (1f + x2 * (-1f / 3f + x2 * (0.1f + x2 * (-1f / 42f + x2 * (1f / 216f)))));
        }
        float r = 1f - Erfc(ax);
        return x < 0f ? -r : r;
    }

    /// <summary>
    /// erfc(z) for z ≥ 0 by the Chebyshev-fitted form t·exp(−z² + P(t)), t = 1 / (1 + z/2) (relative error about 1.2e-7
    /// for every z), so the tail 1 + erf(−z) = erfc(z) that GELU needs for negative inputs keeps its relative accuracy.
    /// </summary>
    public static float Erfc(float z)
    {
        float t = 1f / (1f + 0.5f * z);
        float p = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f
            + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
        return t * XMath.Exp(-z * z + p);
    }

    /// <summary>x/2 · (1 + erf(x/√2)), through erfc on the negative side.</summary>
    public static float Gelu(float x)
    {
        if (x < -20f) return -0f; // the limit (x·erfc would give −Inf·0 = NaN at −Inf)
        float u = x * 0.70710678118654752f;
        return x < 0f ? 0.5f * x * Erfc(-u) : 0.5f * x * (1f + Erf(u));
    }
}
