using NativeInfer.IR;
using NativeInfer.Onnx.Import;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Session;

public class ShapeInferenceTests
{
    [Fact]
    public void SymbolicBatchFlowsThroughConvPoolAndGemm()
    {
        var m = new TestModel()
            .InputSymbolic("x", DataType.Float, "N", 3, 8, 8)
            .Initializer("w", new float[4 * 3 * 3 * 3], 4, 3, 3, 3)
            .Initializer("fc", new float[4 * 16 * 5], 4 * 16, 5)
            .Node("Conv", ["x", "w"], ["c"], "", new Onnx.Proto.AttributeProto { Name = "pads", Type = Onnx.Proto.AttributeProto.Types.AttributeType.Ints, Ints = { 1, 1, 1, 1 } })
            .Node("Relu", ["c"], ["r"])
            .Node("MaxPool", ["r"], ["p"], "", new Onnx.Proto.AttributeProto { Name = "kernel_shape", Type = Onnx.Proto.AttributeProto.Types.AttributeType.Ints, Ints = { 2, 2 } },
                new Onnx.Proto.AttributeProto { Name = "strides", Type = Onnx.Proto.AttributeProto.Types.AttributeType.Ints, Ints = { 2, 2 } })
            .Node("Flatten", ["p"], ["f"])
            .Node("MatMul", ["f", "fc"], ["y"])
            .Output("y", DataType.Float);
        var model = new OnnxModelLoader().LoadUnbound(m.ToBytes());
        var types = ShapeInference.Run(model.Graph);
        Assert.Equal("float32[N,4,8,8]", types["c"].ToString());
        Assert.Equal("float32[N,4,4,4]", types["p"].ToString());
        Assert.Equal("float32[N,64]", types["f"].ToString());
        Assert.Equal("float32[N,5]", types["y"].ToString());
    }

    [Fact]
    public void BroadcastMismatchIsReported()
    {
        var m = new TestModel().Input("a", DataType.Float, 2, 3).Input("b", DataType.Float, 4, 3)
            .Node("Add", ["a", "b"], ["c"]).Output("c", DataType.Float);
        var model = new OnnxModelLoader().LoadUnbound(m.ToBytes());
        var e = Assert.Throws<GraphValidationException>(() => ShapeInference.Run(model.Graph));
        Assert.Contains("Add", e.Message);
    }
}
