using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Cpu;
using Xunit;
using Xunit.Abstractions;
using R = NativeInfer.Tests.Kernels.VectorMathReference;

namespace NativeInfer.Tests.Kernels;

/// <summary>
/// VectorMath against double references: the maximum ulp error over swept ranges (every 4096th float of each sign, so
/// extremes and subnormals included, plus dense sweeps where the algorithms switch branches), at every SIMD width this
/// machine accelerates (Vector128 always: it is the portable floor), special values, and the span driver against the
/// per-value form over every length up to 3 vectors + 1 on misaligned slices, in place and out of place.
/// </summary>
public class VectorMathTests(ITestOutputHelper output)
{
    /// <param name="MaxUlp">Allowed ulp error at x.</param>
    /// <param name="TimesX">
    /// True for the x·f(x) activations: where f(x) is subnormal it has fewer significant bits, so they may also be off
    /// by two subnormal steps of f times |x| (an absolute error below 1e-42 in |x|·f(x)).
    /// </param>
    public sealed record Function(
        string Name, Func<double, double> MaxUlp, bool TimesX, Func<double, double> Reference,
        Func<Vector512<float>, Vector512<float>> V512, Func<Vector256<float>, Vector256<float>> V256,
        Func<Vector128<float>, Vector128<float>> V128, Func<float, float> Scalar, SpanAction Span)
    {
        public override string ToString() => Name;
    }

    public delegate void SpanAction(ReadOnlySpan<float> x, Span<float> y);

    // Bounds: the measured maximum (with and without FMA) rounded up, so a regression of an ulp or two fails. Gelu's
    // negative tail multiplies three rounded factors (x, e^(-x²/2), R) and the transform inside R. GeluTanh's tail is
    // sigmoid(2y) of a rounded cubic 2y: its relative rounding error (~2 ulp) grows by |2y| through the exponential, so
    // its bound grows with |2y| (the numpy float32 reference ONNX uses has the same property).
    public static readonly Function[] Functions =
    [
        new("Exp", _ => 2, false, R.Exp, VectorMath.Exp, VectorMath.Exp, VectorMath.Exp, VectorMath.Exp, VectorMath.Exp),
        new("Log", _ => 2, false, R.Log, VectorMath.Log, VectorMath.Log, VectorMath.Log, VectorMath.Log, VectorMath.Log),
        new("Tanh", _ => 3, false, R.Tanh, VectorMath.Tanh, VectorMath.Tanh, VectorMath.Tanh, VectorMath.Tanh, VectorMath.Tanh),
        new("Sigmoid", _ => 3, false, R.Sigmoid, VectorMath.Sigmoid, VectorMath.Sigmoid, VectorMath.Sigmoid, VectorMath.Sigmoid, VectorMath.Sigmoid),
        new("Silu", _ => 4, true, R.Silu, VectorMath.Silu, VectorMath.Silu, VectorMath.Silu, VectorMath.Silu, VectorMath.Silu),
        new("Softplus", _ => 3, false, R.Softplus, VectorMath.Softplus, VectorMath.Softplus, VectorMath.Softplus, VectorMath.Softplus, VectorMath.Softplus),
        new("Erf", _ => 3, false, R.Erf, VectorMath.Erf, VectorMath.Erf, VectorMath.Erf, VectorMath.Erf, VectorMath.Erf),
        new("Gelu", _ => 8, true, R.Gelu, VectorMath.Gelu, VectorMath.Gelu, VectorMath.Gelu, VectorMath.Gelu, VectorMath.Gelu),
        new("GeluTanh", x => 4 + 3 * (double.IsFinite(x) ? Math.Abs(TwoY(x)) : 0), true, R.GeluTanh, VectorMath.GeluTanh, VectorMath.GeluTanh, VectorMath.GeluTanh, VectorMath.GeluTanh, VectorMath.GeluTanh),
    ];

