using NativeInfer.Ops.TensorManip;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;
using static NativeInfer.Tests.Support.TestTensors;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// The float32 fast paths of the tensor-ops family (softmax, normalizations, reductions, arg-reductions, LRN,
/// BatchNormalization, Resize, Transpose) against the generic path: the same node runs on float32 data (fast path) and
/// on the same values as float64 (generic path), over swept shapes, axes and attributes, and the outputs must agree
/// within float rounding (|a − e| ≤ 1e-5 + 1e-4·|e|).
/// </summary>
public class FloatFastPathTests
{
    private static (Tensor<float> F, Tensor<double> D) Pair(int[] shape, Random rng, float spread = 6, bool positive = false)
    {
        int n = ShapeUtil.ElementCount(shape);
        var f = new float[n];
        for (int i = 0; i < n; i++) f[i] = positive ? 0.5f + rng.NextSingle() : (rng.NextSingle() - 0.5f) * spread;
        return (new Tensor<float>(f, shape), new Tensor<double>(f.Select(v => (double)v).ToArray(), (int[])shape.Clone()));
    }

    private static void Same(Value? fast, Value? generic, string what, double rtol = 1e-4, double atol = 1e-5)
    {
        var f = Assert.IsAssignableFrom<Tensor>(fast);
        var g = Assert.IsAssignableFrom<Tensor>(generic);
        Assert.Equal(g.Shape, f.Shape);
        if (f.DataType == DataType.Int64)
        {
            Assert.Equal(g.As<long>().ToArray(), f.As<long>().ToArray());
            return;
        }
        Assert.Equal(DataType.Float, f.DataType);
        var a = f.As<float>().Span;
        var e = g.As<double>().Span;
        for (int i = 0; i < e.Length; i++)
        {
            if (double.IsNaN(e[i]) && float.IsNaN(a[i])) continue;
            if (double.IsInfinity(e[i]) && a[i] == e[i]) continue;
            if (!(Math.Abs(a[i] - e[i]) <= atol + rtol * Math.Abs(e[i])))
                Assert.Fail($"{what}: element {i} is {a[i]}, generic path gives {e[i]}.");
        }
    }

    private static readonly int[][] Shapes = [[7], [3, 17], [2, 3, 20], [2, 5, 4, 9], [1, 3, 1, 33], [4, 0, 3]];

    [Theory]
    [InlineData("Softmax", 11)]
    [InlineData("Softmax", 13)]
    [InlineData("LogSoftmax", 11)]
    [InlineData("LogSoftmax", 13)]
    public void SoftmaxFamily(string op, int opset)
    {
        var rng = new Random(opset);
        foreach (var shape in Shapes)
            for (int axis = -shape.Length; axis < shape.Length; axis++)
            {
                var (f, d) = Pair(shape, rng, spread: 30);
                var attr = Attr.Int("axis", axis);
                Same(Run1(op, opset, [f], attr), Run1(op, opset, [d], attr), $"{op}-{opset} [{string.Join(",", shape)}] axis {axis}");
            }
    }

    public static TheoryData<string> Reductions =>
        ["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"];

    [Theory]
    [MemberData(nameof(Reductions))]
    public void ReduceOps(string op)
    {
        var rng = new Random(op.Length);
        bool positive = op is "ReduceProd" or "ReduceLogSum";
        long[][] axesSets = [[], [0], [-1], [1], [0, 2], [1, 2], [0, 1, 2, 3], [1, 3]];
        foreach (var shape in new[] { new[] { 2, 3, 4, 37 }, new[] { 3, 18, 2, 5 }, new[] { 1, 40, 7, 1 }, new[] { 2, 0, 3, 4 } })
            foreach (var axes in axesSets)
                foreach (int keep in new[] { 0, 1 })
                {
                    var (f, d) = Pair(shape, rng, spread: 3, positive: positive);
                    object?[] fi = axes.Length == 0 ? [f] : [f, new Const(L(axes))];
                    object?[] di = axes.Length == 0 ? [d] : [d, new Const(L(axes))];
                    var k = Attr.Int("keepdims", keep);
                    Same(Run1(op, 18, fi, k), Run1(op, 18, di, k), $"{op} [{string.Join(",", shape)}] axes [{string.Join(",", axes)}] keepdims {keep}");
                }
    }

