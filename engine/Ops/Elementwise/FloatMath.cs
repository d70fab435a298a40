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

    /// <summary>
    /// The error function. Table-driven: a Maclaurin polynomial below 0.25, above it a Taylor polynomial around the
    /// centre of each 0.25-wide interval up to 6 (erf is 1 in double beyond), with coefficients derived once from
    /// <see cref="ErfReference"/> and the Hermite-polynomial form of erf's derivatives. <paramref name="terms"/> trades
    /// accuracy for speed: 12 suffices for float results, 22 for double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Erf(double x, int terms = ErfTable.MaxTerms)
    {
        double ax = Math.Abs(x);
        double r;
        if (ax < ErfTable.Width)
        {
            double x2 = ax * ax, p = 0;
            var m = ErfTable.Maclaurin;
            for (int n = m.Length - 1; n >= 0; n--) p = p * x2 + m[n];
            r = ax * p;
        }
        else if (ax < ErfTable.End)
        {
            int k = (int)(ax * (1 / ErfTable.Width));
            double h = ax - (k + 0.5) * ErfTable.Width, p = 0;
            var c = ErfTable.Taylor.AsSpan(k * (ErfTable.MaxTerms + 1), terms + 1);
            for (int n = terms; n >= 0; n--) p = p * h + c[n];
            r = p;
        }
        else r = double.IsNaN(ax) ? ax : 1;
        return x < 0 ? -r : r;
    }

    /// <summary>
    /// The error function to double precision by series and continued fraction (slow; builds the table).
    /// </summary>
    public static double ErfReference(double x)
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

    /// <summary>Taylor terms <see cref="Erf"/> needs for results of type <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ErfTerms<T>() => typeof(T) == typeof(double) ? ErfTable.MaxTerms : 12;

    /// <summary>Coefficient tables of <see cref="Erf"/>.</summary>
    private static class ErfTable
    {
        public const double Width = 0.25, End = 6;
        public const int MaxTerms = 22;

        /// <summary>erf(x) = x * sum_n Maclaurin[n] x^(2n) for |x| &lt; Width.</summary>
        public static readonly double[] Maclaurin = BuildMaclaurin();

        /// <summary>Per interval k (centre (k + 1/2) Width), erf(centre + h) = sum_n Taylor[k, n] h^n.</summary>
        public static readonly double[] Taylor = BuildTaylor();

        private static double[] BuildMaclaurin()
        {
            // 2/sqrt(pi) (-1)^n / (n! (2n+1)); ten terms reach double precision below 0.25.
            var m = new double[10];
            double factorial = 1;
            for (int n = 0; n < m.Length; n++)
            {
                if (n > 0) factorial *= n;
                m[n] = 2 / Math.Sqrt(Math.PI) * (n % 2 == 0 ? 1 : -1) / (factorial * (2 * n + 1));
            }
            return m;
        }

        private static double[] BuildTaylor()
        {
            int intervals = (int)(End / Width);
            var t = new double[intervals * (MaxTerms + 1)];
            for (int k = 0; k < intervals; k++)
            {
                double c = (k + 0.5) * Width;
                var row = t.AsSpan(k * (MaxTerms + 1), MaxTerms + 1);
                row[0] = ErfReference(c);
                // erf^(n)(c) = 2/sqrt(pi) (-1)^(n-1) H_(n-1)(c) e^(-c^2), H the physicists' Hermite polynomials.
                double scale = 2 / Math.Sqrt(Math.PI) * Math.Exp(-c * c);
                double hPrev = 0, h = 1, factorial = 1;
                for (int n = 1; n <= MaxTerms; n++)
                {
                    factorial *= n;
                    row[n] = scale * ((n - 1) % 2 == 0 ? h : -h) / factorial;
                    double next = 2 * c * h - 2 * (n - 1) * hPrev;
                    hPrev = h;
                    h = next;
                }
            }
            return t;
        }
    }
}