    private static double TwoY(double x) => 2 * Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);

    private static bool Within(Function f, float x, float actual, double reference) =>
        R.UlpError(actual, reference) <= f.MaxUlp(x)
        || f.TimesX && float.IsFinite(actual) && Math.Abs(actual - reference) <= Math.Abs((double)x) * Math.ScaleB(1.0, -148);

    public static TheoryData<Function, int> FunctionsAndWidths()
    {
        var data = new TheoryData<Function, int>();
        foreach (var f in Functions)
            foreach (int w in new[] { 512, 256, 128 })
                data.Add(f, w);
        return data;
    }

    public static TheoryData<Function> AllFunctions()
    {
        var data = new TheoryData<Function>();
        foreach (var f in Functions) data.Add(f);
        return data;
    }

    /// <summary>Every 4096th float of each sign, then dense steps across [-20, 20] and [-1, 1].</summary>
    private static float[] SweepInputs()
    {
        var xs = new List<float>();
        for (uint bits = 0; bits < 0x7F800000u; bits += 4096)
        {
            float v = BitConverter.UInt32BitsToSingle(bits);
            xs.Add(v);
            xs.Add(-v);
        }
        for (int i = -20 * 2048; i <= 20 * 2048; i++) xs.Add(i / 2048f);
        for (int i = -65536; i <= 65536; i++) xs.Add(i / 65536f);
        return xs.ToArray();
    }

    private static readonly Lazy<float[]> s_inputs = new(SweepInputs);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double[]> s_references = new();

    /// <summary>The reference over the sweep, computed once per function for all widths.</summary>
    private static double[] References(Function f) => s_references.GetOrAdd(f.Name, _ =>
    {
        var x = s_inputs.Value;
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++) r[i] = f.Reference(x[i]);
        return r;
    });

    /// <summary>Applies the function at one width (whole vectors; the input is padded with zeros).</summary>
    private static float[] Apply(Function f, int width, float[] x)
    {
        int lanes = width / 32;
        var padded = new float[(x.Length + lanes - 1) / lanes * lanes];
        x.CopyTo(padded, 0);
        var y = new float[padded.Length];
        for (int i = 0; i < padded.Length; i += lanes)
        {
            switch (width)
            {
                case 512: f.V512(Vector512.Create(padded.AsSpan(i, lanes))).CopyTo(y.AsSpan(i)); break;
                case 256: f.V256(Vector256.Create(padded.AsSpan(i, lanes))).CopyTo(y.AsSpan(i)); break;
                default: f.V128(Vector128.Create(padded.AsSpan(i, lanes))).CopyTo(y.AsSpan(i)); break;
            }
        }
        return y[..x.Length];
    }

    private static bool Accelerated(int width) => width switch
    {
        512 => Vector512.IsHardwareAccelerated,
        256 => Vector256.IsHardwareAccelerated,
        _ => true,
    };

    [Theory]
    [MemberData(nameof(FunctionsAndWidths))]
    public void MaxUlpErrorOverSweptRanges(Function f, int width)
    {
        if (!Accelerated(width)) return; // this width never runs here; the CI legs with SIMD switched off cover the rest
        var x = s_inputs.Value;
        var y = Apply(f, width, x);
        var references = References(f);
        double worst = 0, worstRatio = 0;
        float worstX = 0;
        int failures = 0;
        string firstFailure = "";
        for (int i = 0; i < x.Length; i++)
        {
            double reference = references[i];
            double e = R.UlpError(y[i], reference);
            if (!Within(f, x[i], y[i], reference) && failures++ == 0)
                firstFailure = $"x = {x[i]:R}: got {y[i]:R}, want {reference:R} ({e:F2} ulp, bound {f.MaxUlp(x[i]):F2})";
            if (e > worst && !(f.TimesX && Math.Abs(reference) < 1e-37)) { worst = e; worstX = x[i]; }
            if (e <= f.MaxUlp(x[i]) || !Within(f, x[i], y[i], reference)) worstRatio = Math.Max(worstRatio, e / f.MaxUlp(x[i]));
        }
        output.WriteLine($"{f.Name} at {width} bits: max {worst:F2} ulp at x = {worstX:R} (normal results); " +
                         $"max error / bound {worstRatio:F2} (beyond the subnormal-factor allowance)");
        Assert.True(failures == 0, $"{f.Name} at {width} bits: {failures} values out of bounds, first {firstFailure}.");
    }

    public static readonly float[] Specials =
    [
        float.NaN, -float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.Epsilon, -float.Epsilon,
        1.17549435e-38f, -1.17549435e-38f, float.MaxValue, float.MinValue, 1f, -1f, 88.72f, 88.73f, 89f, 100f, -87.33f,
        -103.9f, -104f, -110f, 0.39999f, 0.4f, 0.9f, -0.9f, 0.89999f, 4f, 10.5f, 14.8f, -14.8f, 20f, -20f, 1e-30f, -1e-30f,
    ];

    [Theory]
    [MemberData(nameof(AllFunctions))]
    public void SpecialValuesMatchTheReference(Function f)
    {
        foreach (int width in new[] { 512, 256, 128 })
        {
            if (!Accelerated(width)) continue;
            var y = Apply(f, width, Specials);
            for (int i = 0; i < Specials.Length; i++)
            {
                double reference = f.Reference(Specials[i]);
                double e = R.UlpError(y[i], reference);
                Assert.True(Within(f, Specials[i], y[i], reference),
                    $"{f.Name}({Specials[i]:R}) at {width} bits = {y[i]:R}, want {reference:R} ({e} ulp).");
            }
        }
    }

    [Fact]
    public void ExactValuesAndSignsOfZero()
    {
        Assert.Equal(1f, VectorMath.Exp(0f));
        Assert.Equal(0f, VectorMath.Exp(float.NegativeInfinity));
        Assert.Equal(float.PositiveInfinity, VectorMath.Exp(89f));
        Assert.Equal(float.Epsilon, VectorMath.Exp(-103.5f));   // e^-103.5 = 1.48 * 2^-149 rounds to the smallest subnormal
        Assert.Equal(0f, VectorMath.Log(1f));
        Assert.Equal(float.NegativeInfinity, VectorMath.Log(0f));
        Assert.Equal(float.NegativeInfinity, VectorMath.Log(-0f));
        Assert.True(float.IsNaN(VectorMath.Log(-1f)));
        Assert.Equal(-103.27893f, VectorMath.Log(float.Epsilon), 3);
        Assert.True(float.IsNegative(VectorMath.Tanh(-0f)) && VectorMath.Tanh(-0f) == 0);
        Assert.True(float.IsNegative(VectorMath.Erf(-0f)) && VectorMath.Erf(-0f) == 0);
        Assert.Equal(1f, VectorMath.Tanh(float.PositiveInfinity));
        Assert.Equal(-1f, VectorMath.Erf(float.NegativeInfinity));
        Assert.Equal(0.5f, VectorMath.Sigmoid(0f));
        Assert.Equal(1f, VectorMath.Sigmoid(float.PositiveInfinity));
        Assert.Equal(0f, VectorMath.Sigmoid(float.NegativeInfinity));
        Assert.Equal(float.PositiveInfinity, VectorMath.Softplus(float.PositiveInfinity));
        Assert.Equal(0f, VectorMath.Softplus(float.NegativeInfinity));
        Assert.Equal(float.PositiveInfinity, VectorMath.Gelu(float.PositiveInfinity));
        Assert.Equal(0f, VectorMath.Gelu(float.NegativeInfinity));
        Assert.Equal(0f, VectorMath.GeluTanh(float.NegativeInfinity));
        Assert.Equal(0f, VectorMath.Silu(float.NegativeInfinity));
        foreach (var f in Functions) Assert.True(float.IsNaN(f.Scalar(float.NaN)), $"{f.Name}(NaN)");
    }

    [Theory]
    [MemberData(nameof(AllFunctions))]
    public void SpanFormMatchesPerValueFormAtEveryLengthAndOffset(Function f)
    {
        var rng = new Random(17);
        const int maxLength = 3 * 16 + 1;
        var source = new float[maxLength + 8];
        for (int i = 0; i < source.Length; i++) source[i] = (float)(rng.NextDouble() * 24 - 12);
        source[3] = float.NaN;
        source[10] = float.NegativeInfinity;
        for (int length = 0; length <= maxLength; length++)
            for (int offset = 0; offset < 3; offset++)
            {
                var x = source.AsSpan(offset, length);
                var expected = new float[length];
                for (int i = 0; i < length; i++) expected[i] = f.Scalar(x[i]);
                var y = new float[length + 5];
                y.AsSpan().Fill(-7);
                f.Span(x, y.AsSpan(1, length + 3)); // destination longer than the input: only length elements written
                for (int i = 0; i < length; i++)
                    Assert.True(expected[i].Equals(y[i + 1]), $"{f.Name} length {length} offset {offset} [{i}]: {y[i + 1]:R} vs {expected[i]:R}");
                Assert.Equal(-7, y[0]);
                Assert.Equal(-7, y[length + 1]);

                var inPlace = x.ToArray();
                f.Span(inPlace, inPlace);
                for (int i = 0; i < length; i++)
                    Assert.True(expected[i].Equals(inPlace[i]), $"{f.Name} in place length {length} [{i}]");
            }
    }

    [Fact]
    public void PartialOverlapAndShortDestinationThrow()
    {
        var buffer = new float[40];
        Assert.Throws<ArgumentException>(() => VectorMath.Exp(buffer.AsSpan(0, 32), buffer.AsSpan(1, 32)));
        Assert.Throws<ArgumentException>(() => VectorMath.Exp(buffer.AsSpan(0, 32), new float[31]));
        VectorMath.Exp(buffer.AsSpan(0, 16), buffer.AsSpan(16, 16)); // disjoint halves of one array are fine
        Assert.Equal(1f, buffer[20]);
    }
}
