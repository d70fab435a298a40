using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Cpu.Elementwise;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Vectorized float32 transcendental functions: one overload per SIMD width (Vector512, Vector256, Vector128), a scalar
/// overload and a span overload that picks the widest hardware-accelerated width. Every width runs the same algorithm,
/// so results agree across machines up to FMA contraction (<c>MultiplyAddEstimate</c> fuses where FMA exists).
/// <para>
/// Accuracy, measured against a double reference over swept ranges (tests/Kernels/VectorMathTests.cs): Exp, Log, Tanh,
/// Sigmoid, Silu, Softplus within a few ulp; Erf, Gelu, GeluTanh within a few ulp relative, or 1e-37 absolute where
/// the result is subnormal. Special values follow the C library: NaN propagates; Exp overflows to +Inf above ~88.72
/// and underflows through subnormals to +0 below ~-103.97; Log(0) = -Inf, Log(x &lt; 0) = NaN, Log(+Inf) = +Inf;
/// the x·f(x) activations (Gelu, GeluTanh, Silu) give 0 at -Inf (their limit, not Inf·0 = NaN).
/// </para>
/// <para>
/// The span overloads accept an output that is the input itself (in place) or does not overlap it at all; a partial
/// overlap throws. The ragged tail is covered by one overlapping vector computed before the body is written.
/// </para>
/// </summary>
public static class VectorMath
{
    // exp: x is clamped to [ExpLo, ExpHi] (NaN passes); n = round(x / ln2), r = x - n ln2 (Cody-Waite split),
    // e^r by its degree-7 Taylor polynomial (|r| <= ln2/2: truncation < 0.1 ulp), scaled by 2^n as two factors
    // 2^(n/2) 2^(n - n/2) so subnormal results round once and 2^128 overflows to +Inf.
    private const float ExpLo = -104f, ExpHi = 89f;
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f;   // Ln2Hi has 9 significant bits: n Ln2Hi is exact
    private const float RoundMagic = 12582912f;                           // 1.5 * 2^23: adding it rounds to an integer
    private const float Exp7 = 1f / 5040, Exp6 = 1f / 720, Exp5 = 1f / 120, Exp4 = 1f / 24, Exp3 = 1f / 6, Exp2 = 0.5f;

    // log: x = 2^e m with m in [sqrt(1/2), sqrt(2)), f = m - 1, s = f / (2 + f); log(1 + f) = f - (f²/2 - s (f²/2 + R))
    // with R = 2 atanh(s)/s - 2 = sum 2 s^2k / (2k + 1) (|s| <= 0.1716: five terms reach 1e-10).
    private const int SqrtHalfBits = 0x3F3504F3;
    private const float Log3 = 2f / 3, Log5 = 2f / 5, Log7 = 2f / 7, Log9 = 2f / 9, Log11 = 2f / 11;
    private const float MinNormal = 1.17549435e-38f, TwoTo23 = 8388608f;

    // tanh: odd Taylor series for |x| < TanhSmall (8 terms, error < 1e-9 relative); otherwise (1 - e) / (1 + e) with
    // e = exp(-2|x|), sign restored.
    private const float TanhSmall = 0.4f;
    private const float Tanh3 = -1f / 3, Tanh5 = 2f / 15, Tanh7 = -17f / 315, Tanh9 = 62f / 2835,
        Tanh11 = -1382f / 155925, Tanh13 = 21844f / 6081075, Tanh15 = -929569f / 638512875;

    // erf: for |x| < ErfSmall, erf(x) = x P(z), z = x², P a degree-6 Chebyshev fit of erf(x)/x over z in [0, 0.81]
    // (relative error 3e-10), evaluated in s = z / 0.405 - 1. Above, erfc(t) = exp(-t²) R(t) with R(t) = erfc(t) e^(t²)
    // fitted (degree 10, relative error 5e-10) in w = (t - 2.5) / (t + 2.5) over t in [0.9, 10.5], evaluated in
    // u = (w - ErfcMid) / ErfcHalf. Fits computed with the Chebyshev-node interpolation of math.erf/erfc in double.
    private const float ErfSmall = 0.9f, ErfZScale = 1f / 0.405f;
    private const float ErfP0 = 9.929032347e-01f, ErfP1 = -1.201502503e-01f, ErfP2 = 1.391165900e-02f,
        ErfP3 = -1.305894018e-03f, ErfP4 = 1.010980878e-04f, ErfP5 = -6.654296658e-06f, ErfP6 = 3.763991978e-07f;
    private const float ErfcK = 2.5f, ErfcTMax = 10.5f, ErfTMax = 4f;
    private const float ErfcUScale = (float)(1 / 0.5429864253393666), ErfcUShift = (float)(-0.07239819004524886 / 0.5429864253393666);
    private const float ErfcR0 = 1.851662931e-01f, ErfcR1 = -1.830926533e-01f, ErfcR2 = 6.657239912e-02f,
        ErfcR3 = -1.820239890e-02f, ErfcR4 = 3.327673819e-03f, ErfcR5 = -2.378923609e-04f, ErfcR6 = -5.559270724e-05f,
        ErfcR7 = 1.360135163e-05f, ErfcR8 = 1.033141614e-06f, ErfcR9 = -5.325917039e-07f, ErfcR10 = -3.095104133e-08f;

    // gelu(x) = x Phi(x), Phi(x) = (1 + erf(x / sqrt 2)) / 2 near 0, else 1 - erfc(|x| / sqrt 2) / 2 or its mirror,
    // so the negative tail keeps its relative accuracy. GeluTanh uses 1 + tanh(y) = 2 sigmoid(2y), same reason.
    private const float InvSqrt2 = 0.707106781186547524f, Sqrt2 = 1.41421356237309505f;
    private const float GeluTanhC1 = 1.59576912160573071f;             // 2 sqrt(2 / pi)
    private const float GeluTanhC3 = 1.59576912160573071f * 0.044715f;

