using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;
using static NativeInfer.Tests.Support.TestTensors;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// Ops whose meaning changed between opsets: the model's opset decides which contract applies (attributes that became
/// inputs, Softmax's 2-D coercion, Split's num_outputs, Pad's modes).
/// </summary>
public class OpsetVersionTests
{
    // ---- Softmax: before 13 the input is flattened to 2-D at axis; from 13 one axis is normalized.

    private static readonly float[] Cube = [1, 2, 3, 4, -1, 0, 0.5f, 2];

    /// <summary>Naive softmax over contiguous groups of <paramref name="group"/> elements (strided groups for axis != last).</summary>
    private static float[] SoftmaxGroups(float[] x, int outer, int n, int inner)
    {
        var y = new float[x.Length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double max = double.NegativeInfinity, sum = 0;
                for (int k = 0; k < n; k++) max = Math.Max(max, x[(o * n + k) * inner + i]);
                for (int k = 0; k < n; k++) sum += Math.Exp(x[(o * n + k) * inner + i] - max);
                for (int k = 0; k < n; k++) y[(o * n + k) * inner + i] = (float)(Math.Exp(x[(o * n + k) * inner + i] - max) / sum);
            }
        return y;
    }

    [Fact]
    public void Softmax11DefaultAxisFlattensTrailingDims() =>
        TensorAssert.Close(SoftmaxGroups(Cube, 2, 4, 1), [2, 2, 2], Run1("Softmax", 11, [F(Cube, 2, 2, 2)]));

    [Fact]
    public void Softmax11AxisZeroNormalizesEverything() =>
        TensorAssert.Close(SoftmaxGroups(Cube, 1, 8, 1), [2, 2, 2], Run1("Softmax", 11, [F(Cube, 2, 2, 2)], Attr.Int("axis", 0)));

    [Fact]
    public void Softmax13DefaultAxisIsLast() =>
        TensorAssert.Close(SoftmaxGroups(Cube, 4, 2, 1), [2, 2, 2], Run1("Softmax", 13, [F(Cube, 2, 2, 2)]));

    [Fact]
    public void Softmax13MiddleAxisIsOneAxisOnly() =>
        TensorAssert.Close(SoftmaxGroups(Cube, 2, 2, 2), [2, 2, 2], Run1("Softmax", 13, [F(Cube, 2, 2, 2)], Attr.Int("axis", 1)));

    [Fact]
    public void LogSoftmax11FlattensLikeSoftmax()
    {
        var expected = SoftmaxGroups(Cube, 2, 4, 1).Select(v => MathF.Log(v)).ToArray();
        TensorAssert.Close(expected, [2, 2, 2], Run1("LogSoftmax", 11, [F(Cube, 2, 2, 2)]));
    }

    [Fact]
    public void Hardmax11And13Differ()
    {
        // opset 11, axis 1: one hot over the flattened 4 trailing values per batch; opset 13: over the last axis.
        TensorAssert.Equal([0f, 0, 0, 1, 0, 0, 0, 1], [2, 2, 2], Run1("Hardmax", 11, [F(Cube, 2, 2, 2)]));
        TensorAssert.Equal([0f, 1, 0, 1, 0, 1, 0, 1], [2, 2, 2], Run1("Hardmax", 13, [F(Cube, 2, 2, 2)]));
    }

    // ---- Squeeze / Unsqueeze: axes attribute (≤ 11) vs axes input (≥ 13)

    private static readonly float[] Six = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void Squeeze11AxesAttribute() =>
        TensorAssert.Equal(Six, [1, 6], Run1("Squeeze", 11, [F(Six, 1, 1, 6, 1)], Attr.Ints("axes", 1, -1)));

    [Fact]
    public void Squeeze13AxesInput() => TensorAssert.Equal(Six, [1, 6], Run1("Squeeze", 13, [F(Six, 1, 1, 6, 1), L(1, -1)]));

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void SqueezeWithoutAxesDropsEveryUnitDim(int opset) =>
        TensorAssert.Equal(Six, [6], Run1("Squeeze", opset, [F(Six, 1, 1, 6, 1)]));

