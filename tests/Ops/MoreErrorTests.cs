using NativeInfer.Errors;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;
using static NativeInfer.Tests.Support.TestTensors;

namespace NativeInfer.Tests.Ops;

/// <summary>Further bad inputs (normalization, quantization, recurrent, indexing ops) and bad attributes known at load.</summary>
public class MoreErrorTests
{
    // ---- Run-time

    [Fact]
    public void BatchNormalizationScaleLengthMismatch() =>
        RunFails("BatchNormalization", 15, [F(1, 3, 2, 2), F(2), F(3), F(3), F(3)]);

    [Fact]
    public void InstanceNormalizationScaleLengthMismatch() => RunFails("InstanceNormalization", 6, [F(1, 3, 2), F(2), F(3)]);

    [Fact]
    public void LayerNormalizationScaleShapeMismatch() => RunFails("LayerNormalization", 17, [F(2, 3), F(4)]);

    [Fact]
    public void LayerNormalizationAxisOutOfRange() => RunFails("LayerNormalization", 17, [F(2, 3), F(3)], 1, Attr.Int("axis", 2));

    [Fact]
    public void GemmBiasNotBroadcastable() => RunFails("Gemm", 13, [F(2, 3), F(3, 4), F(3)]);

    [Fact]
    public void EinsumOperandCountMismatch() => RunFails("Einsum", 12, [F(2, 2)], 1, Attr.Str("equation", "ij,jk->ik"));

    [Fact]
    public void EinsumLabelSizeMismatch() => RunFails("Einsum", 12, [F(2, 3), F(2, 4)], 1, Attr.Str("equation", "ij,jk->ik"));

    [Fact]
    public void LstmInputNotRank3() => RunFails("LSTM", 14, [F(2, 3), F(1, 8, 3), F(1, 8, 2)], 1, Attr.Int("hidden_size", 2));

    [Fact]
    public void LstmWeightShapeMismatch() => RunFails("LSTM", 14, [F(1, 1, 3), F(1, 8, 4), F(1, 8, 2)], 1, Attr.Int("hidden_size", 2));

    [Fact]
    public void GatherNDBatchDimsTooLarge() => RunFails("GatherND", 13, [F(2, 2), new Tensor<long>([2, 1])], 1, Attr.Int("batch_dims", 2));

    [Fact]
    public void ReverseSequenceLengthBeyondTimeAxis() =>
        RunFails("ReverseSequence", 10, [F(3, 2), L(4, 1)], 1, Attr.Int("batch_axis", 1), Attr.Int("time_axis", 0));

    [Fact]
    public void ResizeScalesLengthMismatch() => RunFails("Resize", 13, [F(1, 1, 2, 2), null, new Tensor<float>([1, 2], [2])]);

    [Fact]
    public void SliceStartsEndsLengthMismatch() => RunFails("Slice", 13, [F(4, 4), L(0, 0), L(2)]);

    [Fact]
    public void PadPadsWrongLength() => RunFails("Pad", 13, [F(2, 2), L(1, 1)]);

    [Fact]
    public void PadReflectWiderThanInputKeepsReflecting()
    {
        // Pads wider than the axis are not an error: like numpy's reflect, the mirror repeats with period 2(n-1)
        // ([1,2,3] padded 5 and 4: indices -5..6 read 2,1,2,3,2 | 1,2,3 | 2,1,2,3); a length-1 axis repeats its value.
        TensorAssert.Equal([2f, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3], [12],
            Run1("Pad", 13, [new Tensor<float>([1, 2, 3], [3]), L(5, 4)], Attr.Str("mode", "reflect")));
        TensorAssert.Equal([7f, 7, 7, 7], [4], Run1("Pad", 13, [new Tensor<float>([7], [1]), L(2, 1)], Attr.Str("mode", "reflect")));
    }

    [Fact]
    public void PadEdgeOfEmptyAxis() => RunFails("Pad", 13, [F(0), L(1, 1)], 1, Attr.Str("mode", "edge"));

    [Fact]
    public void QuantizeLinearScaleLengthMismatch() =>
        RunFails("QuantizeLinear", 13, [F(2, 3), new Tensor<float>([1, 1], [2]), new Tensor<byte>([0, 0], [2])], 1, Attr.Int("axis", 1));

    [Fact]
    public void DequantizeLinearAxisOutOfRange() =>
        RunFails("DequantizeLinear", 13, [new Tensor<byte>([2, 3]), new Tensor<float>([1, 1, 1], [3])], 1, Attr.Int("axis", 2));

    [Fact]
    public void ArgMaxOverEmptyAxis() => RunFails("ArgMax", 13, [F(0, 3)], 1, Attr.Int("axis", 0));

    [Fact]
    public void WhereConditionNotBool() => RunFails("Where", 16, [F(2), F(2), F(2)]);

    [Fact]
    public void ConvKernelShapeDisagreesWithWeights() =>
        RunFails("Conv", 11, [F(1, 1, 5, 5), F(1, 1, 3, 3)], 1, Attr.Ints("kernel_shape", 2, 2));

    [Fact]
    public void ConvBiasLengthMismatch() => RunFails("Conv", 11, [F(1, 1, 5, 5), F(2, 1, 3, 3), F(3)]);

    [Fact]
    public void MatMulIntegerZeroPointShapeMismatch() =>
        RunFails("MatMulInteger", 10, [new Tensor<byte>([2, 3]), new Tensor<byte>([3, 2]), new Tensor<byte>([3])]);