    // ---------------------------------------------------------------- Vector512

    /// <summary>e^x per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        // MaxNative/MinNative(constant, x) return x when x is NaN (x86 picks the second operand; other targets propagate).
        x = Vector512.MinNative(Vector512.Create(ExpHi), Vector512.MaxNative(Vector512.Create(ExpLo), x));
        var k = Vector512.MultiplyAddEstimate(x, Vector512.Create(Log2E), Vector512.Create(RoundMagic));
        var n = k - Vector512.Create(RoundMagic);
        var r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.MultiplyAddEstimate(Vector512.Create(Exp7), r, Vector512.Create(Exp6));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(Exp5));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(Exp4));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(Exp3));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(Exp2));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<float>.One);
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<float>.One);
        var ni = k.AsInt32() - Vector512.Create(RoundMagic).AsInt32();
        var n1 = Vector512.ShiftRightArithmetic(ni, 1);
        var s1 = Vector512.ShiftLeft(n1 + Vector512.Create(127), 23).AsSingle();
        var s2 = Vector512.ShiftLeft(ni - n1 + Vector512.Create(127), 23).AsSingle();
        return p * s1 * s2;
    }

    /// <summary>Natural logarithm per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        // Subnormals are scaled into the normal range first.
        var tiny = Vector512.LessThan(x, Vector512.Create(MinNormal));
        var xs = Vector512.ConditionalSelect(tiny, x * Vector512.Create(TwoTo23), x);
        var ix = xs.AsInt32() - Vector512.Create(SqrtHalfBits);
        var e = Vector512.ShiftRightArithmetic(ix, 23) - (tiny.AsInt32() & Vector512.Create(23));
        var m = ((ix & Vector512.Create(0x007FFFFF)) + Vector512.Create(SqrtHalfBits)).AsSingle();
        var f = m - Vector512<float>.One;
        var s = f / (Vector512.Create(2f) + f);
        var z = s * s;
        var rr = Vector512.MultiplyAddEstimate(Vector512.Create(Log11), z, Vector512.Create(Log9));
        rr = Vector512.MultiplyAddEstimate(rr, z, Vector512.Create(Log7));
        rr = Vector512.MultiplyAddEstimate(rr, z, Vector512.Create(Log5));
        rr = Vector512.MultiplyAddEstimate(rr, z, Vector512.Create(Log3));
        rr *= z;
        var hfsq = Vector512.Create(0.5f) * f * f;
        var ef = Vector512.ConvertToSingle(e);
        var t = Vector512.MultiplyAddEstimate(ef, Vector512.Create(Ln2Lo), s * (hfsq + rr));
        var y = Vector512.MultiplyAddEstimate(ef, Vector512.Create(Ln2Hi), f - (hfsq - t));
        // Specials: +Inf stays, 0 gives -Inf, negatives and NaN give NaN.
        y = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.PositiveInfinity)), x, y);
        y = Vector512.ConditionalSelect(Vector512.Equals(x, Vector512<float>.Zero), Vector512.Create(float.NegativeInfinity), y);
        var invalid = Vector512.LessThan(x, Vector512<float>.Zero) | ~Vector512.Equals(x, x);
        return Vector512.ConditionalSelect(invalid, Vector512.Create(float.NaN), y);
    }

    /// <summary>Hyperbolic tangent per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        var ax = Vector512.Abs(x);
        var z = x * x;
        var p = Vector512.MultiplyAddEstimate(Vector512.Create(Tanh15), z, Vector512.Create(Tanh13));
        p = Vector512.MultiplyAddEstimate(p, z, Vector512.Create(Tanh11));
        p = Vector512.MultiplyAddEstimate(p, z, Vector512.Create(Tanh9));
        p = Vector512.MultiplyAddEstimate(p, z, Vector512.Create(Tanh7));
        p = Vector512.MultiplyAddEstimate(p, z, Vector512.Create(Tanh5));
        p = Vector512.MultiplyAddEstimate(p, z, Vector512.Create(Tanh3));
        var small = Vector512.MultiplyAddEstimate(p * z, ax, ax);
        var e = Exp(Vector512.Create(-2f) * ax);
        var large = (Vector512<float>.One - e) / (Vector512<float>.One + e);
        // Both branches give |tanh x|; the sign is restored last (so tanh(-0) = -0).
        return Vector512.CopySign(Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(TanhSmall)), small, large), x);
    }

    /// <summary>Logistic sigmoid 1 / (1 + e^-x) per lane, accurate in both tails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x)
    {
        // t = e^-|x|: sigmoid = 1 / (1 + t) for x >= 0, t / (1 + t) below (no overflow, no cancellation).
        var t = Exp(-Vector512.Abs(x));
        var num = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), t, Vector512<float>.One);
        return num / (Vector512<float>.One + t);
    }

    /// <summary>SiLU (swish with beta 1) x sigmoid(x) per lane; 0 at -Inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Silu(Vector512<float> x) => ZeroAtNegativeInfinity(x, x * Sigmoid(x));

    /// <summary>Softplus ln(1 + e^x) per lane, without overflow and accurate for large negative x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Softplus(Vector512<float> x)
    {
        // max(x, 0) + log1p(e^-|x|), log1p(t) = log(1 + t) t / ((1 + t) - 1), exact correction of the rounded 1 + t.
        var t = Exp(-Vector512.Abs(x));
        var u = Vector512<float>.One + t;
        var d = u - Vector512<float>.One;
        var l1p = Vector512.ConditionalSelect(Vector512.Equals(d, Vector512<float>.Zero), t, Log(u) * t / d);
        return Vector512.MaxNative(Vector512<float>.Zero, x) + l1p;
    }

    /// <summary>Error function per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Erf(Vector512<float> x)
    {
        var ax = Vector512.Abs(x);
        var small = x * ErfSmallPoly(x * x);
        var t = Vector512.MinNative(Vector512.Create(ErfTMax), ax);
        var large = Vector512.CopySign(Vector512<float>.One - ExpNegScaledSquare(t, Vector512<float>.One) * ErfcScaled(t), x);
        return Vector512.ConditionalSelect(Vector512.LessThan(ax, Vector512.Create(ErfSmall)), small, large);
    }

    /// <summary>GELU x Phi(x) with the exact normal CDF (ONNX Gelu, approximate = "none") per lane; 0 at -Inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Gelu(Vector512<float> x)
    {
        var half = Vector512.Create(0.5f);
        var ax = Vector512.Abs(x);
        var t = ax * Vector512.Create(InvSqrt2);
        // Phi = 1/2 + (x / sqrt 2) P(x² / 2) / 2 near zero.
        var nearZero = Vector512.MultiplyAddEstimate(x * Vector512.Create(0.5f * InvSqrt2), ErfSmallPoly(half * x * x), half);
        // q = erfc(t) / 2 = e^(-x²/2) R(t) / 2; Phi = 1 - q above zero, q below.
        // |x| is capped where e^(-x²/2) has underflowed anyway, so x² stays finite.
        var q = half * ExpNegScaledSquare(Vector512.MinNative(Vector512.Create(ErfcTMax * Sqrt2), ax), half)
            * ErfcScaled(Vector512.MinNative(Vector512.Create(ErfcTMax), t));
        var tail = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), Vector512<float>.One - q, q);
        var phi = Vector512.ConditionalSelect(Vector512.LessThan(t, Vector512.Create(ErfSmall)), nearZero, tail);
        return ZeroAtNegativeInfinity(x, x * phi);
    }

    /// <summary>GELU with the tanh approximation (ONNX Gelu, approximate = "tanh") per lane; 0 at -Inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> GeluTanh(Vector512<float> x)
    {
        // x (1 + tanh(y)) / 2 = x sigmoid(2y), y = sqrt(2/pi) (x + 0.044715 x³).
        var y2 = x * Vector512.MultiplyAddEstimate(Vector512.Create(GeluTanhC3), x * x, Vector512.Create(GeluTanhC1));
        return ZeroAtNegativeInfinity(x, x * Sigmoid(y2));
    }

    /// <summary>P(z) with erf(x) = x P(x²) for |x| &lt; 0.9.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ErfSmallPoly(Vector512<float> z)
    {
        var s = Vector512.MultiplyAddEstimate(z, Vector512.Create(ErfZScale), Vector512.Create(-1f));
        var p = Vector512.MultiplyAddEstimate(Vector512.Create(ErfP6), s, Vector512.Create(ErfP5));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfP4));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfP3));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfP2));
        p = Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfP1));
        return Vector512.MultiplyAddEstimate(p, s, Vector512.Create(ErfP0));
    }

    /// <summary>R(t) = erfc(t) e^(t²) for t in [0.9, 10.5].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ErfcScaled(Vector512<float> t)
    {
        var w = (t - Vector512.Create(ErfcK)) / (t + Vector512.Create(ErfcK));
        var u = Vector512.MultiplyAddEstimate(w, Vector512.Create(ErfcUScale), Vector512.Create(ErfcUShift));
        var p = Vector512.MultiplyAddEstimate(Vector512.Create(ErfcR10), u, Vector512.Create(ErfcR9));
        p = Vector512.MultiplyAddEstimate(p, u, Vector512.Create(ErfcR8));
        p = Vector512.MultiplyAddEstimate(p, u, Vector512.Create(ErfcR7));
        p = Vector512.MultiplyAddEstimate(p, u, Vector512.Create(ErfcR6));
        p = Vector512.MultiplyAddEstimate(p, u, Vector512.Create(ErfcR5));
        p = Vector512.MultiplyAddEstimate(p, u, Vector512.Create(ErfcR4));
        p = Vector512.MultiplyAddEstimate(p, u, Vector512.Create(ErfcR3));
        p = Vector512.MultiplyAddEstimate(p, u, Vector512.Create(ErfcR2));
        p = Vector512.MultiplyAddEstimate(p, u, Vector512.Create(ErfcR1));
        return Vector512.MultiplyAddEstimate(p, u, Vector512.Create(ErfcR0));
    }

    /// <summary>
    /// e^(-c a²) for c = 1 or 1/2 (so c a² scales exactly), with a² = hi + lo exactly (Dekker's product: a split into
    /// 12-bit halves, every partial product exact; no FMA needed), so large a keep their relative accuracy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpNegScaledSquare(Vector512<float> a, Vector512<float> c)
    {
        var ah = (a.AsUInt32() & Vector512.Create(0xFFFFF000u)).AsSingle();
        var al = a - ah;
        var hi = a * a;
        var lo = ah * ah - hi + (ah + ah) * al + al * al;
        return Exp(-c * hi) * Vector512.MultiplyAddEstimate(-c, lo, Vector512<float>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ZeroAtNegativeInfinity(Vector512<float> x, Vector512<float> y) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.NegativeInfinity)), Vector512<float>.Zero, y);

    // ---------------------------------------------------------------- Vector256

    /// <summary>e^x per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        // MaxNative/MinNative(constant, x) return x when x is NaN (x86 picks the second operand; other targets propagate).
        x = Vector256.MinNative(Vector256.Create(ExpHi), Vector256.MaxNative(Vector256.Create(ExpLo), x));
        var k = Vector256.MultiplyAddEstimate(x, Vector256.Create(Log2E), Vector256.Create(RoundMagic));
        var n = k - Vector256.Create(RoundMagic);
        var r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Hi), x);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.MultiplyAddEstimate(Vector256.Create(Exp7), r, Vector256.Create(Exp6));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(Exp5));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(Exp4));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(Exp3));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(Exp2));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<float>.One);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<float>.One);
        var ni = k.AsInt32() - Vector256.Create(RoundMagic).AsInt32();
        var n1 = Vector256.ShiftRightArithmetic(ni, 1);
        var s1 = Vector256.ShiftLeft(n1 + Vector256.Create(127), 23).AsSingle();
        var s2 = Vector256.ShiftLeft(ni - n1 + Vector256.Create(127), 23).AsSingle();
        return p * s1 * s2;
    }

    /// <summary>Natural logarithm per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        // Subnormals are scaled into the normal range first.
        var tiny = Vector256.LessThan(x, Vector256.Create(MinNormal));
        var xs = Vector256.ConditionalSelect(tiny, x * Vector256.Create(TwoTo23), x);
        var ix = xs.AsInt32() - Vector256.Create(SqrtHalfBits);
        var e = Vector256.ShiftRightArithmetic(ix, 23) - (tiny.AsInt32() & Vector256.Create(23));
        var m = ((ix & Vector256.Create(0x007FFFFF)) + Vector256.Create(SqrtHalfBits)).AsSingle();
        var f = m - Vector256<float>.One;
        var s = f / (Vector256.Create(2f) + f);
        var z = s * s;
        var rr = Vector256.MultiplyAddEstimate(Vector256.Create(Log11), z, Vector256.Create(Log9));
        rr = Vector256.MultiplyAddEstimate(rr, z, Vector256.Create(Log7));
        rr = Vector256.MultiplyAddEstimate(rr, z, Vector256.Create(Log5));
        rr = Vector256.MultiplyAddEstimate(rr, z, Vector256.Create(Log3));
        rr *= z;
        var hfsq = Vector256.Create(0.5f) * f * f;
        var ef = Vector256.ConvertToSingle(e);
        var t = Vector256.MultiplyAddEstimate(ef, Vector256.Create(Ln2Lo), s * (hfsq + rr));
        var y = Vector256.MultiplyAddEstimate(ef, Vector256.Create(Ln2Hi), f - (hfsq - t));
        // Specials: +Inf stays, 0 gives -Inf, negatives and NaN give NaN.
        y = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.PositiveInfinity)), x, y);
        y = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), Vector256.Create(float.NegativeInfinity), y);
        var invalid = Vector256.LessThan(x, Vector256<float>.Zero) | ~Vector256.Equals(x, x);
        return Vector256.ConditionalSelect(invalid, Vector256.Create(float.NaN), y);
    }

    /// <summary>Hyperbolic tangent per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var z = x * x;
        var p = Vector256.MultiplyAddEstimate(Vector256.Create(Tanh15), z, Vector256.Create(Tanh13));
        p = Vector256.MultiplyAddEstimate(p, z, Vector256.Create(Tanh11));
        p = Vector256.MultiplyAddEstimate(p, z, Vector256.Create(Tanh9));
        p = Vector256.MultiplyAddEstimate(p, z, Vector256.Create(Tanh7));
        p = Vector256.MultiplyAddEstimate(p, z, Vector256.Create(Tanh5));
        p = Vector256.MultiplyAddEstimate(p, z, Vector256.Create(Tanh3));
        var small = Vector256.MultiplyAddEstimate(p * z, ax, ax);
        var e = Exp(Vector256.Create(-2f) * ax);
        var large = (Vector256<float>.One - e) / (Vector256<float>.One + e);
        // Both branches give |tanh x|; the sign is restored last (so tanh(-0) = -0).
        return Vector256.CopySign(Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(TanhSmall)), small, large), x);
    }

    /// <summary>Logistic sigmoid 1 / (1 + e^-x) per lane, accurate in both tails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        // t = e^-|x|: sigmoid = 1 / (1 + t) for x >= 0, t / (1 + t) below (no overflow, no cancellation).
        var t = Exp(-Vector256.Abs(x));
        var num = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), t, Vector256<float>.One);
        return num / (Vector256<float>.One + t);
    }

    /// <summary>SiLU (swish with beta 1) x sigmoid(x) per lane; 0 at -Inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Silu(Vector256<float> x) => ZeroAtNegativeInfinity(x, x * Sigmoid(x));

    /// <summary>Softplus ln(1 + e^x) per lane, without overflow and accurate for large negative x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Softplus(Vector256<float> x)
    {
        // max(x, 0) + log1p(e^-|x|), log1p(t) = log(1 + t) t / ((1 + t) - 1), exact correction of the rounded 1 + t.
        var t = Exp(-Vector256.Abs(x));
        var u = Vector256<float>.One + t;
        var d = u - Vector256<float>.One;
        var l1p = Vector256.ConditionalSelect(Vector256.Equals(d, Vector256<float>.Zero), t, Log(u) * t / d);
        return Vector256.MaxNative(Vector256<float>.Zero, x) + l1p;
    }

    /// <summary>Error function per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Erf(Vector256<float> x)
    {
        var ax = Vector256.Abs(x);
        var small = x * ErfSmallPoly(x * x);
        var t = Vector256.MinNative(Vector256.Create(ErfTMax), ax);
        var large = Vector256.CopySign(Vector256<float>.One - ExpNegScaledSquare(t, Vector256<float>.One) * ErfcScaled(t), x);
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, Vector256.Create(ErfSmall)), small, large);
    }

    /// <summary>GELU x Phi(x) with the exact normal CDF (ONNX Gelu, approximate = "none") per lane; 0 at -Inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Gelu(Vector256<float> x)
    {
        var half = Vector256.Create(0.5f);
        var ax = Vector256.Abs(x);
        var t = ax * Vector256.Create(InvSqrt2);
        // Phi = 1/2 + (x / sqrt 2) P(x² / 2) / 2 near zero.
        var nearZero = Vector256.MultiplyAddEstimate(x * Vector256.Create(0.5f * InvSqrt2), ErfSmallPoly(half * x * x), half);
        // q = erfc(t) / 2 = e^(-x²/2) R(t) / 2; Phi = 1 - q above zero, q below.
        // |x| is capped where e^(-x²/2) has underflowed anyway, so x² stays finite.
        var q = half * ExpNegScaledSquare(Vector256.MinNative(Vector256.Create(ErfcTMax * Sqrt2), ax), half)
            * ErfcScaled(Vector256.MinNative(Vector256.Create(ErfcTMax), t));
        var tail = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), Vector256<float>.One - q, q);
        var phi = Vector256.ConditionalSelect(Vector256.LessThan(t, Vector256.Create(ErfSmall)), nearZero, tail);
        return ZeroAtNegativeInfinity(x, x * phi);
    }

    /// <summary>GELU with the tanh approximation (ONNX Gelu, approximate = "tanh") per lane; 0 at -Inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> GeluTanh(Vector256<float> x)
    {
        // x (1 + tanh(y)) / 2 = x sigmoid(2y), y = sqrt(2/pi) (x + 0.044715 x³).
        var y2 = x * Vector256.MultiplyAddEstimate(Vector256.Create(GeluTanhC3), x * x, Vector256.Create(GeluTanhC1));
        return ZeroAtNegativeInfinity(x, x * Sigmoid(y2));
    }

    /// <summary>P(z) with erf(x) = x P(x²) for |x| &lt; 0.9.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ErfSmallPoly(Vector256<float> z)
    {
        var s = Vector256.MultiplyAddEstimate(z, Vector256.Create(ErfZScale), Vector256.Create(-1f));
        var p = Vector256.MultiplyAddEstimate(Vector256.Create(ErfP6), s, Vector256.Create(ErfP5));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfP4));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfP3));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfP2));
        p = Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfP1));
        return Vector256.MultiplyAddEstimate(p, s, Vector256.Create(ErfP0));
    }

    /// <summary>R(t) = erfc(t) e^(t²) for t in [0.9, 10.5].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ErfcScaled(Vector256<float> t)
    {
        var w = (t - Vector256.Create(ErfcK)) / (t + Vector256.Create(ErfcK));
        var u = Vector256.MultiplyAddEstimate(w, Vector256.Create(ErfcUScale), Vector256.Create(ErfcUShift));
        var p = Vector256.MultiplyAddEstimate(Vector256.Create(ErfcR10), u, Vector256.Create(ErfcR9));
        p = Vector256.MultiplyAddEstimate(p, u, Vector256.Create(ErfcR8));
        p = Vector256.MultiplyAddEstimate(p, u, Vector256.Create(ErfcR7));
        p = Vector256.MultiplyAddEstimate(p, u, Vector256.Create(ErfcR6));
        p = Vector256.MultiplyAddEstimate(p, u, Vector256.Create(ErfcR5));
        p = Vector256.MultiplyAddEstimate(p, u, Vector256.Create(ErfcR4));
        p = Vector256.MultiplyAddEstimate(p, u, Vector256.Create(ErfcR3));
        p = Vector256.MultiplyAddEstimate(p, u, Vector256.Create(ErfcR2));
        p = Vector256.MultiplyAddEstimate(p, u, Vector256.Create(ErfcR1));
        return Vector256.MultiplyAddEstimate(p, u, Vector256.Create(ErfcR0));
    }

    /// <summary>
    /// e^(-c a²) for c = 1 or 1/2 (so c a² scales exactly), with a² = hi + lo exactly (Dekker's product: a split into
    /// 12-bit halves, every partial product exact; no FMA needed), so large a keep their relative accuracy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpNegScaledSquare(Vector256<float> a, Vector256<float> c)
    {
        var ah = (a.AsUInt32() & Vector256.Create(0xFFFFF000u)).AsSingle();
        var al = a - ah;
        var hi = a * a;
        var lo = ah * ah - hi + (ah + ah) * al + al * al;
        return Exp(-c * hi) * Vector256.MultiplyAddEstimate(-c, lo, Vector256<float>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ZeroAtNegativeInfinity(Vector256<float> x, Vector256<float> y) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.NegativeInfinity)), Vector256<float>.Zero, y);

    // ---------------------------------------------------------------- Vector128

    /// <summary>e^x per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        // MaxNative/MinNative(constant, x) return x when x is NaN (x86 picks the second operand; other targets propagate).
        x = Vector128.MinNative(Vector128.Create(ExpHi), Vector128.MaxNative(Vector128.Create(ExpLo), x));
        var k = Vector128.MultiplyAddEstimate(x, Vector128.Create(Log2E), Vector128.Create(RoundMagic));
        var n = k - Vector128.Create(RoundMagic);
        var r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-Ln2Hi), x);
        r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-Ln2Lo), r);
        var p = Vector128.MultiplyAddEstimate(Vector128.Create(Exp7), r, Vector128.Create(Exp6));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(Exp5));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(Exp4));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(Exp3));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(Exp2));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128<float>.One);
        p = Vector128.MultiplyAddEstimate(p, r, Vector128<float>.One);
        var ni = k.AsInt32() - Vector128.Create(RoundMagic).AsInt32();
        var n1 = Vector128.ShiftRightArithmetic(ni, 1);
        var s1 = Vector128.ShiftLeft(n1 + Vector128.Create(127), 23).AsSingle();
        var s2 = Vector128.ShiftLeft(ni - n1 + Vector128.Create(127), 23).AsSingle();
        return p * s1 * s2;
    }

    /// <summary>Natural logarithm per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log(Vector128<float> x)
    {
        // Subnormals are scaled into the normal range first.
        var tiny = Vector128.LessThan(x, Vector128.Create(MinNormal));
        var xs = Vector128.ConditionalSelect(tiny, x * Vector128.Create(TwoTo23), x);
        var ix = xs.AsInt32() - Vector128.Create(SqrtHalfBits);
        var e = Vector128.ShiftRightArithmetic(ix, 23) - (tiny.AsInt32() & Vector128.Create(23));
        var m = ((ix & Vector128.Create(0x007FFFFF)) + Vector128.Create(SqrtHalfBits)).AsSingle();
        var f = m - Vector128<float>.One;
        var s = f / (Vector128.Create(2f) + f);
        var z = s * s;
        var rr = Vector128.MultiplyAddEstimate(Vector128.Create(Log11), z, Vector128.Create(Log9));
        rr = Vector128.MultiplyAddEstimate(rr, z, Vector128.Create(Log7));
        rr = Vector128.MultiplyAddEstimate(rr, z, Vector128.Create(Log5));
        rr = Vector128.MultiplyAddEstimate(rr, z, Vector128.Create(Log3));
        rr *= z;
        var hfsq = Vector128.Create(0.5f) * f * f;
        var ef = Vector128.ConvertToSingle(e);
        var t = Vector128.MultiplyAddEstimate(ef, Vector128.Create(Ln2Lo), s * (hfsq + rr));
        var y = Vector128.MultiplyAddEstimate(ef, Vector128.Create(Ln2Hi), f - (hfsq - t));
        // Specials: +Inf stays, 0 gives -Inf, negatives and NaN give NaN.
        y = Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.PositiveInfinity)), x, y);
        y = Vector128.ConditionalSelect(Vector128.Equals(x, Vector128<float>.Zero), Vector128.Create(float.NegativeInfinity), y);
        var invalid = Vector128.LessThan(x, Vector128<float>.Zero) | ~Vector128.Equals(x, x);
        return Vector128.ConditionalSelect(invalid, Vector128.Create(float.NaN), y);
    }

    /// <summary>Hyperbolic tangent per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        var ax = Vector128.Abs(x);
        var z = x * x;
        var p = Vector128.MultiplyAddEstimate(Vector128.Create(Tanh15), z, Vector128.Create(Tanh13));
        p = Vector128.MultiplyAddEstimate(p, z, Vector128.Create(Tanh11));
        p = Vector128.MultiplyAddEstimate(p, z, Vector128.Create(Tanh9));
        p = Vector128.MultiplyAddEstimate(p, z, Vector128.Create(Tanh7));
        p = Vector128.MultiplyAddEstimate(p, z, Vector128.Create(Tanh5));
        p = Vector128.MultiplyAddEstimate(p, z, Vector128.Create(Tanh3));
        var small = Vector128.MultiplyAddEstimate(p * z, ax, ax);
        var e = Exp(Vector128.Create(-2f) * ax);
        var large = (Vector128<float>.One - e) / (Vector128<float>.One + e);
        // Both branches give |tanh x|; the sign is restored last (so tanh(-0) = -0).
        return Vector128.CopySign(Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(TanhSmall)), small, large), x);
    }

    /// <summary>Logistic sigmoid 1 / (1 + e^-x) per lane, accurate in both tails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x)
    {
        // t = e^-|x|: sigmoid = 1 / (1 + t) for x >= 0, t / (1 + t) below (no overflow, no cancellation).
        var t = Exp(-Vector128.Abs(x));
        var num = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<float>.Zero), t, Vector128<float>.One);
        return num / (Vector128<float>.One + t);
    }

    /// <summary>SiLU (swish with beta 1) x sigmoid(x) per lane; 0 at -Inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Silu(Vector128<float> x) => ZeroAtNegativeInfinity(x, x * Sigmoid(x));

    /// <summary>Softplus ln(1 + e^x) per lane, without overflow and accurate for large negative x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Softplus(Vector128<float> x)
    {
        // max(x, 0) + log1p(e^-|x|), log1p(t) = log(1 + t) t / ((1 + t) - 1), exact correction of the rounded 1 + t.
        var t = Exp(-Vector128.Abs(x));
        var u = Vector128<float>.One + t;
        var d = u - Vector128<float>.One;
        var l1p = Vector128.ConditionalSelect(Vector128.Equals(d, Vector128<float>.Zero), t, Log(u) * t / d);
        return Vector128.MaxNative(Vector128<float>.Zero, x) + l1p;
    }

    /// <summary>Error function per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Erf(Vector128<float> x)
    {
        var ax = Vector128.Abs(x);
        var small = x * ErfSmallPoly(x * x);
        var t = Vector128.MinNative(Vector128.Create(ErfTMax), ax);
        var large = Vector128.CopySign(Vector128<float>.One - ExpNegScaledSquare(t, Vector128<float>.One) * ErfcScaled(t), x);
        return Vector128.ConditionalSelect(Vector128.LessThan(ax, Vector128.Create(ErfSmall)), small, large);
    }

    /// <summary>GELU x Phi(x) with the exact normal CDF (ONNX Gelu, approximate = "none") per lane; 0 at -Inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Gelu(Vector128<float> x)
    {
        var half = Vector128.Create(0.5f);
        var ax = Vector128.Abs(x);
        var t = ax * Vector128.Create(InvSqrt2);
        // Phi = 1/2 + (x / sqrt 2) P(x² / 2) / 2 near zero.
        var nearZero = Vector128.MultiplyAddEstimate(x * Vector128.Create(0.5f * InvSqrt2), ErfSmallPoly(half * x * x), half);
        // q = erfc(t) / 2 = e^(-x²/2) R(t) / 2; Phi = 1 - q above zero, q below.
        // |x| is capped where e^(-x²/2) has underflowed anyway, so x² stays finite.
        var q = half * ExpNegScaledSquare(Vector128.MinNative(Vector128.Create(ErfcTMax * Sqrt2), ax), half)
            * ErfcScaled(Vector128.MinNative(Vector128.Create(ErfcTMax), t));
        var tail = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), Vector128<float>.One - q, q);
        var phi = Vector128.ConditionalSelect(Vector128.LessThan(t, Vector128.Create(ErfSmall)), nearZero, tail);
        return ZeroAtNegativeInfinity(x, x * phi);
    }

    /// <summary>GELU with the tanh approximation (ONNX Gelu, approximate = "tanh") per lane; 0 at -Inf.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> GeluTanh(Vector128<float> x)
    {
        // x (1 + tanh(y)) / 2 = x sigmoid(2y), y = sqrt(2/pi) (x + 0.044715 x³).
        var y2 = x * Vector128.MultiplyAddEstimate(Vector128.Create(GeluTanhC3), x * x, Vector128.Create(GeluTanhC1));
        return ZeroAtNegativeInfinity(x, x * Sigmoid(y2));
    }

    /// <summary>P(z) with erf(x) = x P(x²) for |x| &lt; 0.9.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ErfSmallPoly(Vector128<float> z)
    {
        var s = Vector128.MultiplyAddEstimate(z, Vector128.Create(ErfZScale), Vector128.Create(-1f));
        var p = Vector128.MultiplyAddEstimate(Vector128.Create(ErfP6), s, Vector128.Create(ErfP5));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfP4));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfP3));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfP2));
        p = Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfP1));
        return Vector128.MultiplyAddEstimate(p, s, Vector128.Create(ErfP0));
    }

    /// <summary>R(t) = erfc(t) e^(t²) for t in [0.9, 10.5].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ErfcScaled(Vector128<float> t)
    {
        var w = (t - Vector128.Create(ErfcK)) / (t + Vector128.Create(ErfcK));
        var u = Vector128.MultiplyAddEstimate(w, Vector128.Create(ErfcUScale), Vector128.Create(ErfcUShift));
        var p = Vector128.MultiplyAddEstimate(Vector128.Create(ErfcR10), u, Vector128.Create(ErfcR9));
        p = Vector128.MultiplyAddEstimate(p, u, Vector128.Create(ErfcR8));
        p = Vector128.MultiplyAddEstimate(p, u, Vector128.Create(ErfcR7));
        p = Vector128.MultiplyAddEstimate(p, u, Vector128.Create(ErfcR6));
        p = Vector128.MultiplyAddEstimate(p, u, Vector128.Create(ErfcR5));
        p = Vector128.MultiplyAddEstimate(p, u, Vector128.Create(ErfcR4));
        p = Vector128.MultiplyAddEstimate(p, u, Vector128.Create(ErfcR3));
        p = Vector128.MultiplyAddEstimate(p, u, Vector128.Create(ErfcR2));
        p = Vector128.MultiplyAddEstimate(p, u, Vector128.Create(ErfcR1));
        return Vector128.MultiplyAddEstimate(p, u, Vector128.Create(ErfcR0));
    }

    /// <summary>
    /// e^(-c a²) for c = 1 or 1/2 (so c a² scales exactly), with a² = hi + lo exactly (Dekker's product: a split into
    /// 12-bit halves, every partial product exact; no FMA needed), so large a keep their relative accuracy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ExpNegScaledSquare(Vector128<float> a, Vector128<float> c)
    {
        var ah = (a.AsUInt32() & Vector128.Create(0xFFFFF000u)).AsSingle();
        var al = a - ah;
        var hi = a * a;
        var lo = ah * ah - hi + (ah + ah) * al + al * al;
        return Exp(-c * hi) * Vector128.MultiplyAddEstimate(-c, lo, Vector128<float>.One);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ZeroAtNegativeInfinity(Vector128<float> x, Vector128<float> y) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.NegativeInfinity)), Vector128<float>.Zero, y);

    // ---------------------------------------------------------------- scalar and span forms

    /// <summary>E^x of one value, by the same algorithm as the vector forms.</summary>
    public static float Exp(float x) => Exp(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>E^x of each element of <paramref name="x"/> into <paramref name="destination"/> (may be x itself).</summary>
    public static void Exp(ReadOnlySpan<float> x, Span<float> destination) => UnaryKernel.Map(x, destination, default(ExpOperator));

    /// <summary>The natural logarithm of one value, by the same algorithm as the vector forms.</summary>
    public static float Log(float x) => Log(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>The natural logarithm of each element of <paramref name="x"/> into <paramref name="destination"/> (may be x itself).</summary>
    public static void Log(ReadOnlySpan<float> x, Span<float> destination) => UnaryKernel.Map(x, destination, default(LogOperator));

    /// <summary>Tanh of one value, by the same algorithm as the vector forms.</summary>
    public static float Tanh(float x) => Tanh(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>Tanh of each element of <paramref name="x"/> into <paramref name="destination"/> (may be x itself).</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> destination) => UnaryKernel.Map(x, destination, default(TanhOperator));

    /// <summary>The logistic sigmoid of one value, by the same algorithm as the vector forms.</summary>
    public static float Sigmoid(float x) => Sigmoid(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>The logistic sigmoid of each element of <paramref name="x"/> into <paramref name="destination"/> (may be x itself).</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination) => UnaryKernel.Map(x, destination, default(SigmoidOperator));

    /// <summary>SiLU x sigmoid(x) of one value, by the same algorithm as the vector forms.</summary>
    public static float Silu(float x) => Silu(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>SiLU x sigmoid(x) of each element of <paramref name="x"/> into <paramref name="destination"/> (may be x itself).</summary>
    public static void Silu(ReadOnlySpan<float> x, Span<float> destination) => UnaryKernel.Map(x, destination, default(SiluOperator));

    /// <summary>Softplus ln(1 + e^x) of one value, by the same algorithm as the vector forms.</summary>
    public static float Softplus(float x) => Softplus(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>Softplus ln(1 + e^x) of each element of <paramref name="x"/> into <paramref name="destination"/> (may be x itself).</summary>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> destination) => UnaryKernel.Map(x, destination, default(SoftplusOperator));

    /// <summary>Erf of one value, by the same algorithm as the vector forms.</summary>
    public static float Erf(float x) => Erf(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>Erf of each element of <paramref name="x"/> into <paramref name="destination"/> (may be x itself).</summary>
    public static void Erf(ReadOnlySpan<float> x, Span<float> destination) => UnaryKernel.Map(x, destination, default(ErfOperator));

    /// <summary>Exact GELU of one value, by the same algorithm as the vector forms.</summary>
    public static float Gelu(float x) => Gelu(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>Exact GELU of each element of <paramref name="x"/> into <paramref name="destination"/> (may be x itself).</summary>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> destination) => UnaryKernel.Map(x, destination, default(GeluOperator));

    /// <summary>Tanh-approximated GELU of one value, by the same algorithm as the vector forms.</summary>
    public static float GeluTanh(float x) => GeluTanh(Vector128.CreateScalar(x)).ToScalar();

    /// <summary>Tanh-approximated GELU of each element of <paramref name="x"/> into <paramref name="destination"/> (may be x itself).</summary>
    public static void GeluTanh(ReadOnlySpan<float> x, Span<float> destination) => UnaryKernel.Map(x, destination, default(GeluTanhOperator));

    // Operator structs: what UnaryKernel.Map and the elementwise ops drive.

    /// <summary>E^x as a unary operator.</summary>
    public readonly struct ExpOperator : IUnaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x) => Exp(x);
        public Vector256<float> Invoke(Vector256<float> x) => Exp(x);
        public Vector128<float> Invoke(Vector128<float> x) => Exp(x);
    }

    /// <summary>The natural logarithm as a unary operator.</summary>
    public readonly struct LogOperator : IUnaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x) => Log(x);
        public Vector256<float> Invoke(Vector256<float> x) => Log(x);
        public Vector128<float> Invoke(Vector128<float> x) => Log(x);
    }

    /// <summary>Tanh as a unary operator.</summary>
    public readonly struct TanhOperator : IUnaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x) => Tanh(x);
        public Vector256<float> Invoke(Vector256<float> x) => Tanh(x);
        public Vector128<float> Invoke(Vector128<float> x) => Tanh(x);
    }

    /// <summary>The logistic sigmoid as a unary operator.</summary>
    public readonly struct SigmoidOperator : IUnaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x) => Sigmoid(x);
        public Vector256<float> Invoke(Vector256<float> x) => Sigmoid(x);
        public Vector128<float> Invoke(Vector128<float> x) => Sigmoid(x);
    }

    /// <summary>SiLU x sigmoid(x) as a unary operator.</summary>
    public readonly struct SiluOperator : IUnaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x) => Silu(x);
        public Vector256<float> Invoke(Vector256<float> x) => Silu(x);
        public Vector128<float> Invoke(Vector128<float> x) => Silu(x);
    }

    /// <summary>Softplus ln(1 + e^x) as a unary operator.</summary>
    public readonly struct SoftplusOperator : IUnaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x) => Softplus(x);
        public Vector256<float> Invoke(Vector256<float> x) => Softplus(x);
        public Vector128<float> Invoke(Vector128<float> x) => Softplus(x);
    }

    /// <summary>Erf as a unary operator.</summary>
    public readonly struct ErfOperator : IUnaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x) => Erf(x);
        public Vector256<float> Invoke(Vector256<float> x) => Erf(x);
        public Vector128<float> Invoke(Vector128<float> x) => Erf(x);
    }

    /// <summary>Exact GELU as a unary operator.</summary>
    public readonly struct GeluOperator : IUnaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x) => Gelu(x);
        public Vector256<float> Invoke(Vector256<float> x) => Gelu(x);
        public Vector128<float> Invoke(Vector128<float> x) => Gelu(x);
    }

    /// <summary>Tanh-approximated GELU as a unary operator.</summary>
    public readonly struct GeluTanhOperator : IUnaryOperator
    {
        public Vector512<float> Invoke(Vector512<float> x) => GeluTanh(x);
        public Vector256<float> Invoke(Vector256<float> x) => GeluTanh(x);
        public Vector128<float> Invoke(Vector128<float> x) => GeluTanh(x);
    }
}
