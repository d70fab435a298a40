using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;
using static NativeInfer.Tests.Support.TestTensors;

namespace NativeInfer.Tests.Ops;

/// <summary>Spec details the conformance suite samples thinly: negative indices, ties, NaN handling, rounding, modes.</summary>
public class OpEdgeSemanticsTests
{
    [Fact]
    public void GatherNegativeAndInt32Indices()
    {
        TensorAssert.Equal([3f, 1, 2], [3], Run1("Gather", 13, [F1(1, 2, 3), L(-1, -3, 1)]));
        TensorAssert.Equal([3f, 1], [2], Run1("Gather", 13, [F1(1, 2, 3), new Tensor<int>([2, -3], [2])]));
        TensorAssert.Equal([2f, 3, 4], [3], Run1("GatherElements", 13, [F1(1, 2, 3, 4), L(-3, -2, -1)]));
    }

    [Fact]
    public void GatherNDBatchDimsAndNegativeIndices()
    {
        // data [2,2,2], batch_dims 1, indices [2,1]: y[b] = data[b, idx[b]].
        var data = F([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2);
        TensorAssert.Equal([3f, 4, 5, 6], [2, 2], Run1("GatherND", 13, [data, L2([1, 0], 2, 1)], Attr.Int("batch_dims", 1)));
        TensorAssert.Equal([8f, 1], [2], Run1("GatherND", 13, [data, L2([-1, -1, -1, 0, 0, 0], 2, 3)]));
    }

    [Fact]
    public void ScatterNDReductionsWithDuplicates()
    {
        var data = F1(1, 2, 3, 4);
        var idx = L2([1, 1, 3], 3, 1);
        var upd = F1(10, 20, 5);
        TensorAssert.Equal([1f, 32, 3, 9], [4], Run1("ScatterND", 16, [data, idx, upd], Attr.Str("reduction", "add")));
        TensorAssert.Equal([1f, 400, 3, 20], [4], Run1("ScatterND", 16, [data, idx, upd], Attr.Str("reduction", "mul")));
        TensorAssert.Equal([1f, 20, 3, 5], [4], Run1("ScatterND", 18, [data, idx, upd], Attr.Str("reduction", "max")));
        TensorAssert.Equal([1f, 2, 3, 4], [4], Run1("ScatterND", 18, [data, idx, upd], Attr.Str("reduction", "min")));
        TensorAssert.Equal([1f, 2, 3, 10], [4], Run1("ScatterND", 16, [data, L2([-1], 1, 1), F1(10)]));
    }

    [Fact]
    public void ScatterElementsReductionsAndNegativeIndices()
    {
        var data = F([1, 2, 3, 4, 5, 6], 2, 3);
        var idx = L2([0, 0, -1, 2, 2, 2], 2, 3);
        var upd = F([10, 20, 30, 1, 2, 3], 2, 3);
        // row 0 targets cols 0, 0, 2; row 1 targets col 2 three times.
        TensorAssert.Equal([31f, 2, 33, 4, 5, 12], [2, 3], Run1("ScatterElements", 16, [data, idx, upd], Attr.Int("axis", 1), Attr.Str("reduction", "add")));
        TensorAssert.Equal([20f, 2, 30, 4, 5, 6], [2, 3], Run1("ScatterElements", 18, [data, idx, upd], Attr.Int("axis", 1), Attr.Str("reduction", "max")));
        TensorAssert.Equal([1f, 2, 3, 4, 5, 1], [2, 3], Run1("ScatterElements", 18, [data, idx, upd], Attr.Int("axis", 1), Attr.Str("reduction", "min")));
    }

    [Fact]
    public void TopKTiesKeepLowerIndexFirst()
    {
        var x = F1(3, 1, 3, 2, 1);
        var r = Run("TopK", 11, [x, L(3)], 2);
        TensorAssert.Equal([3f, 3, 2], [3], r[0]);
        TensorAssert.Equal(new[] { 0L, 2, 3 }, [3], r[1]);
        var s = Run("TopK", 11, [x, L(3)], 2, Attr.Int("largest", 0));
        TensorAssert.Equal([1f, 1, 2], [3], s[0]);
        TensorAssert.Equal(new[] { 1L, 4, 3 }, [3], s[1]);
        var z = Run("TopK", 11, [x, L(0)], 2);
        Assert.Equal([0], z[0]!.AsTensor().Shape);
    }

    [Fact]
    public void ArgMaxSelectLastIndexAndKeepdims()
    {
        var x = F([2, 5, 5, 1, 7, 7], 2, 3);
        TensorAssert.Equal(new[] { 1L, 1 }, [2, 1], Run1("ArgMax", 13, [x], Attr.Int("axis", 1)));
        TensorAssert.Equal(new[] { 2L, 2 }, [2], Run1("ArgMax", 13, [x], Attr.Int("axis", 1), Attr.Int("keepdims", 0), Attr.Int("select_last_index", 1)));
        TensorAssert.Equal(new[] { 1L, 0, 0 }, [1, 3], Run1("ArgMin", 13, [x], Attr.Int("axis", 0)));
    }

    [Fact]
    public void CumSumExclusiveAndReverse()
    {
        var x = F1(1, 2, 3, 4);
        var axis = Tensor<int>.Scalar(0);
        TensorAssert.Equal([1f, 3, 6, 10], [4], Run1("CumSum", 14, [x, axis]));
        TensorAssert.Equal([0f, 1, 3, 6], [4], Run1("CumSum", 14, [x, axis], Attr.Int("exclusive", 1)));
        TensorAssert.Equal([10f, 9, 7, 4], [4], Run1("CumSum", 14, [x, axis], Attr.Int("reverse", 1)));
        TensorAssert.Equal([9f, 7, 4, 0], [4], Run1("CumSum", 14, [x, axis], Attr.Int("reverse", 1), Attr.Int("exclusive", 1)));
    }

    [Fact]
    public void OneHotNegativeAndOutOfRangeIndices()
    {
        // depth 3: -1 means 2; 3 and -4 are out of range and give an all-off row.
        var y = Run1("OneHot", 11, [L(0, -1, 3, -4), Tensor<long>.Scalar(3), F1(0, 9)]);
        TensorAssert.Equal([9f, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0], [4, 3], y);
        var axis0 = Run1("OneHot", 11, [L(2, 0), Tensor<float>.Scalar(3), F1(-1, 1)], Attr.Int("axis", 0));
        TensorAssert.Equal([-1f, 1, -1, -1, 1, -1], [3, 2], axis0);
    }

    [Fact]
    public void RangeCountsAndNegativeDelta()
    {
        TensorAssert.Equal(new[] { 10L, 7, 4 }, [3], Run1("Range", 11, [Tensor<long>.Scalar(10), Tensor<long>.Scalar(2), Tensor<long>.Scalar(-3)]));
        TensorAssert.Equal([0f, 0.5f, 1f], [3], Run1("Range", 11, [Tensor<float>.Scalar(0), Tensor<float>.Scalar(1.2f), Tensor<float>.Scalar(0.5f)]));
        Assert.Equal([0], Run1("Range", 11, [Tensor<int>.Scalar(5), Tensor<int>.Scalar(1), Tensor<int>.Scalar(1)]).Shape);
    }

    [Fact]
    public void MaxMinPropagateNaN()
    {
        var a = F1(float.NaN, 1, 2);
        var b = F1(0, float.NaN, 3);
        TensorAssert.Equal([float.NaN, float.NaN, 3f], [3], Run1("Max", 13, [a, b]));
        TensorAssert.Equal([float.NaN, float.NaN, 2f], [3], Run1("Min", 13, [a, b]));
    }

    [Fact]
    public void ClipAndReluKeepNaN()
    {
        TensorAssert.Equal([float.NaN, 0f, 1f], [3], Run1("Clip", 13, [F1(float.NaN, -5, 5), Tensor<float>.Scalar(0), Tensor<float>.Scalar(1)]));
        TensorAssert.Equal([float.NaN, 0f, 5f], [3], Run1("Relu", 14, [F1(float.NaN, -5, 5)]));
    }

    [Fact]
    public void RoundHalfToEven() =>
        TensorAssert.Equal([2f, 2, -2, -0f, 0, 4, -1], [7], Run1("Round", 11, [F1(2.5f, 1.5f, -2.5f, -0.5f, 0.5f, 3.5f, -0.6f)]));

    [Fact]
    public void IsInfDirections()
    {
        var x = F1(float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1);
        TensorAssert.Equal(new[] { true, true, false, false }, [4], Run1("IsInf", 10, [x]));
        TensorAssert.Equal(new[] { true, false, false, false }, [4], Run1("IsInf", 10, [x], Attr.Int("detect_negative", 0)));
        TensorAssert.Equal(new[] { false, true, false, false }, [4], Run1("IsInf", 10, [x], Attr.Int("detect_positive", 0)));
        TensorAssert.Equal(new[] { false, false, true, false }, [4], Run1("IsNaN", 13, [x]));
    }

    [Fact]
    public void TriluDiagonalsBeyondTheMatrix()
    {
        var x = F([1, 2, 3, 4, 5, 6], 2, 3);
        TensorAssert.Equal([1f, 2, 3, 0, 5, 6], [2, 3], Run1("Trilu", 14, [x]));
        TensorAssert.Equal([1f, 0, 0, 4, 5, 0], [2, 3], Run1("Trilu", 14, [x], Attr.Int("upper", 0)));
        TensorAssert.Equal([0f, 0, 0, 0, 0, 0], [2, 3], Run1("Trilu", 14, [x, Tensor<long>.Scalar(3)]));
        TensorAssert.Equal([1f, 2, 3, 4, 5, 6], [2, 3], Run1("Trilu", 14, [x, Tensor<long>.Scalar(-2)]));
        TensorAssert.Equal([0f, 2, 3, 0, 0, 6], [2, 3], Run1("Trilu", 14, [x, Tensor<long>.Scalar(1)]));
    }

    [Fact]
    public void CompressWithAndWithoutAxis()
    {
        var x = F([1, 2, 3, 4, 5, 6], 2, 3);
        TensorAssert.Equal([2f, 5], [2, 1], Run1("Compress", 11, [x, new Tensor<bool>([false, true], [2])], Attr.Int("axis", 1)));
        TensorAssert.Equal([1f, 4, 6], [3], Run1("Compress", 11, [x, new Tensor<bool>([true, false, false, true, false, true], [6])]));
        TensorAssert.Equal([4f, 5, 6], [1, 3], Run1("Compress", 11, [x, new Tensor<bool>([false, true], [2])], Attr.Int("axis", -2)));
    }

    [Fact]
    public void NonZeroLayoutAndEmptyInputs()
    {
        TensorAssert.Equal(new[] { 0L, 1, 0, 1 }, [2, 2], Run1("NonZero", 13, [F([1, 0, 0, 2], 2, 2)]));
        Assert.Equal([1, 0], Run1("NonZero", 13, [F1(0, 0)]).Shape);
        Assert.Equal([2, 0], Run1("NonZero", 13, [new Tensor<float>([0, 3])]).Shape);
    }

    [Fact]
    public void UniqueUnsortedKeepsFirstOccurrenceOrder()
    {
        var r = Run("Unique", 11, [F1(2, 1, 2, 3, 1)], 4, Attr.Int("sorted", 0));
        TensorAssert.Equal([2f, 1, 3], [3], r[0]);
        TensorAssert.Equal(new[] { 0L, 1, 3 }, [3], r[1]);
        TensorAssert.Equal(new[] { 0L, 1, 0, 2, 1 }, [5], r[2]);
        TensorAssert.Equal(new[] { 2L, 2, 1 }, [3], r[3]);
        var s = Run("Unique", 11, [F1(2, 1, 2, 3, 1)], 4);
        TensorAssert.Equal([1f, 2, 3], [3], s[0]);
        TensorAssert.Equal(new[] { 1L, 0, 3 }, [3], s[1]);
        TensorAssert.Equal(new[] { 1L, 0, 1, 2, 0 }, [5], s[2]);
    }

    [Fact]
    public void DepthToSpaceCrdDiffersFromDcr()
    {
        // x [1,4,1,1] = [a,b,c,d]; DCR: depth index = (bh·2+bw)·C' + c; CRD: c·4 + bh·2 + bw — both give [[a,b],[c,d]] for C'=1.
        // With 8 channels (C' = 2) they differ: DCR reads channel (bh·2+bw)·2 + c, CRD channel c·4 + bh·2 + bw.
        var x = F([0, 1, 2, 3, 4, 5, 6, 7], 1, 8, 1, 1);
        TensorAssert.Equal([0f, 2, 4, 6, 1, 3, 5, 7], [1, 2, 2, 2], Run1("DepthToSpace", 13, [x], Attr.Int("blocksize", 2)));
        TensorAssert.Equal([0f, 1, 2, 3, 4, 5, 6, 7], [1, 2, 2, 2], Run1("DepthToSpace", 13, [x], Attr.Int("blocksize", 2), Attr.Str("mode", "CRD")));
    }

    [Fact]
    public void SliceClampsHugeBoundsAndStepsBackwards()
    {
        var x = F1(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        TensorAssert.Equal([9f, 6, 3, 0], [4], Run1("Slice", 13, [x, L(long.MaxValue), L(long.MinValue), L(0), L(-3)]));
        TensorAssert.Equal([1f, 4, 7], [3], Run1("Slice", 13, [x, L(1), L(long.MaxValue), L(0), L(3)]));
        Assert.Equal([0], Run1("Slice", 13, [x, L(5), L(2), L(0), L(1)]).Shape);
        TensorAssert.Equal([0f, 1], [2], Run1("Slice", 13, [x, L(-100), L(2)]));
    }

    [Fact]
    public void TileWithZeroRepeatIsEmpty()
    {
        Assert.Equal([0, 6], Run1("Tile", 13, [F([1, 2, 3, 4, 5, 6], 2, 3), L(0, 2)]).Shape);
        TensorAssert.Equal([1f, 2, 1, 2, 1, 2, 1, 2], [4, 2], Run1("Tile", 13, [F([1, 2], 1, 2), L(4, 1)]));
    }

    [Fact]
    public void CastStringsParseSpecialValues()
    {
        var s = new Tensor<string>(["1e3", "-inf", "NaN", "  2.5", "-0"], [5]);
        var y = Run1("Cast", 13, [s], Attr.Int("to", (int)DataType.Float)).As<float>().ToArray();
        Assert.Equal(1000f, y[0]);
        Assert.True(float.IsNegativeInfinity(y[1]));
        Assert.True(float.IsNaN(y[2]));
        Assert.Equal(-0f, y[4]);
        Assert.True(float.IsNegative(y[4]));
        TensorAssert.Equal(new[] { 12L, -3 }, [2], Run1("Cast", 13, [new Tensor<string>(["12", "-3"], [2])], Attr.Int("to", (int)DataType.Int64)));
    }

    [Fact]
    public void SoftmaxOfAllNegativeInfinityRowStaysFinite()
    {
        // exp(x - max) with max = -inf gives NaN in a naive kernel; a large negative row must still normalize.
        TensorAssert.Close([0.5f, 0.5f, 0f], [3], Run1("Softmax", 13, [F1(-1e30f, -1e30f, float.NegativeInfinity)]));
        TensorAssert.Close([0f, 1f], [2], Run1("Softmax", 13, [F1(-1000, 1000)]));
    }

    [Fact]
    public void EinsumTransposeTraceAndBatchMatMul()
    {
        var m = F([1, 2, 3, 4], 2, 2);
        TensorAssert.Equal([1f, 3, 2, 4], [2, 2], Run1("Einsum", 12, [m], Attr.Str("equation", "ij->ji")));
        TensorAssert.Equal([5f], [], Run1("Einsum", 12, [m], Attr.Str("equation", "ii")));
        TensorAssert.Equal([1f, 4], [2], Run1("Einsum", 12, [m], Attr.Str("equation", "ii->i")));
        var a = F([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2);
        TensorAssert.Equal([7f, 10, 15, 22, 67, 78, 91, 106], [2, 2, 2], Run1("Einsum", 12, [a, a], Attr.Str("equation", "bij,bjk->bik")));
        TensorAssert.Equal([30f], [], Run1("Einsum", 12, [m, m], Attr.Str("equation", "ij,ij->")));
    }

    [Fact]
    public void FlattenAtEveryAxis()
    {
        var x = new Tensor<float>([2, 3, 4]);
        Assert.Equal([1, 24], Run1("Flatten", 13, [x], Attr.Int("axis", 0)).Shape);
        Assert.Equal([6, 4], Run1("Flatten", 13, [x], Attr.Int("axis", 2)).Shape);
        Assert.Equal([24, 1], Run1("Flatten", 13, [x], Attr.Int("axis", 3)).Shape);
        Assert.Equal([2, 12], Run1("Flatten", 13, [x], Attr.Int("axis", -2)).Shape);
    }
}
