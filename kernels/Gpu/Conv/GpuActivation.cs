using ILGPU.Algorithms;
using NativeInfer.Kernels.Cpu;

namespace NativeInfer.Kernels.Gpu.Conv;

/// <summary>
/// An epilogue activation as a kernel sees it: the <see cref="SgemmActivationKind"/> as an int and its two parameters
/// (the same meaning as <see cref="SgemmActivation"/>: Clip min/max, LeakyRelu alpha, HardSigmoid alpha/beta).
/// </summary>
internal readonly struct GpuActivation
{
    public readonly int Kind;
    public readonly float Alpha;
    public readonly float Beta;

    public GpuActivation(SgemmActivation a)
    {
        if ((uint)a.Kind > (uint)SgemmActivationKind.Silu) throw new ArgumentException($"Unknown activation {a.Kind}.");
        Kind = (int)a.Kind;
        Alpha = a.Alpha;
        Beta = a.Beta;
    }

    /// <summary>The activation of one value (kernel code: no exceptions, no managed calls).</summary>
    public float Apply(float x)
    {
        switch (Kind)
        {
            case (int)SgemmActivationKind.Relu: return x < 0f ? 0f : x;
            case (int)SgemmActivationKind.Clip: return x < Alpha ? Alpha : x > Beta ? Beta : x;
            case (int)SgemmActivationKind.LeakyRelu: return x < 0f ? x * Alpha : x;
            case (int)SgemmActivationKind.HardSigmoid: return XMath.Max(0f, XMath.Min(1f, Alpha * x + Beta));
            case (int)SgemmActivationKind.Sigmoid: return 1f / (1f + XMath.Exp(-x));
            case (int)SgemmActivationKind.Tanh: return XMath.Tanh(x);
            case (int)SgemmActivationKind.GeluErf: return 0.5f * x * (1f + Erf(x * 0.70710678f));
            case (int)SgemmActivationKind.GeluTanh:
                return 0.5f * x * (1f + XMath.Tanh(0.7978845608f * (x + 0.044715f * x * x * x)));
            case (int)SgemmActivationKind.Silu: return x / (1f + XMath.Exp(-x));
            default: return x;
        }
    }

    /// <summary>erf(x) by Abramowitz–Stegun 7.1.26 (absolute error ≤ 1.5e-7): no erf intrinsic on every backend.</summary>
    public static float Erf(float x)
    {
        float a = XMath.Abs(x);
        float t = 1f / (1f + 0.3275911f * a);
        float poly = t * (0.254829592f + t * (-0.284496736f + t * (1.421413741f + t * (-1.453152027f + t * 1.061405429f))));
        float r = 1f - poly * XMath.Exp(-a * a);
        return x < 0f ? -r : r;
    }
}
