using NativeInfer.Errors;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Loading;

/// <summary>The training Gradient op expands into backward nodes at load.</summary>
public class GradientExpansionTests
{
    private static AttributeProto Strings(string name, params string[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        foreach (var s in v) a.Strings.Add(Google.Protobuf.ByteString.CopyFromUtf8(s));
        return a;
    }

    private static AttributeProto Str(string name, string v) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(v) };

    [Fact]
    public void DifferentiatesAddMulDiv()
    {
        // y = (a + b) * a / b
        var m = new TestModel(opset: 13).Opset("ai.onnx.preview.training", 1)
            .Input("a", DataType.Float, 2).Input("b", DataType.Float, 2).Input("u", DataType.Float, 2)
            .Node("Add", ["a", "b"], ["s"]).Node("Mul", ["s", "a"], ["p"]).Node("Div", ["p", "b"], ["y"])
            .Node("Gradient", ["a", "b", "u"], ["ga", "gb", "gu"], "ai.onnx.preview.training", Strings("xs", "a", "b", "u"), Str("y", "y"))
            .Output("ga", DataType.Float, 2).Output("gb", DataType.Float, 2).Output("gu", DataType.Float, 2);
        using var s = new InferenceSession(m.ToBytes());
        float[] a = [3f, -1f], b = [2f, 4f];
        var r = s.Run(new Dictionary<string, Value>
        {
            ["a"] = new Tensor<float>(a, [2]), ["b"] = new Tensor<float>(b, [2]), ["u"] = new Tensor<float>([7f, 8f], [2]),
        });
        var ga = r[0].Value!.AsTensor().As<float>();
        var gb = r[1].Value!.AsTensor().As<float>();
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal((2 * a[i] + b[i]) / b[i], ga[i], 5);                       // dy/da = (2a + b) / b
            Assert.Equal(a[i] / b[i] - (a[i] + b[i]) * a[i] / (b[i] * b[i]), gb[i], 5); // dy/db = a/b − (a+b)a/b²
        }
        Assert.Equal([0f, 0f], r[2].Value!.AsTensor().As<float>().ToArray());        // y does not depend on u
    }

    [Fact]
    public void UndifferentiableOpIsNamed()
    {
        var m = new TestModel(opset: 13).Opset("ai.onnx.preview.training", 1)
            .Input("a", DataType.Float, 2).Node("Exp", ["a"], ["y"])
            .Node("Gradient", ["a"], ["ga"], "ai.onnx.preview.training", Strings("xs", "a"), Str("y", "y"))
            .Output("ga", DataType.Float, 2);
        var e = Assert.ThrowsAny<ModelLoadException>(() => new InferenceSession(m.ToBytes()));
        Assert.Contains("Exp", e.Message);
    }
}