    [Fact]
    public void Unsqueeze11AxesAttribute() =>
        TensorAssert.Equal(Six, [1, 2, 3, 1], Run1("Unsqueeze", 11, [F(Six, 2, 3)], Attr.Ints("axes", 0, 3)));

    [Fact]
    public void Unsqueeze13AxesInputUnsortedAndNegative() =>
        TensorAssert.Equal(Six, [1, 2, 3, 1], Run1("Unsqueeze", 13, [F(Six, 2, 3), L(-1, 0)]));

    [Fact]
    public void Unsqueeze13InterleavedAxes() =>
        TensorAssert.Equal(Six, [2, 1, 3, 1], Run1("Unsqueeze", 13, [F(Six, 2, 3), L(3, 1)]));

    // ---- Clip: min/max attributes (6) vs optional inputs (11+), integer types (12+)

    private static readonly float[] Ramp = [-3, -1, -0.5f, 0, 0.5f, 2];

    [Fact]
    public void Clip6Attributes() =>
        TensorAssert.Equal([-1f, -1, -0.5f, 0, 0.5f, 1], [6], Run1("Clip", 6, [F(Ramp, 6)], Attr.Float("min", -1), Attr.Float("max", 1)));

    [Fact]
    public void Clip6DefaultsAreUnbounded() => TensorAssert.Equal(Ramp, [6], Run1("Clip", 6, [F(Ramp, 6)]));

    [Fact]
    public void Clip11Inputs() =>
        TensorAssert.Equal([-1f, -1, -0.5f, 0, 0.5f, 1], [6],
            Run1("Clip", 11, [F(Ramp, 6), Tensor<float>.Scalar(-1), Tensor<float>.Scalar(1)]));

    [Fact]
    public void Clip11OnlyMax() =>
        TensorAssert.Equal([-3f, -1, -0.5f, 0, 0.25f, 0.25f], [6], Run1("Clip", 11, [F(Ramp, 6), null, Tensor<float>.Scalar(0.25f)]));

    [Fact]
    public void Clip11OnlyMin() =>
        TensorAssert.Equal([0f, 0, 0, 0, 0.5f, 2], [6], Run1("Clip", 11, [F(Ramp, 6), Tensor<float>.Scalar(0)]));

    [Fact]
    public void Clip11IgnoresAttributes() =>
        // At opset 11 min/max are inputs only; no inputs means no bounds.
        TensorAssert.Equal(Ramp, [6], Run1("Clip", 11, [F(Ramp, 6)]));

    [Fact]
    public void Clip13MinAboveMaxGivesMax() =>
        TensorAssert.Equal([1f, 1, 1, 1, 1, 1], [6], Run1("Clip", 13, [F(Ramp, 6), Tensor<float>.Scalar(2), Tensor<float>.Scalar(1)]));

    [Fact]
    public void Clip13Int8() =>
        TensorAssert.Equal(new sbyte[] { -5, -5, 0, 7, 7 }, [5],
            Run1("Clip", 13, [new Tensor<sbyte>([-128, -6, 0, 8, 127], [5]), Tensor<sbyte>.Scalar(-5), Tensor<sbyte>.Scalar(7)]));

    [Fact]
    public void Clip13UInt64AboveInt64Range()
    {
        ulong big = ulong.MaxValue - 1, mid = (1UL << 63) + 5;
        TensorAssert.Equal(new[] { mid, mid, 3UL }, [3],
            Run1("Clip", 13, [new Tensor<ulong>([big, mid, 3], [3]), null, Tensor<ulong>.Scalar(mid)]));
    }

    // ---- Split: split attribute (11), split input (13), num_outputs (18)

    private static float[][] Outputs(NativeInfer.Tensors.Value?[] r, out int[][] shapes)
    {
        shapes = r.Select(v => v!.AsTensor().Shape).ToArray();
        return r.Select(v => v!.AsTensor().As<float>().ToArray()).ToArray();
    }

    private static readonly float[] Seven = [0, 1, 2, 3, 4, 5, 6];