    [Fact]
    public void ConcatFromSequenceOfMismatchedShapes()
    {
        var seq = new SequenceValue(DataType.Float, [F(2, 3), F(2, 4)]);
        RunFails("ConcatFromSequence", 11, [seq], 1, Attr.Int("axis", 0));
    }

    [Fact]
    public void SequenceAtOnEmptySequence() => RunFails("SequenceAt", 11, [new SequenceValue(DataType.Float), Tensor<long>.Scalar(0)]);

    [Fact]
    public void SplitToSequenceSizesDoNotSum() => RunFails("SplitToSequence", 11, [F(5), L(2, 2)]);

    [Fact]
    public void ErrorInsideALoopBodyNamesTheInnerNode()
    {
        var body = new SubgraphBuilder("body")
            .Input("i", DataType.Int64, []).Input("c_in", DataType.Bool, [])
            .Initializer("bad_shape", L(5))
            .Node("Identity", ["c_in"], ["c_out"])
            .Node("Reshape", ["x", "bad_shape"], ["r"])
            .Output("c_out", DataType.Bool, []).Output("r");
        var main = new SubgraphBuilder("main").Input("M", DataType.Int64, []).Input("x", DataType.Float)
            .Node("Loop", ["M", ""], ["rs"], Attr.Graph("body", body.Graph)).Output("rs");
        using var s = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(main.ToModel(13)));
        var e = Assert.Throws<NodeExecutionException>(() => s.Run(new Dictionary<string, Value>
        {
            ["M"] = Tensor<long>.Scalar(2),
            ["x"] = F(2, 3),
        }));
        Assert.Contains("body_Reshape_1", e.Message);
        Assert.Contains("Reshape", e.Message);
    }

    // ---- Load-time: required attributes and attribute values that are wrong whatever the input

    private static void RefusedAtLoad(string op, int opset, object?[] inputs, int outputs, params Onnx.Proto.AttributeProto[] attributes)
    {
        var e = LoadFails(op, opset, inputs, outputs, attributes);
        Assert.IsType<UnsupportedOperatorException>(e);
    }

    [Fact]
    public void MaxPoolWithoutKernelShape() => RefusedAtLoad("MaxPool", 12, [F(1, 1, 4, 4)], 1);

    [Fact]
    public void AveragePoolWithoutKernelShape() => RefusedAtLoad("AveragePool", 19, [F(1, 1, 4, 4)], 1);

    [Fact]
    public void ConcatWithoutAxis() => RefusedAtLoad("Concat", 13, [F(2), F(2)], 1);

    [Fact]
    public void CastToUndefined() => RefusedAtLoad("Cast", 13, [F(2)], 1, Attr.Int("to", 0));

    [Fact]
    public void ConstantWithTwoValues() =>
        RefusedAtLoad("Constant", 13, [], 1, Attr.Tensor("value", F(1)), Attr.Float("value_float", 1));

    [Fact]
    public void NegativeStrides() => RefusedAtLoad("Conv", 11, [F(1, 1, 4, 4), F(1, 1, 2, 2)], 1, Attr.Ints("strides", -1, 1));

    [Fact]
    public void ZeroGroup() => RefusedAtLoad("Conv", 11, [F(1, 1, 4, 4), F(1, 1, 2, 2)], 1, Attr.Int("group", 0));

    [Fact]
    public void TransposePermWithDuplicates() => RefusedAtLoad("Transpose", 13, [F(2, 2)], 1, Attr.Ints("perm", 1, 1));

    [Fact]
    public void DepthToSpaceZeroBlocksize() => RefusedAtLoad("DepthToSpace", 13, [F(1, 4, 1, 1)], 1, Attr.Int("blocksize", 0));

    [Fact]
    public void SplitNumOutputsDisagreesWithOutputs() => RefusedAtLoad("Split", 18, [F(6)], 2, Attr.Int("num_outputs", 3));

    [Fact]
    public void SplitWithBothSplitInputAndNumOutputs() =>
        RefusedAtLoad("Split", 18, [F(6), new Const(L(3, 3))], 2, Attr.Int("num_outputs", 2));

    [Fact]
    public void LoopBodyArityMismatch()
    {
        // The node passes one carried value but the body takes only (i, cond).
        var body = new SubgraphBuilder("body").Input("i", DataType.Int64, []).Input("c", DataType.Bool, [])
            .Node("Identity", ["c"], ["c_out"]).Output("c_out", DataType.Bool, []);
        RefusedAtLoad("Loop", 13, [Tensor<long>.Scalar(1), null, F(1)], 1, Attr.Graph("body", body.Graph));
    }

    [Fact]
    public void IfBranchesWithDifferentOutputCounts()
    {
        var one = new SubgraphBuilder("then").Initializer("k", F(1)).Node("Identity", ["k"], ["t"]).Output("t");
        var two = new SubgraphBuilder("else").Initializer("k", F(1)).Node("Identity", ["k"], ["e"]).Node("Identity", ["k"], ["e2"]).Output("e").Output("e2");
        RefusedAtLoad("If", 13, [Tensor<bool>.Scalar(true)], 1, Attr.Graph("then_branch", one.Graph), Attr.Graph("else_branch", two.Graph));
    }

    [Fact]
    public void ScanWithoutNumScanInputs()
    {
        var body = new SubgraphBuilder("body").Input("s", DataType.Float).Node("Identity", ["s"], ["t"]).Output("t");
        RefusedAtLoad("Scan", 16, [F(2)], 1, Attr.Graph("body", body.Graph));
    }
}