    [Fact]
    public void ReduceSpecialValues()
    {
        var x = F([1, float.NaN, 3, float.NegativeInfinity, 5, 6, float.PositiveInfinity, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17], 17);
        var d = new Tensor<double>(x.ToArray().Select(v => (double)v).ToArray(), [17]);
        foreach (var op in new[] { "ReduceMax", "ReduceMin", "ReduceSum", "ReduceLogSumExp" })
            Same(Run1(op, 18, [x]), Run1(op, 18, [d]), op);
        var inf = F([float.NegativeInfinity, float.NegativeInfinity, float.PositiveInfinity, 1], 4);
        var infD = new Tensor<double>([double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity, 1], [4]);
        Same(Run1("ReduceLogSumExp", 18, [inf]), Run1("ReduceLogSumExp", 18, [infD]), "logsumexp +inf");
    }

    [Theory]
    [InlineData("ArgMax")]
    [InlineData("ArgMin")]
    public void ArgReductions(string op)
    {
        var rng = new Random(op[3]);
        foreach (var shape in new[] { new[] { 40 }, new[] { 3, 21 }, new[] { 2, 5, 19 }, new[] { 2, 17, 3, 11 } })
            for (int axis = -shape.Length; axis < shape.Length; axis++)
                foreach (int last in new[] { 0, 1 })
                {
                    int n = ShapeUtil.ElementCount(shape);
                    // few distinct values: ties are common
                    var f = new float[n];
                    for (int i = 0; i < n; i++) f[i] = rng.Next(4);
                    if (n > 10) f[rng.Next(n)] = float.NaN;
                    var ft = new Tensor<float>(f, shape);
                    var dt = new Tensor<double>(f.Select(v => (double)v).ToArray(), (int[])shape.Clone());
                    var attrs = new[] { Attr.Int("axis", axis), Attr.Int("select_last_index", last), Attr.Int("keepdims", axis % 2 == 0 ? 1 : 0) };
                    Same(Run1(op, 13, [ft], attrs), Run1(op, 13, [dt], attrs), $"{op} [{string.Join(",", shape)}] axis {axis} last {last}");
                }
    }

    [Fact]
    public void LayerAndRmsNormalization()
    {
        var rng = new Random(17);
        foreach (var shape in new[] { new[] { 3, 37 }, new[] { 2, 3, 20 }, new[] { 2, 2, 3, 9 } })
            for (int axis = -shape.Length; axis < shape.Length; axis++)
            {
                int a = axis < 0 ? axis + shape.Length : axis;
                int[] normalized = shape[a..];
                foreach (bool fullScale in new[] { false, true })
                {
                    var (x, xd) = Pair(shape, rng, spread: 10);
                    var (s, sd) = Pair(fullScale ? shape : normalized, rng);
                    var (b, bd) = Pair(normalized, rng);
                    var attrs = new[] { Attr.Int("axis", axis), Attr.Float("epsilon", 1e-3f) };
                    var fast = Run("LayerNormalization", 17, [x, s, b], 3, attrs);
                    var slow = Run("LayerNormalization", 17, [xd, sd, bd], 3, attrs);
                    for (int o = 0; o < 3; o++)
                    {
                        // Mean and InvStdDev come out as float (stash_type 1) on both paths
                        var g = slow[o]!.AsTensor();
                        var expected = g.DataType == DataType.Double ? g : TensorConvert.Convert(g, DataType.Double);
                        Same(fast[o], expected, $"LayerNormalization output {o} [{string.Join(",", shape)}] axis {axis}");
                    }
                    Same(Run1("RMSNormalization", 23, [x, s], attrs), Run1("RMSNormalization", 23, [xd, sd], attrs),
                        $"RMSNormalization [{string.Join(",", shape)}] axis {axis}");
                }
            }
    }