    [Fact]
    public void Split11Attribute()
    {
        var o = Outputs(Run("Split", 11, [F(Seven, 7)], 2, Attr.Ints("split", 3, 4)), out var s);
        Assert.Equal([[0f, 1, 2], [3f, 4, 5, 6]], o);
        Assert.Equal([[3], [4]], s);
    }

    [Fact]
    public void Split13Input()
    {
        var o = Outputs(Run("Split", 13, [F(Seven, 7), L(5, 0, 2)], 3), out var s);
        Assert.Equal([[0f, 1, 2, 3, 4], [], [5f, 6]], o);
        Assert.Equal([[5], [0], [2]], s);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void SplitEvenlyWithoutSizes(int opset)
    {
        var o = Outputs(Run("Split", opset, [F(Six, 2, 3)], 3, Attr.Int("axis", 1)), out var s);
        Assert.Equal([[1f, 4], [2f, 5], [3f, 6]], o);
        Assert.All(s, shape => Assert.Equal([2, 1], shape));
    }

    [Fact]
    public void Split18NumOutputsUnevenLastChunk()
    {
        // ceil(7/3) = 3: chunks 3, 3, 1.
        var o = Outputs(Run("Split", 18, [F(Seven, 7)], 3, Attr.Int("num_outputs", 3)), out var s);
        Assert.Equal([[0f, 1, 2], [3f, 4, 5], [6f]], o);
        Assert.Equal([[3], [3], [1]], s);
    }

    [Fact]
    public void Split18NumOutputsNegativeAxis()
    {
        var o = Outputs(Run("Split", 18, [F(Six, 2, 3)], 2, Attr.Int("num_outputs", 2), Attr.Int("axis", -1)), out var s);
        Assert.Equal([[1f, 2, 4, 5], [3f, 6]], o);
        Assert.Equal([[2, 2], [2, 1]], s);
    }

    [Fact]
    public void Split18SplitInputStillWorks()
    {
        var o = Outputs(Run("Split", 18, [F(Seven, 7), L(1, 6)], 2), out _);
        Assert.Equal([[0f], [1f, 2, 3, 4, 5, 6]], o);
    }

    // ---- Pad: attribute form (2), input form (11+), modes, axes (18), wrap (19)

    private static readonly float[] Grid = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void Pad2Attributes() =>
        TensorAssert.Equal([9f, 9, 9, 9, 9, 9, 1, 2, 3, 9, 9, 4, 5, 6, 9, 9, 9, 9, 9, 9], [4, 5],
            Run1("Pad", 2, [F(Grid, 2, 3)], Attr.Ints("pads", 1, 1, 1, 1), Attr.Float("value", 9)));

    [Theory]
    [InlineData("constant", new float[] { 9, 9, 9, 9, 9, 9, 1, 2, 3, 9, 9, 4, 5, 6, 9, 9, 9, 9, 9, 9 })]
    [InlineData("reflect", new float[] { 5, 4, 5, 6, 5, 2, 1, 2, 3, 2, 5, 4, 5, 6, 5, 2, 1, 2, 3, 2 })]
    [InlineData("edge", new float[] { 1, 1, 2, 3, 3, 1, 1, 2, 3, 3, 4, 4, 5, 6, 6, 4, 4, 5, 6, 6 })]
    public void Pad13Modes(string mode, float[] expected) =>
        TensorAssert.Equal(expected, [4, 5],
            Run1("Pad", 13, [F(Grid, 2, 3), L(1, 1, 1, 1), Tensor<float>.Scalar(9)], Attr.Str("mode", mode)));

    [Fact]
    public void Pad19Wrap() =>
        TensorAssert.Equal([6f, 4, 5, 6, 4, 3, 1, 2, 3, 1, 6, 4, 5, 6, 4, 3, 1, 2, 3, 1], [4, 5],
            Run1("Pad", 19, [F(Grid, 2, 3), L(1, 1, 1, 1)], Attr.Str("mode", "wrap")));

    [Fact]
    public void Pad19WrapWiderThanInput() =>
        TensorAssert.Equal([3f, 1, 2, 3, 1, 2, 3], [7], Run1("Pad", 19, [F([1, 2, 3], 3), L(4, 0)], Attr.Str("mode", "wrap")));

    [Fact]
    public void Pad13NegativePadsCrop() =>
        TensorAssert.Equal([2f, 3, 0, 5, 6, 0], [2, 3], Run1("Pad", 13, [F(Grid, 2, 3), L(0, -1, 0, 1)]));

    [Fact]
    public void Pad13DefaultConstantIsZero() =>
        TensorAssert.Equal([0f, 1, 2, 3], [4], Run1("Pad", 13, [F([1, 2, 3], 3), L(1, 0)]));

    [Fact]
    public void Pad18Axes() =>
        TensorAssert.Equal([0f, 1, 2, 3, 0, 0, 0, 4, 5, 6, 0, 0], [2, 6],
            Run1("Pad", 18, [F(Grid, 2, 3), L(1, 2), null, L(-1)]));

    [Fact]
    public void Pad13EdgeOnInt32() =>
        TensorAssert.Equal(new[] { 7, 7, 8, 8, 8 }, [5], Run1("Pad", 13, [new Tensor<int>([7, 8], [2]), L(1, 2)], Attr.Str("mode", "edge")));

    [Fact]
    public void Pad13ReflectOnBothEnds() =>
        TensorAssert.Equal([3f, 2, 1, 2, 3, 2, 1], [7], Run1("Pad", 13, [F([1, 2, 3], 3), L(2, 2)], Attr.Str("mode", "reflect")));

    // ---- Other attribute → input moves

    [Fact]
    public void ReduceSum11AxesAttributeVs13AxesInput()
    {
        TensorAssert.Equal([6f, 15], [2], Run1("ReduceSum", 11, [F(Grid, 2, 3)], Attr.Ints("axes", 1), Attr.Int("keepdims", 0)));
        TensorAssert.Equal([6f, 15], [2], Run1("ReduceSum", 13, [F(Grid, 2, 3), L(1)], Attr.Int("keepdims", 0)));
    }

    [Fact]
    public void ReduceSum13EmptyAxesNoop()
    {
        TensorAssert.Equal([21f], [1, 1], Run1("ReduceSum", 13, [F(Grid, 2, 3), L()]));
        TensorAssert.Equal(Grid, [2, 3], Run1("ReduceSum", 13, [F(Grid, 2, 3), L()], Attr.Int("noop_with_empty_axes", 1)));
    }

    [Fact]
    public void ReduceMax18AxesInputVs13Attribute()
    {
        TensorAssert.Equal([4f, 5, 6], [1, 3], Run1("ReduceMax", 13, [F(Grid, 2, 3)], Attr.Ints("axes", 0)));
        TensorAssert.Equal([4f, 5, 6], [1, 3], Run1("ReduceMax", 18, [F(Grid, 2, 3), L(0)]));
    }

    [Fact]
    public void Slice1AttributesVs10Inputs()
    {
        TensorAssert.Equal([2f, 3, 5, 6], [2, 2], Run1("Slice", 1, [F(Grid, 2, 3)], Attr.Ints("starts", 1), Attr.Ints("ends", 10), Attr.Ints("axes", 1)));
        TensorAssert.Equal([3f, 1], [2], Run1("Slice", 10, [F([1, 2, 3], 3), L(-1), L(long.MinValue), L(0), L(-2)]));
    }

    [Fact]
    public void Upsample7ScalesAttributeVsResize13()
    {
        var x = F([1, 2, 3, 4], 1, 1, 2, 2);
        float[] expected = [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4];
        TensorAssert.Equal(expected, [1, 1, 4, 4], Run1("Upsample", 7, [x], Attr.Floats("scales", 1, 1, 2, 2)));
        TensorAssert.Equal(expected, [1, 1, 4, 4], Run1("Upsample", 9, [x, F([1, 1, 2, 2], 4)]));
        TensorAssert.Equal(expected, [1, 1, 4, 4], Run1("Resize", 13, [x, null, F([1, 1, 2, 2], 4)], Attr.Str("mode", "nearest")));
    }
}
