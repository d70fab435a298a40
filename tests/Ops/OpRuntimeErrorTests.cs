using NativeInfer.Errors;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;
using static NativeInfer.Tests.Support.TestTensors;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// A node given bad input fails with a <see cref="NodeExecutionException"/> naming the node, its op type and opset
/// (every test goes through <see cref="OpHarness.RunFails"/>, which checks the message); the conformance suite only
/// feeds valid inputs.
/// </summary>
public class OpRuntimeErrorTests
{
    // ---- Indices out of range

    [Theory]
    [InlineData(3L)]
    [InlineData(-4L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void GatherIndexOutOfRange(long index) =>
        RunFails("Gather", 13, [F([1, 2, 3], 3), L(0, index)]);

    [Fact]
    public void GatherAxisOutOfRange() => RunFails("Gather", 13, [F([2, 3]), L(0)], 1, Attr.Int("axis", 2));

    [Fact]
    public void GatherElementsIndexOutOfRange() =>
        RunFails("GatherElements", 13, [F([2, 2]), L2([0, 2, 1, 0], 2, 2)], 1, Attr.Int("axis", 1));

    [Fact]
    public void GatherElementsRankMismatch() =>
        RunFails("GatherElements", 13, [F([2, 2]), L(0, 1)], 1, Attr.Int("axis", 0));

    [Fact]
    public void GatherNDIndexOutOfRange() => RunFails("GatherND", 13, [F([2, 2]), L2([2, 0], 1, 2)]);

    [Fact]
    public void GatherNDIndexTupleTooLong() => RunFails("GatherND", 13, [F([2, 2]), L2([0, 0, 0], 1, 3)]);

    [Theory]
    [InlineData(3L)]
    [InlineData(-4L)]
    public void ScatterElementsIndexOutOfRange(long index) =>
        RunFails("ScatterElements", 16, [F([3]), L(index), F([1f], 1)]);

    [Fact]
    public void ScatterElementsUpdatesShapeMismatch() =>
        RunFails("ScatterElements", 16, [F([3]), L(0, 1), F([1f], 1)]);

    [Fact]
    public void ScatterNDIndexOutOfRange() => RunFails("ScatterND", 16, [F([4]), L2([4], 1, 1), F([1f], 1)]);

    [Fact]
    public void ScatterNDUpdatesShapeMismatch() => RunFails("ScatterND", 16, [F([4]), L2([1, 2], 2, 1), F([1f, 2, 3], 3)]);

    [Fact]
    public void GatherOnSequencePositionOutOfRange()
    {
        var seq = new SequenceValue(DataType.Float, [F([1f], 1), F([2f], 1)]);
        RunFails("SequenceAt", 11, [seq, Tensor<long>.Scalar(2)]);
        RunFails("SequenceAt", 11, [seq, Tensor<long>.Scalar(-3)]);
        RunFails("SequenceErase", 11, [seq, Tensor<long>.Scalar(2)]);
        RunFails("SequenceInsert", 11, [seq, F([3f], 1), Tensor<long>.Scalar(3)]);
        RunFails("SequenceInsert", 11, [seq, F([3f], 1), Tensor<long>.Scalar(-3)]);
    }

    [Fact]
    public void SequenceInsertElementTypeMismatch()
    {
        var seq = new SequenceValue(DataType.Float, [F([1f], 1)]);
        RunFails("SequenceInsert", 11, [seq, new Tensor<int>([1], [1])]);
    }

    // ---- Axes

    [Theory]
    [InlineData("Softmax", 13)]
    [InlineData("LogSoftmax", 13)]
    [InlineData("Hardmax", 13)]
    [InlineData("Flatten", 13)]
    [InlineData("ArgMax", 13)]
    public void AxisAttributeOutOfRange(string op, int opset) => RunFails(op, opset, [F([2, 3])], 1, Attr.Int("axis", 3));

    [Fact]
    public void ConcatAxisOutOfRange() => RunFails("Concat", 13, [F([2, 3]), F([2, 3])], 1, Attr.Int("axis", 2));

    [Fact]
    public void ReduceSumAxisOutOfRange() => RunFails("ReduceSum", 13, [F([2, 3]), L(2)]);

    [Fact]
    public void ReduceMeanAxisAttributeOutOfRange() => RunFails("ReduceMean", 13, [F([2, 3])], 1, Attr.Ints("axes", -3));

    [Fact]
    public void CumSumAxisOutOfRange() => RunFails("CumSum", 14, [F([2, 3]), Tensor<long>.Scalar(2)]);

    [Fact]
    public void TransposePermWrongLength() => RunFails("Transpose", 13, [F([2, 3])], 1, Attr.Ints("perm", 0));

    [Fact]
    public void TransposePermOfWrongRank() => RunFails("Transpose", 13, [F([2, 3])], 1, Attr.Ints("perm", 2, 0, 1)); // a non-permutation is refused at load (MoreErrorTests)

    [Fact]
    public void SqueezeNonUnitAxis() => RunFails("Squeeze", 13, [F([2, 3]), L(0)]);

    [Fact]
    public void UnsqueezeAxisOutOfRange() => RunFails("Unsqueeze", 13, [F([2, 3]), L(3)]);

    [Fact]
    public void UnsqueezeDuplicateAxes() => RunFails("Unsqueeze", 13, [F([2, 3]), L(0, 0)]);

    [Fact]
    public void SliceStepZero() => RunFails("Slice", 13, [F([4]), L(0), L(4), L(0), L(0)]);

    [Fact]
    public void SliceAxisOutOfRange() => RunFails("Slice", 13, [F([4]), L(0), L(4), L(1)]);

    // ---- Shapes that do not fit

    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 4 })]
    [InlineData(new[] { 0, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 2, 3 }, new[] { 3, 2 })]
    [InlineData(new[] { 4, 1, 3 }, new[] { 2, 1, 1 })]
    public void AddIncompatibleBroadcast(int[] a, int[] b) => RunFails("Add", 14, [F(a), F(b)]);

    [Fact]
    public void WhereIncompatibleBroadcast() => RunFails("Where", 16, [new Tensor<bool>([2]), F([3]), F([3])]);

    [Fact]
    public void ReshapeWrongElementCount() => RunFails("Reshape", 14, [F([2, 3]), L(4)]);

    [Fact]
    public void ReshapeTwoInferredDims() => RunFails("Reshape", 14, [F([2, 3]), L(-1, -1)]);

    [Fact]
    public void ReshapeZeroCopiesMissingDim() => RunFails("Reshape", 14, [F([6]), L(0, 0)]);

    [Fact]
    public void ReshapeNegativeDim() => RunFails("Reshape", 14, [F([2, 3]), L(-2, -3)]);

    [Fact]
    public void ConcatRankMismatch() => RunFails("Concat", 13, [F([2, 3]), F([3])], 1, Attr.Int("axis", 0));

    [Fact]
    public void ConcatOtherDimMismatch() => RunFails("Concat", 13, [F([2, 3]), F([2, 4])], 1, Attr.Int("axis", 0));

    [Fact]
    public void MatMulInnerDimMismatch() => RunFails("MatMul", 13, [F([2, 3]), F([4, 5])]);

    [Fact]
    public void MatMulBatchMismatch() => RunFails("MatMul", 13, [F([2, 2, 3]), F([3, 3, 4])]);

    [Fact]
    public void MatMulScalarOperand() => RunFails("MatMul", 13, [F([3]), new Tensor<float>([])]);

    [Fact]
    public void GemmInnerDimMismatch() => RunFails("Gemm", 13, [F([2, 3]), F([4, 5])]);

    [Fact]
    public void ConvChannelMismatch() => RunFails("Conv", 11, [F([1, 3, 5, 5]), F([2, 4, 3, 3])]);

    [Fact]
    public void ConvKernelLargerThanInput() => RunFails("Conv", 11, [F([1, 1, 2, 2]), F([1, 1, 3, 3])]);

    [Fact]
    public void ConvGroupsDoNotDivideChannels() =>
        RunFails("Conv", 11, [F([1, 3, 5, 5]), F([2, 1, 3, 3])], 1, Attr.Int("group", 2));

    [Fact]
    public void MaxPoolRankTooSmall() => RunFails("MaxPool", 12, [F([4, 4])], 1, Attr.Ints("kernel_shape", 2));

    [Fact]
    public void SplitSizesDoNotSum() => RunFails("Split", 13, [F([5]), L(2, 2)], 2);

    [Fact]
    public void SplitAttributeSizesDoNotSum() => RunFails("Split", 11, [F([5])], 2, Attr.Ints("split", 2, 2));

    [Fact]
    public void SplitNegativeSize() => RunFails("Split", 13, [F([5]), L(6, -1)], 2);

    [Fact]
    public void ExpandIncompatible() => RunFails("Expand", 13, [F([3]), L(2, 4)]);

    [Fact]
    public void TileRepeatsWrongLength() => RunFails("Tile", 13, [F([2, 3]), L(2)]);

    [Fact]
    public void TileNegativeRepeat() => RunFails("Tile", 13, [F([2, 3]), L(1, -1)]);

    [Fact]
    public void DepthToSpaceChannelsNotDivisible() =>
        RunFails("DepthToSpace", 13, [F([1, 3, 2, 2])], 1, Attr.Int("blocksize", 2));

    [Fact]
    public void TopKLargerThanAxis() => RunFails("TopK", 11, [F([3]), L(4)], 2);

    [Fact]
    public void RangeZeroDelta() => RunFails("Range", 11, [Tensor<float>.Scalar(0), Tensor<float>.Scalar(5), Tensor<float>.Scalar(0)]);

    [Fact]
    public void RangeNonScalarLimit() => RunFails("Range", 11, [Tensor<long>.Scalar(0), L(5, 6), Tensor<long>.Scalar(1)]);

    [Fact]
    public void ConstantOfShapeNegativeDim() => RunFails("ConstantOfShape", 9, [L(2, -1)]);

    // ---- Hostile sizes: refused before allocating

    private static void RefusedAsTooLarge(string op, int opset, object?[] inputs, int outputs = 1, params Onnx.Proto.AttributeProto[] attributes)
    {
        var e = RunFails(op, opset, inputs, outputs, attributes);
        Assert.True(Caused<TensorSizeException>(e) || Caused<OverflowException>(e),
            $"Expected a TensorSizeException (or checked overflow) inside, got: {e.InnerException}");
    }

    [Fact]
    public void ConstantOfShapeHostileSize() => RefusedAsTooLarge("ConstantOfShape", 9, [L(1_000_000, 1_000_000, 1_000_000)]);

    [Fact]
    public void ConstantOfShapeJustOverTheLimit() =>
        Assert.True(Caused<TensorSizeException>(RunFails("ConstantOfShape", 9, [L(1L << 31, 1)])));

    [Fact]
    public void ExpandHostileSize() => RefusedAsTooLarge("Expand", 13, [F([1f], 1), L(1_000_000, 1_000_000)]);

    [Fact]
    public void TileHostileRepeats() => RefusedAsTooLarge("Tile", 13, [F([1f, 2f], 2), L(4_000_000_000L)]);

    [Fact]
    public void TileHostileRepeatsInt32Product() => RefusedAsTooLarge("Tile", 13, [F([2, 2]), L(100_000, 100_000)]);

    [Fact]
    public void RangeHostileCount() =>
        RefusedAsTooLarge("Range", 11, [Tensor<long>.Scalar(0), Tensor<long>.Scalar(1L << 40), Tensor<long>.Scalar(1)]);

    [Fact]
    public void RangeHostileFloatCount() =>
        RefusedAsTooLarge("Range", 11, [Tensor<float>.Scalar(0), Tensor<float>.Scalar(1e30f), Tensor<float>.Scalar(1)]);

    [Fact]
    public void PadHostilePads() => RefusedAsTooLarge("Pad", 13, [F([1f], 1), L(0, 1L << 40)]);

    [Fact]
    public void OneHotDepthBeyondInt32() => RunFails("OneHot", 11, [L(0, 1), Tensor<long>.Scalar(1L << 40), F([0f, 1f], 2)]);

    [Fact]
    public void OneHotHostileDepth() =>
        RefusedAsTooLarge("OneHot", 11, [L(new long[64]), Tensor<long>.Scalar(1L << 28), F([0f, 1f], 2)]);

    [Fact]
    public void ResizeHostileSizes() =>
        RefusedAsTooLarge("Resize", 13, [F([1, 1, 2, 2]), null, null, L(1, 1, 1_000_000, 1_000_000)]);

    [Fact]
    public void ConfiguredSizeLimitAppliesToOpOutputs()
    {
        var model = Model("ConstantOfShape", 9, [L(1000, 1000)], 1, [], out var feeds);
        var options = new NativeInfer.Session.SessionOptions { MaxTensorBytes = 1 << 20 };
        using var s = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model), options);
        var e = Assert.Throws<NodeExecutionException>(() => s.Run(feeds));
        AssertNamesNode(e.Message, "ConstantOfShape", 9);
        Assert.True(Caused<TensorSizeException>(e));
        // The same model under the default limit runs.
        using var ok = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model));
        Assert.Equal([1000, 1000], ok.Run(feeds)[0].Value!.AsTensor().Shape);
    }
}
