using NativeInfer.Errors;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;
using static NativeInfer.Tests.Support.TestTensors;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// Unknown attribute values and missing required attributes are refused when the model loads, with an
/// <see cref="UnsupportedOperatorException"/> (a <see cref="ModelLoadException"/>) naming the node; nothing waits for Run.
/// </summary>
public class OpAttributeLoadErrorTests
{
    private static void Refused(string op, int opset, object?[] inputs, int outputs, params Onnx.Proto.AttributeProto[] attributes)
    {
        var e = LoadFails(op, opset, inputs, outputs, attributes);
        Assert.Equal(ModelLoadError.UnsupportedOperator, e.Error);
        Assert.IsType<UnsupportedOperatorException>(e);
        Assert.Contains($"opset {opset}", e.Message);
    }

    [Fact]
    public void PadUnknownMode() => Refused("Pad", 18, [F(2), new Const(new Tensor<long>([1, 1], [2]))], 1, Attr.Str("mode", "mirror"));

    [Fact]
    public void DepthToSpaceUnknownMode() => Refused("DepthToSpace", 13, [F(1, 4, 1, 1)], 1, Attr.Int("blocksize", 2), Attr.Str("mode", "XYZ"));

    [Fact]
    public void DepthToSpaceMissingBlocksize() => Refused("DepthToSpace", 13, [F(1, 4, 1, 1)], 1);

    [Fact]
    public void ConvUnknownAutoPad() => Refused("Conv", 11, [F(1, 1, 3, 3), F(1, 1, 1, 1)], 1, Attr.Str("auto_pad", "WEIRD"));

    [Fact]
    public void ScatterElementsUnknownReduction() =>
        Refused("ScatterElements", 18, [F(3), new Tensor<long>([0], [1]), F(1)], 1, Attr.Str("reduction", "div"));

    [Fact]
    public void ScatterNDUnknownReduction() =>
        Refused("ScatterND", 18, [F(3), new Tensor<long>([0], [1, 1]), F(1)], 1, Attr.Str("reduction", "avg"));

    [Fact]
    public void CastToUnknownType() => Refused("Cast", 13, [F(2)], 1, Attr.Int("to", 999));

    [Fact]
    public void CastMissingTo() => Refused("Cast", 13, [F(2)], 1);

    [Fact]
    public void ResizeUnknownMode() => Refused("Resize", 13, [F(1, 1, 2, 2), null, F(4)], 1, Attr.Str("mode", "bicubicish"));

    [Fact]
    public void ResizeUnknownCoordinateMode() =>
        Refused("Resize", 13, [F(1, 1, 2, 2), null, F(4)], 1, Attr.Str("coordinate_transformation_mode", "sideways"));

    [Fact]
    public void GeluUnknownApproximation() => Refused("Gelu", 20, [F(2)], 1, Attr.Str("approximate", "fast"));

    [Fact]
    public void LstmUnknownDirection() =>
        Refused("LSTM", 14, [F(1, 1, 1), F(1, 4, 1), F(1, 4, 1)], 1, Attr.Int("hidden_size", 1), Attr.Str("direction", "sideways"));

    [Fact]
    public void LstmUnknownActivation()
    {
        var acts = new Onnx.Proto.AttributeProto { Name = "activations", Type = Onnx.Proto.AttributeProto.Types.AttributeType.Strings };
        foreach (var a in new[] { "Sigmoid", "Frobnicate", "Tanh" }) acts.Strings.Add(Google.Protobuf.ByteString.CopyFromUtf8(a));
        Refused("LSTM", 14, [F(1, 1, 1), F(1, 4, 1), F(1, 4, 1)], 1, Attr.Int("hidden_size", 1), acts);
    }

    [Fact]
    public void IfWithoutBranches() => Refused("If", 13, [Tensor<bool>.Scalar(true)], 1);

    [Fact]
    public void LoopWithoutBody() => Refused("Loop", 13, [Tensor<long>.Scalar(1), Tensor<bool>.Scalar(true)], 0);

    [Fact]
    public void ConstantWithoutValue() => Refused("Constant", 13, [], 1);

    [Fact]
    public void ReduceUnknownNoopFlag()
    {
        // noop_with_empty_axes is a 0/1 flag; the node is otherwise valid. A value other than 0/1 is not in the
        // spec's domain, but implementations treat non-zero as true, so this is only checked to load.
        using var s = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(
            Model("ReduceSum", 13, [F(2)], 1, [Attr.Int("noop_with_empty_axes", 1)], out _)));
        Assert.Single(s.OutputNames);
    }

    [Fact]
    public void EveryBadNodeIsListed()
    {
        // Two bad nodes of different ops are reported together.
        var g = new SubgraphBuilder("main")
            .Input("x", DataType.Float)
            .Node("Pad", ["x"], ["p"], Attr.Str("mode", "mirror"))
            .Node("Cast", ["p"], ["y"], Attr.Int("to", 999))
            .Output("y");
        var e = Assert.Throws<UnsupportedOperatorException>(() => new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(g.ToModel(18))));
        Assert.Equal(2, e.Unsupported.Count);
        Assert.Contains(e.Unsupported, u => u.Contains("main_Pad_0"));
        Assert.Contains(e.Unsupported, u => u.Contains("main_Cast_1"));
    }
}
