using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Kernels.Threading;
using Xunit;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// The elementwise kernels (kernels/Cpu/Elementwise) against scalar references: every length up to three 512-bit
/// vectors + 1 on misaligned slices, in place and out of place, operands with NaN, ±Inf and ±0, and the threaded
/// driver against the single-threaded loop. Run also with DOTNET_EnableAVX512=0 and DOTNET_EnableAVX2=0.
/// </summary>
public class ElementwiseFastKernelTests
{
    private const int MaxLength = 3 * 16 + 1;

    private static readonly float[] FloatSpecials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-40f, -1e-40f];

    private static float[] Floats(Random rng, int n, bool specials = true)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 20 - 10);
        if (specials)
            for (int i = 0; i < n; i += 5) x[i] = FloatSpecials[i / 5 % FloatSpecials.Length];
        return x;
    }

    private static double[] Doubles(Random rng, int n)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.NextDouble() * 20 - 10;
        for (int i = 0; i < n; i += 5) x[i] = FloatSpecials[i / 5 % FloatSpecials.Length];
        return x;
    }

    /// <summary>Bitwise equality, NaN equal to any NaN.</summary>
    private static void Same<T>(T expected, T actual, string what) where T : IFloatingPointIeee754<T>
    {
        bool ok = T.IsNaN(expected) ? T.IsNaN(actual) : expected.Equals(actual) && T.IsNegative(expected) == T.IsNegative(actual);
        Assert.True(ok, $"{what}: got {actual}, want {expected}");
    }

    public static TheoryData<string> ExactUnaryNames() => ["Relu", "LeakyRelu", "Clip", "ClipInverted", "HardSigmoid", "HardSwish", "Sqrt"];

    /// <summary>The activations with exact formulas: bit-identical to the ONNX scalar formula evaluated in float.</summary>
    [Theory]
    [MemberData(nameof(ExactUnaryNames))]
    public void ExactActivationsMatchTheScalarFormula(string name)
    {
        var (run, reference) = name switch
        {
            "Relu" => (Map(new ReluOperator()), (Func<float, float>)(x => x < 0 ? 0 : x)),
            "LeakyRelu" => (Map(new LeakyReluOperator(0.1f)), x => x < 0 ? 0.1f * x : x),
            "Clip" => (Map(new ClipOperator(-2, 3)), x => Clip(x, -2, 3)),
            "ClipInverted" => (Map(new ClipOperator(3, -2)), x => Clip(x, 3, -2)),
            "HardSigmoid" => (Map(new HardSigmoidOperator(0.3f, 0.4f)), x => Clip(0.3f * x + 0.4f, 0, 1)),
            "HardSwish" => (Map(new HardSwishOperator()), x => x * Clip(x / 6 + 0.5f, 0, 1)),
            "Sqrt" => (Map(new SqrtOperator()), MathF.Sqrt),
            _ => throw new ArgumentException(name),
        };
        SweepUnary(name, run, reference, exact: true);
    }

    private static float Clip(float x, float lo, float hi)
    {
        if (x < lo) x = lo;
        if (x > hi) x = hi;
        return x;
    }

    private delegate void SpanMap(ReadOnlySpan<float> x, Span<float> y);

    private static SpanMap Map<TOp>(TOp op) where TOp : struct, IUnaryOperator => (x, y) => UnaryKernel.Map(x, y, op);

    [Fact]
    public void MishAndSwishMatchDoubleReferences()
    {
        static double Softplus(double x) => Math.Max(x, 0) + NativeInfer.Tests.Kernels.VectorMathReference.Log1P(Math.Exp(-Math.Abs(x)));
        static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
        SweepUnary("Mish", Map(new MishOperator()), x => (float)(x * Math.Tanh(Softplus(x))), exact: false);
        SweepUnary("Swish", Map(new SwishOperator(0.7f)), x => (float)(x * Sigmoid(0.7f * x)), exact: false);
        // Dense check of the relative error where Mish switches form and in its negative tail.
        var xs = new float[4001];
        for (int i = 0; i < xs.Length; i++) xs[i] = -60 + i * 0.02f;
        var ys = new float[xs.Length];
        UnaryKernel.Map(xs, ys, new MishOperator());
        for (int i = 0; i < xs.Length; i++)
        {
            double r = xs[i] * Math.Tanh(Softplus(xs[i]));
            Assert.True(Math.Abs(ys[i] - r) <= 4e-7 * Math.Abs(r) + 1e-44, $"Mish({xs[i]}) = {ys[i]}, want {r}");
        }
    }

    private static void SweepUnary(string name, SpanMap run, Func<float, float> reference, bool exact)
    {
        var rng = new Random(name.Length);
        var source = Floats(rng, MaxLength + 3);
        for (int n = 0; n <= MaxLength; n++)
            for (int offset = 0; offset < 3; offset++)
            {
                var x = source.AsSpan(offset, n);
                var y = new float[n + 2];
                y[0] = y[^1] = 42;
                run(x, y.AsSpan(1, n));
                Assert.Equal(42, y[0]);
                Assert.Equal(42, y[^1]);
                var inPlace = x.ToArray();
                run(inPlace, inPlace);
                for (int i = 0; i < n; i++)
                {
                    float want = reference(x[i]);
                    string what = $"{name}({x[i]}) n={n} offset={offset} [{i}]";
                    if (exact) Same(want, y[i + 1], what);
                    else Assert.True(float.IsNaN(want) ? float.IsNaN(y[i + 1]) : Math.Abs(y[i + 1] - want) <= 1e-6 * Math.Abs(want) + 1e-37 || y[i + 1] == want, what + $" = {y[i + 1]}, want {want}");
                    Same(y[i + 1], inPlace[i], what + " in place");
                }
            }
    }

    public static TheoryData<string> BinaryNames() => ["Add", "Sub", "Mul", "Div", "Max", "Min", "PRelu"];

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void FloatBinaryLoopsMatchTheScalarFormula(string name)
    {
        switch (name)
        {
            case "Add": SweepBinary<float, AddOperator<float>>(name, (a, b) => a + b); break;
            case "Sub": SweepBinary<float, SubtractOperator<float>>(name, (a, b) => a - b); break;
            case "Mul": SweepBinary<float, MultiplyOperator<float>>(name, (a, b) => a * b); break;
            case "Div": SweepBinary<float, DivideOperator<float>>(name, (a, b) => a / b); break;
            case "Max": SweepBinary<float, MaxOperator<float>>(name, MathF.Max); break;
            case "Min": SweepBinary<float, MinOperator<float>>(name, MathF.Min); break;
            case "PRelu": SweepBinary<float, PReluOperator<float>>(name, (a, b) => float.IsNegative(a) ? a * b : a); break;
        }
    }

    [Theory]
    [MemberData(nameof(BinaryNames))]
    public void DoubleBinaryLoopsMatchTheScalarFormula(string name)
    {
        switch (name)
        {
            case "Add": SweepBinary<double, AddOperator<double>>(name, (a, b) => a + b); break;
            case "Sub": SweepBinary<double, SubtractOperator<double>>(name, (a, b) => a - b); break;
            case "Mul": SweepBinary<double, MultiplyOperator<double>>(name, (a, b) => a * b); break;
            case "Div": SweepBinary<double, DivideOperator<double>>(name, (a, b) => a / b); break;
            case "Max": SweepBinary<double, MaxOperator<double>>(name, Math.Max); break;
            case "Min": SweepBinary<double, MinOperator<double>>(name, Math.Min); break;
            case "PRelu": SweepBinary<double, PReluOperator<double>>(name, (a, b) => double.IsNegative(a) ? a * b : a); break;
        }
    }

    private static T[] Values<T>(Random rng, int n) where T : IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? (T[])(object)Floats(rng, n) : (T[])(object)Doubles(rng, n);

    private static void SweepBinary<T, TOp>(string name, Func<T, T, T> reference)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IBinaryOperator<T>
    {
        var rng = new Random(name.Length * 31);
        var op = default(TOp);
        var sa = Values<T>(rng, MaxLength + 3);
        var sb = Values<T>(rng, MaxLength + 3);
        // Every special value meets every other in the scalar-broadcast checks below.
        T[] scalars = [.. Values<T>(rng, 2), .. FloatSpecials.Select(v => T.CreateTruncating(v))];
        for (int n = 0; n <= MaxLength; n++)
            for (int offset = 0; offset < 3; offset++)
            {
                var a = sa.AsSpan(offset, n);
                var b = sb.AsSpan(2 - offset, n);
                var r = new T[n];
                BinaryKernel.Map<T, TOp>(a, b, r, op);
                for (int i = 0; i < n; i++) Same(reference(a[i], b[i]), r[i], $"{name}({a[i]}, {b[i]}) n={n}");
                var inA = a.ToArray();
                BinaryKernel.Map<T, TOp>(inA, b, inA, op);
                var inB = b.ToArray();
                BinaryKernel.Map<T, TOp>(a, inB, inB, op);
                for (int i = 0; i < n; i++)
                {
                    Same(r[i], inA[i], $"{name} in place into a, n={n}");
                    Same(r[i], inB[i], $"{name} in place into b, n={n}");
                }
                foreach (var s in scalars)
                {
                    BinaryKernel.MapScalarRight<T, TOp>(a, s, r, op);
                    for (int i = 0; i < n; i++) Same(reference(a[i], s), r[i], $"{name}({a[i]}, scalar {s}) n={n}");
                    BinaryKernel.MapScalarLeft<T, TOp>(s, b, r, op);
                    for (int i = 0; i < n; i++) Same(reference(s, b[i]), r[i], $"{name}(scalar {s}, {b[i]}) n={n}");
                }
            }
    }

    [Fact]
    public void PartialOverlapIsRefused()
    {
        var buffer = new float[64];
        Assert.Throws<ArgumentException>(() =>
            BinaryKernel.Map(buffer.AsSpan(0, 32), buffer.AsSpan(32, 32), buffer.AsSpan(8, 32), default(AddOperator<float>)));
        Assert.Throws<ArgumentException>(() =>
            BinaryKernel.Map(buffer.AsSpan(0, 32), buffer.AsSpan(0, 31), buffer.AsSpan(32, 32), default(AddOperator<float>)));
        Assert.Throws<ArgumentException>(() => UnaryKernel.Map(buffer.AsSpan(0, 32), buffer.AsSpan(4, 32), new ReluOperator()));
    }

    [Fact]
    public unsafe void ThreadedDriverMatchesOneThread()
    {
        var rng = new Random(5);
        int n = 5 * ElementwiseParallel.MinChunkElements + 13;
        var a = Floats(rng, n);
        var b = Floats(rng, n);
        var one = new float[n];
        var many = new float[n];
        Assert.True(ElementwiseParallel.ChunkCount(n) == 1 || KernelParallelism.MaxDegree > 1);
        using (KernelParallelism.Push(4))
        {
            Assert.True(ElementwiseParallel.ChunkCount(n) > 1);
            fixed (float* pa = a, pb = b, pm = many)
            {
                ElementwiseParallel.Binary(pa, pb, pm, n, default(AddOperator<float>));
                for (int i = 0; i < n; i++) Same(a[i] + b[i], many[i], $"Binary [{i}]");
                ElementwiseParallel.BinaryScalarRight(pa, 2.5f, pm, n, default(SubtractOperator<float>));
                for (int i = 0; i < n; i++) Same(a[i] - 2.5f, many[i], $"ScalarRight [{i}]");
                ElementwiseParallel.BinaryScalarLeft(2.5f, pb, pm, n, default(DivideOperator<float>));
                for (int i = 0; i < n; i++) Same(2.5f / b[i], many[i], $"ScalarLeft [{i}]");
                ElementwiseParallel.Unary(pa, pm, n, default(VectorMath.TanhOperator));
            }
        }
        using (KernelParallelism.Push(1)) VectorMath.Tanh(a, one);
        for (int i = 0; i < n; i++) Same(one[i], many[i], $"Unary [{i}]");
        // Chunks tile [0, n) exactly and start on 16-element boundaries.
        for (int chunks = 1; chunks <= 9; chunks++)
        {
            int next = 0;
            for (int c = 0; c < chunks; c++)
            {
                var (s, len) = ElementwiseParallel.ChunkRange(c, chunks, n);
                Assert.Equal(next, s);
                Assert.Equal(0, s % 16 == 0 || len == 0 ? 0 : 1);
                next = s + len;
            }
            Assert.Equal(n, next);
        }
    }
}
