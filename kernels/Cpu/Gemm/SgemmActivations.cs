using System.Numerics;
using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// The epilogue's elementwise work on one row segment of C: x = x + rowBias + colBias[j] + R[j], then the activation.
/// Vector&lt;float&gt; loops (the epilogue touches each output once, against K multiply-adds per output, so its width
/// matters little) with a scalar tail that uses the same formulas.
/// </summary>
internal static unsafe class SgemmActivations
{
    public static void ApplyRow(float* x, int n, float rowBias, float* colBias, float* residual, in SgemmActivation act)
    {
        switch (act.Kind)
        {
            case SgemmActivationKind.None: Row<Identity>(x, n, rowBias, colBias, residual, act.Alpha, act.Beta); break;
            case SgemmActivationKind.Relu: Row<Relu>(x, n, rowBias, colBias, residual, act.Alpha, act.Beta); break;
            case SgemmActivationKind.Clip: Row<Clip>(x, n, rowBias, colBias, residual, act.Alpha, act.Beta); break;
            case SgemmActivationKind.LeakyRelu: Row<LeakyRelu>(x, n, rowBias, colBias, residual, act.Alpha, act.Beta); break;
            case SgemmActivationKind.HardSigmoid: Row<HardSigmoid>(x, n, rowBias, colBias, residual, act.Alpha, act.Beta); break;
            case SgemmActivationKind.Sigmoid: Row<Sigmoid>(x, n, rowBias, colBias, residual, act.Alpha, act.Beta); break;
            case SgemmActivationKind.Tanh: Row<Tanh>(x, n, rowBias, colBias, residual, act.Alpha, act.Beta); break;
            case SgemmActivationKind.GeluErf: Row<GeluErf>(x, n, rowBias, colBias, residual, act.Alpha, act.Beta); break;
            case SgemmActivationKind.GeluTanh: Row<GeluTanh>(x, n, rowBias, colBias, residual, act.Alpha, act.Beta); break;
            case SgemmActivationKind.Silu: Row<Silu>(x, n, rowBias, colBias, residual, act.Alpha, act.Beta); break;
            default: throw new ArgumentOutOfRangeException(nameof(act), $"Unknown activation {act.Kind}.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<TAct>(float* x, int n, float rowBias, float* colBias, float* residual, float a, float b)
        where TAct : struct, IActivation
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<float>.Count;
            var rb = new Vector<float>(rowBias);
            for (; j + w <= n; j += w)
            {
                var v = Vector.Load(x + j) + rb;
                if (colBias != null) v += Vector.Load(colBias + j);
                if (residual != null) v += Vector.Load(residual + j);
                Vector.Store(TAct.Apply(v, a, b), x + j);
            }
        }
        for (; j < n; j++)
        {
            float v = x[j] + rowBias;
            if (colBias != null) v += colBias[j];
            if (residual != null) v += residual[j];
            x[j] = TAct.Apply(v, a, b);
        }
    }

    private interface IActivation
    {
        static abstract float Apply(float x, float a, float b);
        static abstract Vector<float> Apply(Vector<float> x, float a, float b);
    }

    private struct Identity : IActivation
    {
        public static float Apply(float x, float a, float b) => x;
        public static Vector<float> Apply(Vector<float> x, float a, float b) => x;
    }

    private struct Relu : IActivation
    {
        public static float Apply(float x, float a, float b) => x > 0f ? x : 0f;
        public static Vector<float> Apply(Vector<float> x, float a, float b) => Vector.Max(x, Vector<float>.Zero);
    }

    private struct Clip : IActivation
    {
        public static float Apply(float x, float a, float b) => MathF.Min(MathF.Max(x, a), b);
        public static Vector<float> Apply(Vector<float> x, float a, float b) =>
            Vector.Min(Vector.Max(x, new Vector<float>(a)), new Vector<float>(b));
    }

    private struct LeakyRelu : IActivation
    {
        public static float Apply(float x, float a, float b) => x >= 0f ? x : a * x;
        public static Vector<float> Apply(Vector<float> x, float a, float b) =>
            Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), x, x * a);
    }

    private struct HardSigmoid : IActivation
    {
        public static float Apply(float x, float a, float b) => MathF.Max(0f, MathF.Min(1f, a * x + b));
        public static Vector<float> Apply(Vector<float> x, float a, float b) =>
            Vector.Max(Vector<float>.Zero, Vector.Min(Vector<float>.One, x * a + new Vector<float>(b)));
    }

    private struct Sigmoid : IActivation
    {
        public static float Apply(float x, float a, float b) => 1f / (1f + MathF.Exp(-x));
        public static Vector<float> Apply(Vector<float> x, float a, float b) => Vector<float>.One / (Vector<float>.One + Vector.Exp(-x));
    }

    private struct Silu : IActivation
    {
        public static float Apply(float x, float a, float b) => x / (1f + MathF.Exp(-x));
        public static Vector<float> Apply(Vector<float> x, float a, float b) => x / (Vector<float>.One + Vector.Exp(-x));
    }

    // tanh: an odd Taylor polynomial below |x| = 1/4 (next term < 1e-8 relative), (1 − e^−2|x|)/(1 + e^−2|x|) above
    // (no cancellation there: e^−2|x| ≤ 0.61).
    private const float T3 = -1f / 3f, T5 = 2f / 15f, T7 = -17f / 315f, T9 = 62f / 2835f;

    private struct Tanh : IActivation
    {
        public static float Apply(float x, float a, float b)
        {
            float ax = MathF.Abs(x);
            if (ax < 0.25f)
            {
                float x2 = x * x;
                return x + x * x2 * (T3 + x2 * (T5 + x2 * (T7 + x2 * T9)));
            }
            float t = MathF.Exp(-2f * ax);
            float r = (1f - t) / (1f + t);
            return x < 0f ? -r : r;
        }

        public static Vector<float> Apply(Vector<float> x, float a, float b)
        {
            var ax = Vector.Abs(x);
            var x2 = x * x;
            var poly = x + x * x2 * (new Vector<float>(T3) + x2 * (new Vector<float>(T5) + x2 * (new Vector<float>(T7) + x2 * T9)));
            var t = Vector.Exp(ax * -2f);
            var r = (Vector<float>.One - t) / (Vector<float>.One + t);
            r = Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), -r, r);
            return Vector.ConditionalSelect(Vector.LessThan(ax, new Vector<float>(0.25f)), poly, r);
        }
    }

    // Gelu (tanh form) = x/2·(1 + tanh(u)) = x / (1 + e^−2u): no cancellation for negative x.
    private const float GeluTanhScale = 0.7978845608f, GeluTanhCubic = 0.044715f;

    private struct GeluTanh : IActivation
    {
        public static float Apply(float x, float a, float b)
        {
            float u = GeluTanhScale * (x + GeluTanhCubic * x * x * x);
            return x / (1f + MathF.Exp(-2f * u));
        }

        public static Vector<float> Apply(Vector<float> x, float a, float b)
        {
            var u = (x + x * x * x * GeluTanhCubic) * GeluTanhScale;
            return x / (Vector<float>.One + Vector.Exp(u * -2f));
        }
    }

    // Gelu (erf form) = x/2·erfc(−x/√2). erfc(z), z ≥ 0, from the Chebyshev-fitted exponential form (fractional error
    // below 1.2e-7 for all z); for x ≥ 0, erfc(−z) = 2 − erfc(z). Computing erfc directly keeps the relative accuracy
    // for large negative x, where 1 + erf cancels.
    private const float InvSqrt2 = 0.70710678f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Erfc(float z)
    {
        float t = 1f / (1f + 0.5f * z);
        float poly = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f +
            t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
        return t * MathF.Exp(-z * z + poly);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Erfc(Vector<float> z)
    {
        var t = Vector<float>.One / (Vector<float>.One + z * 0.5f);
        var poly = new Vector<float>(0.17087277f);
        poly = poly * t + new Vector<float>(-0.82215223f);
        poly = poly * t + new Vector<float>(1.48851587f);
        poly = poly * t + new Vector<float>(-1.13520398f);
        poly = poly * t + new Vector<float>(0.27886807f);
        poly = poly * t + new Vector<float>(-0.18628806f);
        poly = poly * t + new Vector<float>(0.09678418f);
        poly = poly * t + new Vector<float>(0.37409196f);
        poly = poly * t + new Vector<float>(1.00002368f);
        poly = poly * t + new Vector<float>(-1.26551223f);
        return t * Vector.Exp(poly - z * z);
    }

    private struct GeluErf : IActivation
    {
        public static float Apply(float x, float a, float b)
        {
            float e = Erfc(MathF.Abs(x) * InvSqrt2);
            return 0.5f * x * (x >= 0f ? 2f - e : e);
        }

        public static Vector<float> Apply(Vector<float> x, float a, float b)
        {
            var e = Erfc(Vector.Abs(x) * InvSqrt2);
            var s = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<float>.Zero), new Vector<float>(2f) - e, e);
            return x * s * 0.5f;
        }
    }
}
