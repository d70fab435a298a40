using System.Numerics;
using System.Runtime.CompilerServices;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Scalar float functions several ops share (sigmoid, softplus, erf).</summary>
internal static class FloatMath
{
    /// <summary>1 / (1 + e^-x), evaluated so neither branch overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sigmoid<T>(T x) where T : IFloatingPointIeee754<T>
    {
        if (x >= T.Zero) return T.One / (T.One + T.Exp(-x));
        T e = T.Exp(x);
        return e / (T.One + e);
    }

    /// <summary>ln(1 + e^x) without overflow for large x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Softplus<T>(T x) where T : IFloatingPointIeee754<T> =>
        x > T.Zero ? x + T.LogP1(T.Exp(-x)) : T.LogP1(T.Exp(x));

    /// <summary>The error function to double precision.</summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Abs(x);
        double r;
        if (ax < 2.5)
        {
            // erf(x) = 2/sqrt(pi) e^(-x^2) sum_n (2x^2)^n x / (1*3*...*(2n+1)); every term is positive.
            double x2 = 2 * ax * ax, term = ax, sum = ax;
            for (int n = 1; n < 80 && term > sum * 1e-17; n++)
            {
                term *= x2 / (2 * n + 1);
                sum += term;
            }
            r = 2 / Math.Sqrt(Math.PI) * Math.Exp(-ax * ax) * sum;
        }
        else if (ax < 6)
        {
            // erfc by its continued fraction, evaluated from the tail: e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + ...))).
            double f = ax;
            for (int n = 60; n >= 1; n--) f = ax + n * 0.5 / f;
            r = 1 - Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / f;
        }
        else r = 1;
        return x < 0 ? -r : r;
    }
}
