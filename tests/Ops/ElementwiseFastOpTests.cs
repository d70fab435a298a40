using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// The float/double SIMD paths of the elementwise ops, run through a session, against references computed here element
/// by element: every broadcast form (equal shapes, scalar either side, per-channel [C,1,1] and [1,C,1,1], inner-dim and
/// mixed broadcasts, empty), sizes large enough to be split across threads, misaligned input memory, and the variadic
/// ops. Exact ops must match bit for bit.
/// </summary>
public class ElementwiseFastOpTests
{
    public static readonly int[][][] ShapePairs =
    [
        [[2, 3, 4, 5], [2, 3, 4, 5]],
        [[2, 3, 4, 5], []],
        [[], [2, 3, 4, 5]],
        [[2, 3, 4, 5], [1]],
        [[2, 3, 4, 5], [3, 1, 1]],
        [[2, 3, 4, 5], [1, 3, 1, 1]],
        [[1, 3, 1, 1], [2, 3, 4, 5]],
        [[2, 3, 4, 5], [5]],
        [[2, 1, 4, 1], [1, 3, 1, 5]],
        [[2, 3, 1], [1, 3, 17]],
        [[3, 1], [1, 33]],
        [[4, 0], [1, 1]],
        [[2, 64, 24, 24], [64, 1, 1]],        // 73728 elements: threaded rows
        [[2, 64, 24, 24], [2, 64, 24, 24]],   // threaded flat loop
        [[2, 64, 24, 24], []],
        [[2, 64, 24, 24], [1, 1, 24, 24]],
    ];

    public static TheoryData<string, string> OpsAndTypes()
    {
        var data = new TheoryData<string, string>();
        foreach (var op in new[] { "Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Mean" })
            foreach (var type in new[] { "float", "double" })
                data.Add(op, type);
        return data;
    }

    private static Tensor Random(string type, int[] shape, Random rng, bool misaligned)
    {
        int n = ShapeUtil.ElementCount(shape);
        int skip = misaligned ? 1 : 0;
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = Math.Round(rng.NextDouble() * 16 - 8, 3);
        for (int i = 3; i < n; i += 97) values[i] = i % 2 == 0 ? double.NaN : -0.0;
        if (type == "float")
        {
            var data = new float[n + skip];
            for (int i = 0; i < n; i++) data[i + skip] = (float)values[i];
            return new Tensor<float>(data.AsMemory(skip, n), shape);
        }
        var d = new double[n + skip];
        values.CopyTo(d, skip);
        return new Tensor<double>(d.AsMemory(skip, n), shape);
    }

    private static double Apply(string op, double a, double b, bool isFloat)
    {
        double r = op switch
        {
            "Add" or "Sum" or "Mean" => isFloat ? (float)a + (float)b : a + b,
            "Sub" => isFloat ? (float)a - (float)b : a - b,
            "Mul" => isFloat ? (float)a * (float)b : a * b,
            "Div" => isFloat ? (float)a / (float)b : a / b,
            "Max" => Math.Max(a, b),
            "Min" => Math.Min(a, b),
            "PRelu" => double.IsNegative(a) ? (isFloat ? (float)a * (float)b : a * b) : a,
            _ => throw new ArgumentException(op),
        };
        return isFloat ? (float)r : r;
    }

    /// <summary>Element i of the broadcast output read from operand t (numpy broadcasting, aligned right).</summary>
    private static double At(Tensor t, int[] outShape, int index)
    {
        int offset = 0, stride = 1;
        for (int d = outShape.Length - 1; d >= 0; d--)
        {
            int coord = index % outShape[d];
            index /= outShape[d];
            int td = d - (outShape.Length - t.Rank);
            if (td < 0) continue;
            if (t.Shape[td] != 1) offset += coord * stride;
            stride *= t.Shape[td];
        }
        return t.GetDouble(offset);
    }

    private static void AssertSame(double expected, double actual, string what)
    {
        bool ok = double.IsNaN(expected) ? double.IsNaN(actual)
            : expected.Equals(actual) && double.IsNegative(expected) == double.IsNegative(actual);
        Assert.True(ok, $"{what}: got {actual:R}, want {expected:R}");
    }

