using NativeInfer.Ops.Elementwise;

namespace NativeInfer.Tests.Kernels;

/// <summary>Double-precision references for <see cref="NativeInfer.Kernels.Cpu.VectorMath"/>'s functions.</summary>
internal static class VectorMathReference
{
    public static double Exp(double x) => Math.Exp(x);

    public static double Log(double x) => Math.Log(x);

    public static double Tanh(double x) => Math.Tanh(x);

    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    public static double Silu(double x) => double.IsNegativeInfinity(x) ? 0 : x * Sigmoid(x);

    public static double Softplus(double x) => double.IsNaN(x) ? x : Math.Max(x, 0) + Log1P(Math.Exp(-Math.Abs(x)));

    public static double Erf(double x) => FloatMath.ErfReference(x);

    /// <summary>erfc with relative accuracy in the tail (1 - erf would cancel).</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x < 2.5) return 1 - FloatMath.ErfReference(x);
        if (x > 27) return 0;
        // e^(-x²)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the tail.
        double f = x;
        for (int n = 200; n >= 1; n--) f = x + n * 0.5 / f;
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }

    /// <summary>Standard normal CDF, relatively accurate in both tails.</summary>
    public static double Phi(double x) => x >= 0 ? 1 - 0.5 * Erfc(x / Math.Sqrt(2)) : 0.5 * Erfc(-x / Math.Sqrt(2));

    public static double Gelu(double x) => double.IsNegativeInfinity(x) ? 0 : x * Phi(x);

    public static double GeluTanh(double x)
    {
        if (double.IsNegativeInfinity(x)) return 0;
        double y = Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
        return x * Sigmoid(2 * y);   // = x (1 + tanh y) / 2 without the cancellation for negative y
    }

    public static double Log1P(double t) =>
        Math.Abs(t) < 1e-4 ? t * (1 - t * (0.5 - t * (1.0 / 3 - t * 0.25))) : Math.Log(1 + t);

    /// <summary>
    /// Error of <paramref name="actual"/> in units of the float ulp at the correctly rounded reference; 0 when both are
    /// the same infinity or both NaN, +Inf when only one is NaN or infinite.
    /// </summary>
    public static double UlpError(float actual, double reference)
    {
        if (double.IsNaN(reference) || float.IsNaN(actual))
            return double.IsNaN(reference) && float.IsNaN(actual) ? 0 : double.PositiveInfinity;
        float rounded = (float)reference;
        if (float.IsInfinity(rounded) || float.IsInfinity(actual))
            return rounded == actual ? 0 : double.PositiveInfinity;
        int exponent = Math.Max(Math.ILogB(Math.Abs((double)rounded)), -126);
        double ulp = Math.ScaleB(1.0, exponent - 23);
        return Math.Abs(actual - reference) / ulp;
    }
}
