using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Loading;

/// <summary>Model-local functions are inlined at load: values renamed apart, attribute references resolved.</summary>
public class FunctionInliningTests
{
    /// <summary>ScaledAdd(a, b) = (a + b) * Constant(value_float = @scale), with a default scale of 2.</summary>
    private static FunctionProto ScaledAdd()
    {
        var f = new FunctionProto { Name = "ScaledAdd", Domain = "local.fn" };
        f.Input.AddRange(["a", "b"]);
        f.Output.Add("y");
        f.Attribute.Add("scale");
        f.AttributeProto.Add(new AttributeProto { Name = "scale", Type = AttributeProto.Types.AttributeType.Float, F = 2f });
        f.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        var add = new NodeProto { OpType = "Add", Input = { "a", "b" }, Output = { "sum" } };
        var k = new NodeProto { OpType = "Constant", Output = { "k" } };
        k.Attribute.Add(new AttributeProto { Name = "value_float", Type = AttributeProto.Types.AttributeType.Float, RefAttrName = "scale" });
        var mul = new NodeProto { OpType = "Mul", Input = { "sum", "k" }, Output = { "y" } };
        f.Node.AddRange([add, k, mul]);
        return f;
    }

    [Fact]
    public void InlinesFunctionsWithAttributeReferencesAndDefaults()
    {
        var m = new TestModel().Opset("local.fn", 1)
            .Input("x", DataType.Float, 2)
            .Node("ScaledAdd", ["x", "x"], ["t"], "local.fn", new AttributeProto { Name = "scale", Type = AttributeProto.Types.AttributeType.Float, F = 10f })
            .Node("ScaledAdd", ["t", "x"], ["y"], "local.fn")
            .Output("y", DataType.Float, 2);
        m.Proto.Functions.Add(ScaledAdd());
        using var s = new InferenceSession(m.ToBytes());
        Assert.DoesNotContain(s.Model.Graph.Nodes, n => n.OpType == "ScaledAdd");
        var y = s.Run(new Tensor<float>([1f, 2f], [2])).As<float>();
        // t = (x + x) * 10; y = (t + x) * 2
        Assert.Equal([42f, 84f], y.ToArray());
    }
}