    [Theory]
    [MemberData(nameof(OpsAndTypes))]
    public void BinaryBroadcastsMatchElementByElement(string op, string type)
    {
        var rng = new Random(op.Length * 7 + type.Length);
        bool variadic = op is "Sum" or "Mean" or "Max" or "Min";
        foreach (var pair in ShapePairs)
        {
            var a = Random(type, pair[0], rng, misaligned: true);
            var b = Random(type, pair[1], rng, misaligned: false);
            var y = Run1(op, 13, [a, b]);
            var shape = ShapeUtil.Broadcast(a.Shape, b.Shape);
            Assert.Equal(shape, y.Shape);
            Assert.Equal(type == "float" ? DataType.Float : DataType.Double, y.DataType);
            for (int i = 0; i < y.Length; i++)
            {
                double want = Apply(op, At(a, shape, i), At(b, shape, i), type == "float");
                if (op == "Mean") want = type == "float" ? (float)want / 2f : want / 2;
                AssertSame(want, y.GetDouble(i), $"{op} {type} {ShapeUtil.Format(a.Shape)} {ShapeUtil.Format(b.Shape)} [{i}]");
            }
            if (!variadic) continue;
            // Three inputs: ((a + b) + c) folded left to right.
            var c = Random(type, pair[0], rng, misaligned: false);
            var y3 = Run1(op, 13, [a, b, c]);
            for (int i = 0; i < y3.Length; i++)
            {
                bool f = type == "float";
                double want = Apply(op, Apply(op, At(a, shape, i), At(b, shape, i), f), At(c, shape, i), f);
                if (op == "Mean") want = f ? (float)want / 3f : want / 3;
                AssertSame(want, y3.GetDouble(i), $"{op}(a, b, c) {type} [{i}]");
            }
        }
    }

    [Theory]
    [InlineData("float")]
    [InlineData("double")]
    public void PReluBroadcastsItsSlopePerChannel(string type)
    {
        var rng = new Random(3);
        foreach (var slopeShape in new[] { new[] { 3, 1, 1 }, new[] { 1 }, new[] { 2, 3, 4, 5 }, new[] { 5 } })
        {
            var x = Random(type, [2, 3, 4, 5], rng, misaligned: true);
            var slope = Random(type, slopeShape, rng, misaligned: false);
            var y = Run1("PRelu", 16, [x, slope]);
            for (int i = 0; i < y.Length; i++)
                AssertSame(Apply("PRelu", x.GetDouble(i), At(slope, x.Shape, i), type == "float"), y.GetDouble(i), $"PRelu [{i}]");
        }
    }

    [Fact]
    public void PowByTwoIsTheSquare()
    {
        var x = (Tensor<float>)Random("float", [3, 40], new Random(1), misaligned: true);
        var y = Run1("Pow", 15, [x, new Tensor<long>(new long[] { 2 }, [1, 1, 1])]);
        Assert.Equal([1, 3, 40], y.Shape);
        for (int i = 0; i < x.Length; i++)
            AssertSame((float)Math.Pow(x[i], 2), y.GetDouble(i), $"Pow [{i}]");
    }

    private static readonly float[] UnaryInputs = BuildUnaryInputs();

