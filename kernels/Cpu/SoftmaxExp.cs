using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// A vector e^x for the softmax family, whose arguments are x − max ≤ 0 (exact for x in (−87.3, 88]): range reduction
/// x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 Taylor polynomial for e^r (relative error below 2e-7) and 2^n put into
/// the exponent bits. x below −87.33 gives 0, x above 88.72 gives +inf, NaN stays NaN; x in (88, 88.72] is clamped to
/// e^88. Private to the kernels until the shared VectorMath lands.
/// </summary>
internal static class SoftmaxExp
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;          // ln2 split so n·Ln2Hi is exact for |n| ≤ 128
    private const float Ln2Lo = -2.12194440e-4f;
    private const float Lowest = -87.33654f;           // below this e^x is under float's normal range: return 0
    private const float Clamp = 88.0f;                 // keeps n ≤ 127 so 2^n is a normal float
    private const float Overflow = 88.72283f;
    private const float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720;

    /// <summary>Scalar e^x (MathF.Exp: the tail of a row uses the same function the reference does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Exp(float x) => MathF.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        var xc = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(Lowest)), Vector512.Create(Clamp));
        var n = Vector512.Round(xc * Vector512.Create(Log2E));
        var r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Hi), xc);
        r = Vector512.MultiplyAddEstimate(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.MultiplyAddEstimate(Vector512.Create(C6), r, Vector512.Create(C5));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C4));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C3));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512.Create(C2));
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<float>.One);
        p = Vector512.MultiplyAddEstimate(p, r, Vector512<float>.One);
        var bits = p.AsInt32() + Vector512.ShiftLeft(Vector512.ConvertToInt32(n), 23);
        var y = bits.AsSingle();
        y = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Lowest)), Vector512<float>.Zero, y);
        y = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(Overflow)), Vector512.Create(float.PositiveInfinity), y);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), y, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var xc = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(Lowest)), Vector256.Create(Clamp));
        var n = Vector256.Round(xc * Vector256.Create(Log2E));
        var r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Hi), xc);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.MultiplyAddEstimate(Vector256.Create(C6), r, Vector256.Create(C5));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C4));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C3));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(C2));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<float>.One);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<float>.One);
        var bits = p.AsInt32() + Vector256.ShiftLeft(Vector256.ConvertToInt32(n), 23);
        var y = bits.AsSingle();
        y = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Lowest)), Vector256<float>.Zero, y);
        y = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(Overflow)), Vector256.Create(float.PositiveInfinity), y);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        var xc = Vector128.MinNative(Vector128.MaxNative(x, Vector128.Create(Lowest)), Vector128.Create(Clamp));
        var n = Vector128.Round(xc * Vector128.Create(Log2E));
        var r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-Ln2Hi), xc);
        r = Vector128.MultiplyAddEstimate(n, Vector128.Create(-Ln2Lo), r);
        var p = Vector128.MultiplyAddEstimate(Vector128.Create(C6), r, Vector128.Create(C5));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(C4));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(C3));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128.Create(C2));
        p = Vector128.MultiplyAddEstimate(p, r, Vector128<float>.One);
        p = Vector128.MultiplyAddEstimate(p, r, Vector128<float>.One);
        var bits = p.AsInt32() + Vector128.ShiftLeft(Vector128.ConvertToInt32(n), 23);
        var y = bits.AsSingle();
        y = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(Lowest)), Vector128<float>.Zero, y);
        y = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(Overflow)), Vector128.Create(float.PositiveInfinity), y);
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), y, x);
    }
}
