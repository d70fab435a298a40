using Google.Protobuf;
using NativeInfer.Errors;
using NativeInfer.Onnx.Proto;
using NativeInfer.Session;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;
using static NativeInfer.Tests.Support.TestTensors;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// Ops whose output size comes from input values (not input sizes) must allocate through the checked tensor path:
/// under a 1 MiB <see cref="SessionOptions.MaxTensorBytes"/>, each node below asks for about 40 MB and must fail with a
/// <see cref="TensorSizeException"/> inside a <see cref="NodeExecutionException"/>. (Sizes are modest on purpose: an
/// op that bypassed the limit would merely succeed and fail the test, not exhaust the machine.)
/// </summary>
public class HostileSizeTests
{
    private const long Limit = 1 << 20;


    private static void RefusedUnderLimit(string op, int opset, object?[] inputs, int outputs = 1, params AttributeProto[] attributes)
    {
        var model = Model(op, opset, inputs, outputs, attributes, out var feeds);
        using var s = new InferenceSession(model.ToByteArray(), new SessionOptions { MaxTensorBytes = Limit });
        var e = Assert.Throws<NodeExecutionException>(() => s.Run(feeds));
        AssertNamesNode(e.Message, op, opset);
        Assert.True(Caused<TensorSizeException>(e), $"Expected a TensorSizeException inside, got: {e.InnerException}");
    }

    [Fact]
    public void ConstantOfShape() => RefusedUnderLimit("ConstantOfShape", 9, [L(10_000, 1_000)]);

    [Fact]
    public void Expand() => RefusedUnderLimit("Expand", 13, [F([1], 1), L(10_000, 1_000)]);

    [Fact]
    public void Tile() => RefusedUnderLimit("Tile", 13, [F([1], 1), L(10_000_000)]);

    [Fact]
    public void Range() => RefusedUnderLimit("Range", 11, [Tensor<int>.Scalar(0), Tensor<int>.Scalar(10_000_000), Tensor<int>.Scalar(1)]);

    [Fact]
    public void Pad() => RefusedUnderLimit("Pad", 13, [F([1], 1), L(0, 10_000_000)]);

    [Fact]
    public void OneHot() => RefusedUnderLimit("OneHot", 11, [L(new long[10]), Tensor<long>.Scalar(1_000_000), F([0, 1], 2)]);

    [Fact]
    public void ResizeSizes() => RefusedUnderLimit("Resize", 13, [F([1, 2, 3, 4], 1, 1, 2, 2), null, null, L(1, 1, 4000, 4000)]);

    [Fact]
    public void ResizeScales() => RefusedUnderLimit("Resize", 13, [F([1, 2, 3, 4], 1, 1, 2, 2), null, F([1, 1, 2000, 2000], 4)]);

    [Fact]
    public void Upsample() => RefusedUnderLimit("Upsample", 9, [F([1, 2, 3, 4], 1, 1, 2, 2), F([1, 1, 2000, 2000], 4)]);

    [Fact]
    public void BroadcastAdd() => RefusedUnderLimit("Add", 14, [new Tensor<float>([10_000, 1]), new Tensor<float>([1, 1_000])]);

    [Fact]
    public void BroadcastWhere() =>
        RefusedUnderLimit("Where", 16, [new Tensor<bool>([10_000, 1]), new Tensor<float>([1, 1_000]), Tensor<float>.Scalar(0)]);

    [Fact]
    public void OuterProductMatMul() => RefusedUnderLimit("MatMul", 13, [new Tensor<float>([10_000, 1]), new Tensor<float>([1, 1_000])]);

    [Fact]
    public void CenterCropPad() => RefusedUnderLimit("CenterCropPad", 18, [F([1], 1), L(10_000_000)]);

    [Fact]
    public void MaxUnpoolOutputShape() =>
        RefusedUnderLimit("MaxUnpool", 11, [F([1], 1, 1, 1, 1), new Tensor<long>([0], [1, 1, 1, 1]), L(1, 1, 4000, 4000)], 1,
            Attr.Ints("kernel_shape", 2, 2));

    [Fact]
    public void AffineGrid() =>
        RefusedUnderLimit("AffineGrid", 20, [F([1, 0, 0, 0, 1, 0], 1, 2, 3), L(1, 1, 4000, 4000)]);

    [Fact]
    public void HannWindow() => RefusedUnderLimit("HannWindow", 17, [Tensor<long>.Scalar(10_000_000)]);

    [Fact]
    public void MelWeightMatrix() =>
        RefusedUnderLimit("MelWeightMatrix", 17, [Tensor<long>.Scalar(1000), Tensor<long>.Scalar(20_000), Tensor<long>.Scalar(16_000),
            Tensor<float>.Scalar(0), Tensor<float>.Scalar(8000)]);

    [Fact]
    public void DftLength() => RefusedUnderLimit("DFT", 17, [F([1, 2, 3, 4], 1, 4, 1), L(10_000_000)], 1);

    [Fact]
    public void MultinomialSampleSize() =>
        RefusedUnderLimit("Multinomial", 7, [F([0, 0], 1, 2)], 1, Attr.Int("sample_size", 10_000_000), Attr.Float("seed", 1));

    [Fact]
    public void RandomUniformShapeAttribute() =>
        RefusedUnderLimit("RandomUniform", 1, [], 1, Attr.Ints("shape", 10_000, 1_000), Attr.Float("seed", 1));

    [Fact]
    public void EyeLikeFollowsItsInputAndRuns()
    {
        // Control case: an op whose output is no larger than its input runs under the same limit.
        var model = Model("EyeLike", 9, [new Tensor<float>([3, 4])], 1, [], out var feeds);
        using var s = new InferenceSession(model.ToByteArray(), new SessionOptions { MaxTensorBytes = Limit });
        TensorAssert.Equal([1f, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], [3, 4], s.Run(feeds)[0].Value);
    }

    [Fact]
    public void NonMaxSuppressionHugeMaxOutputDoesNotAllocateForIt()
    {
        // max_output_boxes_per_class = 2^40 with two disjoint boxes: both are selected, nothing sized by the 2^40.
        var boxes = F([0, 0, 1, 1, 5, 5, 6, 6], 1, 2, 4);
        var scores = F([0.9f, 0.8f], 1, 1, 2);
        var model = Model("NonMaxSuppression", 11, [boxes, scores, L(1L << 40)], 1, [], out var feeds);
        using var s = new InferenceSession(model.ToByteArray(), new SessionOptions { MaxTensorBytes = Limit });
        TensorAssert.Equal(new[] { 0L, 0, 0, 0, 0, 1 }, [2, 3], s.Run(feeds)[0].Value);
    }

    [Fact]
    public void TopKHugeKIsRefused() => RunFails("TopK", 11, [F([1, 2, 3], 3), L(1L << 40)], 2);
}