    private static float[] BuildUnaryInputs()
    {
        var rng = new Random(9);
        var x = new float[70001];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 24 - 12);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-40f, -90f, 90f];
        for (int i = 0; i < specials.Length; i++) x[i * 13] = specials[i];
        return x;
    }

    /// <summary>
    /// Relative tolerance: 1e-6, except GeluTanh's tail, which is sigmoid of the rounded cubic 2y: the argument's relative
    /// rounding (up to ~3 ulp, 4e-7) becomes |2y|·4e-7 in the result (see VectorMathTests).
    /// </summary>
    private static double Relative(string name, float x) =>
        name == "GeluTanh" && float.IsFinite(x) ? 1e-6 + 4e-7 * Math.Abs(1.5957691216 * (x + 0.044715 * x * x * x)) : 1e-6;

    private sealed record UnaryCase(
        string Op, int Opset, object?[] Extra, NativeInfer.Onnx.Proto.AttributeProto[] Attrs, Func<float, double> Reference, bool Exact);

    public static TheoryData<string> UnaryNames() =>
    [
        "Relu", "LeakyRelu", "HardSigmoid", "HardSwish", "Sqrt", "Clip6", "Clip13", "Clip13Min", "Sigmoid", "Tanh", "Exp",
        "Log", "Erf", "Gelu", "GeluTanh", "Softplus", "Mish", "Swish",
    ];

    /// <summary>
    /// Unary ops on float through the session (the threaded path: 70001 elements; and small tensors of every tail
    /// length) against a double reference: exact formulas to the bit, transcendental ones within 1e-6 relative (their
    /// kernels are a few ulp; VectorMathTests bound them tightly).
    /// </summary>
    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void UnaryOpsMatchTheirFormula(string name)
    {
        static double Sig(double v) => v >= 0 ? 1 / (1 + Math.Exp(-v)) : Math.Exp(v) / (1 + Math.Exp(v));
        static double Softplus(double v) => Math.Max(v, 0) + NativeInfer.Tests.Kernels.VectorMathReference.Log1P(Math.Exp(-Math.Abs(v)));
        static float ClipF(float v, float lo, float hi) => v < lo ? lo : v > hi ? hi : v;
        var (op, opset, extra, attrs, reference, exact) = name switch
        {
            "Relu" => new UnaryCase("Relu", 14, [], [], (v => v < 0 ? 0f : v), true),
            "LeakyRelu" => new UnaryCase("LeakyRelu", 16, [], [Attr.Float("alpha", 0.2f)], v => v < 0 ? 0.2f * v : v, true),
            "HardSigmoid" => new UnaryCase("HardSigmoid", 6, [], [Attr.Float("alpha", 0.3f), Attr.Float("beta", 0.6f)], v => ClipF(0.3f * v + 0.6f, 0, 1), true),
            "HardSwish" => new UnaryCase("HardSwish", 14, [], [], v => v * ClipF(v / 6 + 0.5f, 0, 1), true),
            "Sqrt" => new UnaryCase("Sqrt", 13, [], [], v => MathF.Sqrt(v), true),
            "Clip6" => new UnaryCase("Clip", 6, [], [Attr.Float("min", -1.5f), Attr.Float("max", 2.5f)], v => ClipF(v, -1.5f, 2.5f), true),
            "Clip13" => new UnaryCase("Clip", 13, [Tensor<float>.Scalar(-1.5f), Tensor<float>.Scalar(2.5f)], [], v => ClipF(v, -1.5f, 2.5f), true),
            "Clip13Min" => new UnaryCase("Clip", 13, [Tensor<float>.Scalar(0.5f)], [], v => v < 0.5f ? 0.5f : v, true),
            "Sigmoid" => new UnaryCase("Sigmoid", 13, [], [], v => Sig(v), false),
            "Tanh" => new UnaryCase("Tanh", 13, [], [], v => Math.Tanh(v), false),
            "Exp" => new UnaryCase("Exp", 13, [], [], v => Math.Exp(v), false),
            "Log" => new UnaryCase("Log", 13, [], [], v => Math.Log(v), false),
            "Erf" => new UnaryCase("Erf", 13, [], [], v => NativeInfer.Tests.Kernels.VectorMathReference.Erf(v), false),
            "Gelu" => new UnaryCase("Gelu", 20, [], [], v => NativeInfer.Tests.Kernels.VectorMathReference.Gelu(v), false),
            "GeluTanh" => new UnaryCase("Gelu", 20, [], [Attr.Str("approximate", "tanh")], v => NativeInfer.Tests.Kernels.VectorMathReference.GeluTanh(v), false),
            "Softplus" => new UnaryCase("Softplus", 1, [], [], v => Softplus(v), false),
            "Mish" => new UnaryCase("Mish", 18, [], [], v => float.IsNegativeInfinity(v) ? double.NaN : v * Math.Tanh(Softplus(v)), false),
            "Swish" => new UnaryCase("Swish", 24, [], [Attr.Float("alpha", 0.5f)], v => float.IsNegativeInfinity(v) ? double.NaN : v * Sig(0.5f * v), false),
            _ => throw new ArgumentException(name),
        };
        foreach (int n in new[] { UnaryInputs.Length, 0, 1, 3, 4, 5, 8, 15, 16, 17, 33, 49 })
        {
            var data = new float[n + 1];
            Array.Copy(UnaryInputs, 0, data, 1, n);
            var x = new Tensor<float>(data.AsMemory(1, n), [n]);
            var y = Run1(op, opset, [x, .. extra], attrs).As<float>();
            Assert.Equal([n], y.Shape);
            for (int i = 0; i < n; i++)
            {
                double want = reference(x[i]);
                string what = $"{name}({x[i]:R}) [{i}] of {n}";
                if (exact) AssertSame((float)want, y[i], what);
                else if (double.IsNaN(want)) Assert.True(float.IsNaN(y[i]), what);
                else Assert.True(y[i] == (float)want || Math.Abs(y[i] - want) <= Relative(name, x[i]) * Math.Abs(want) + 1e-37,
                    $"{what} = {y[i]:R}, want {want:R}");
            }
        }
    }
}