    [Fact]
    public void LrnAndBatchNormalization()
    {
        var rng = new Random(23);
        foreach (var shape in new[] { new[] { 1, 5, 3, 7 }, new[] { 2, 9, 17 }, new[] { 2, 4, 1, 1 } })
        {
            foreach (int size in new[] { 1, 3, 5 })
                foreach (float beta in new[] { 0.75f, 0.6f })
                {
                    var (x, xd) = Pair(shape, rng);
                    var attrs = new[] { Attr.Int("size", size), Attr.Float("alpha", 0.01f), Attr.Float("beta", beta), Attr.Float("bias", 1.5f) };
                    Same(Run1("LRN", 13, [x], attrs), Run1("LRN", 13, [xd], attrs), $"LRN size {size} beta {beta}");
                }
            int c = shape[1];
            var (bx, bxd) = Pair(shape, rng);
            var (scale, scaled) = Pair([c], rng);
            var (bias, biasd) = Pair([c], rng);
            var (mean, meand) = Pair([c], rng);
            var (v, vd) = Pair([c], rng, positive: true);
            Same(Run1("BatchNormalization", 15, [bx, scale, bias, mean, v]), Run1("BatchNormalization", 15, [bxd, scaled, biasd, meand, vd]),
                "BatchNormalization");
        }
    }

    [Fact]
    public void ResizeNearestAndLinear()
    {
        var rng = new Random(31);
        string[] transforms = ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "half_pixel_symmetric", "tf_half_pixel_for_nn"];
        string[] roundings = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"];
        foreach (var (inShape, scales) in new[]
                 {
                     (new[] { 1, 2, 4, 5 }, new[] { 1f, 1f, 2f, 2f }),
                     (new[] { 2, 3, 7, 6 }, new[] { 1f, 1f, 0.6f, 1.7f }),
                     (new[] { 1, 1, 9, 4 }, new[] { 1f, 1f, 0.5f, 3f }),
                     (new[] { 3, 5, 8 }, new[] { 1f, 1.5f, 1f }),
                 })
            foreach (string transform in transforms)
                foreach (string mode in new[] { "nearest", "linear" })
                    foreach (string rounding in mode == "nearest" ? roundings : roundings[..1])
                    {
                        var (x, xd) = Pair(inShape, rng);
                        var sc = F(scales, scales.Length);
                        var attrs = new[] { Attr.Str("mode", mode), Attr.Str("coordinate_transformation_mode", transform), Attr.Str("nearest_mode", rounding) };
                        Same(Run1("Resize", 19, [x, null, new Const(sc)], attrs), Run1("Resize", 19, [xd, null, new Const(sc)], attrs),
                            $"Resize {mode} {transform} {rounding} [{string.Join(",", inShape)}] x [{string.Join(",", scales)}]");
                    }
    }

    [Fact]
    public void TransposeMatchesTheGenericCopy()
    {
        var rng = new Random(37);
        foreach (var (shape, perm) in new[]
                 {
                     (new[] { 2, 3, 17, 19 }, new[] { 0, 2, 3, 1 }), (new[] { 2, 17, 19, 3 }, new[] { 0, 3, 1, 2 }),
                     (new[] { 3, 9, 10, 16 }, new[] { 0, 2, 1, 3 }), (new[] { 33, 41 }, new[] { 1, 0 }),
                     (new[] { 2, 3, 4, 5, 6 }, new[] { 4, 1, 3, 0, 2 }), (new[] { 1, 9, 1, 8 }, new[] { 3, 2, 1, 0 }),
                 })
        {
            var (x, _) = Pair(shape, rng);
            var expected = TensorCopy.Permute(x, x.Shape, perm);
            var actual = Run1("Transpose", 13, [x], Attr.Ints("perm", perm.Select(p => (long)p).ToArray()));
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.As<float>().ToArray(), actual.As<float>().ToArray());
        }
    }
}
