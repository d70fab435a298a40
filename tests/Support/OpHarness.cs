using Google.Protobuf;
using NativeInfer.Errors;
using NativeInfer.Onnx.Import;
using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using Xunit;

namespace NativeInfer.Tests.Support;

/// <summary>An operator input baked into the model as an initializer instead of being fed at run time.</summary>
internal sealed record Const(Tensor Value);

/// <summary>
/// Runs one ONNX node in a model built in code. Tensor and sequence inputs become graph inputs without a declared shape
/// (so static checks cannot pre-empt the op's own run-time checks); <see cref="Const"/> inputs become initializers;
/// null inputs are omitted optional inputs. The node is named <see cref="NodeName"/> so error messages can be checked.
/// </summary>
internal static class OpHarness
{
    public const string NodeName = "node_under_test";

    public static ModelProto Model(string opType, int opset, object?[] inputs, int outputs, AttributeProto[] attributes,
        out Dictionary<string, Value> feeds, string domain = "")
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "nativeinfer-tests", Graph = new GraphProto { Name = "op" } };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = opset });
        if (domain.Length > 0) model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 21 });
        feeds = new Dictionary<string, Value>();
        var node = new NodeProto { OpType = opType, Domain = domain, Name = NodeName };
        for (int i = 0; i < inputs.Length; i++)
        {
            string name = $"x{i}";
            switch (inputs[i])
            {
                case null:
                    node.Input.Add("");
                    continue;
                case Const c:
                    model.Graph.Initializer.Add(OnnxTensorReader.Write(c.Value, name));
                    break;
                case Value v:
                    model.Graph.Input.Add(new ValueInfoProto { Name = name, Type = TypeOf(v) });
                    feeds[name] = v;
                    break;
                default:
                    throw new ArgumentException($"Input {i} is a {inputs[i]!.GetType().Name}, not a Value or Const.");
            }
            node.Input.Add(name);
        }
        for (int i = 0; i < outputs; i++)
        {
            node.Output.Add($"y{i}");
            model.Graph.Output.Add(new ValueInfoProto { Name = $"y{i}" });
        }
        node.Attribute.AddRange(attributes);
        model.Graph.Node.Add(node);
        return model;
    }

    /// <summary>Runs the node and returns every output.</summary>
    public static Value?[] Run(string opType, int opset, object?[] inputs, int outputs = 1, params AttributeProto[] attributes)
    {
        var model = Model(opType, opset, inputs, outputs, attributes, out var feeds);
        return RunModel(model, feeds);
    }

    /// <summary>Runs the node and returns its single tensor output.</summary>
    public static Tensor Run1(string opType, int opset, object?[] inputs, params AttributeProto[] attributes) =>
        Run(opType, opset, inputs, 1, attributes)[0]?.AsTensor() ?? throw new InvalidOperationException("No output.");

    public static Value?[] RunModel(ModelProto model, IReadOnlyDictionary<string, Value> feeds)
    {
        using var session = new InferenceSession(model.ToByteArray());
        return session.Run(feeds).Select(kv => kv.Value).ToArray();
    }

    /// <summary>
    /// Asserts the node loads but fails at run time with a <see cref="NodeExecutionException"/> naming the node, op type
    /// and opset; returns the exception for further checks.
    /// </summary>
    public static NodeExecutionException RunFails(string opType, int opset, object?[] inputs, int outputs = 1, params AttributeProto[] attributes)
    {
        var model = Model(opType, opset, inputs, outputs, attributes, out var feeds);
        using var session = new InferenceSession(model.ToByteArray());
        var e = Assert.Throws<NodeExecutionException>(() => session.Run(feeds));
        AssertNamesNode(e.Message, opType, opset);
        return e;
    }

    /// <summary>Asserts loading the single-node model fails with a <see cref="ModelLoadException"/> naming the node.</summary>
    public static ModelLoadException LoadFails(string opType, int opset, object?[] inputs, int outputs = 1, params AttributeProto[] attributes)
    {
        var model = Model(opType, opset, inputs, outputs, attributes, out _);
        var e = Assert.ThrowsAny<ModelLoadException>(() => new InferenceSession(model.ToByteArray()));
        Assert.Contains(NodeName, e.Message);
        Assert.Contains(opType, e.Message);
        return e;
    }

    public static void AssertNamesNode(string message, string opType, int opset)
    {
        Assert.Contains($"'{NodeName}'", message);
        Assert.Contains(opType, message);
        Assert.Contains($"opset {opset}", message);
    }

    /// <summary>True when <paramref name="e"/> or one of its inner exceptions is a <typeparamref name="T"/>.</summary>
    public static bool Caused<T>(Exception e) where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is T) return true;
        return false;
    }

    public static TypeProto TypeOf(Value v) => v switch
    {
        Tensor t => TensorType(t.DataType),
        SequenceValue s => new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = TensorType(s.ElementType) } },
        _ => throw new ArgumentException($"No TypeProto for {v.GetType().Name}."),
    };

    /// <summary>A tensor type of unknown shape, or of the given shape when <paramref name="dims"/> is set.</summary>
    public static TypeProto TensorType(DataType type, long[]? dims = null)
    {
        var tt = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (dims is not null)
        {
            tt.Shape = new TensorShapeProto();
            foreach (var d in dims) tt.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new TypeProto { TensorType = tt };
    }
}
