using NativeInfer.Errors;
using NativeInfer.IR;
using IRGraph = NativeInfer.IR.Graph;

namespace NativeInfer.Onnx.Import;

/// <summary>
/// Expands ai.onnx.preview.training Gradient nodes into backward nodes (reverse-mode differentiation over the graph
/// that computes <c>y</c> from <c>xs</c>). Differentiable here: Add, Sub, Mul, Div, Neg, Identity, on operands of equal
/// shape (no broadcast reduction yet). Anything else on the path refuses the model with the op named.
/// </summary>
internal static class GradientExpansion
{
    public const string TrainingDomain = "ai.onnx.preview.training";

    public static void Expand(IRGraph g, int opset)
    {
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            var node = g.Nodes[i];
            if (node.Domain != TrainingDomain || node.OpType != "Gradient") continue;
            var xs = node.Attributes.Strings("xs") ?? throw Bad(node, "attribute 'xs' is missing");
            var y = node.Attributes.String("y", "");
            if (y.Length == 0) throw Bad(node, "attribute 'y' is missing");
            if (node.Outputs.Length != xs.Length) throw Bad(node, $"{xs.Length} xs but {node.Outputs.Length} outputs");
            var backward = Backward(g, node, xs, y, opset);
            g.Nodes.RemoveAt(i);
            g.Nodes.InsertRange(i, backward);
            i += backward.Count - 1;
        }
    }

    private static List<Node> Backward(IRGraph g, Node gradient, string[] xs, string y, int opset)
    {
        var producer = new Dictionary<string, Node>();
        foreach (var n in g.Nodes) foreach (var o in n.Outputs) if (o.Length > 0) producer[o] = n;
        var emitted = new List<Node>();
        string prefix = $"{gradient.DisplayName}/grad";
        int counter = 0;
        string Emit(string op, params string[] inputs) => EmitWith(op, new Attributes(), inputs);
        string EmitWith(string op, Attributes attributes, params string[] inputs)
        {
            string name = $"{prefix}/{op}_{counter++}";
            emitted.Add(new Node { Name = name, OpType = op, Inputs = inputs, Outputs = [name], OpsetVersion = opset, Attributes = attributes });
            return name;
        }
        var zeroAttr = new Attributes();
        zeroAttr.Set("value_float", new AttributeValue(AttributeKind.Float, 0f));
        string zero = EmitWith("Constant", zeroAttr);
        // x^0 = 1 for every x (NaN and infinities included): a ones tensor with x's shape and type.
        string OnesLike(string x) => Emit("Pow", x, zero);

        // Nodes between xs and y, in reverse dependency order (depth-first from y).
        var order = new List<Node>();
        var visited = new HashSet<Node>();
        void Visit(string value)
        {
            if (!producer.TryGetValue(value, out var n) || !visited.Add(n)) return;
            foreach (var input in n.Inputs) if (input.Length > 0) Visit(input);
            order.Add(n);
        }
        Visit(y);
        order.Reverse();

        var grads = new Dictionary<string, string>();
        void Accumulate(string value, string grad) =>
            grads[value] = grads.TryGetValue(value, out var existing) ? Emit("Add", existing, grad) : grad;

        // dy/dy = 1, shaped like y.
        grads[y] = OnesLike(y);
        foreach (var n in order)
        {
            string? go = n.Outputs.Length > 0 && grads.TryGetValue(n.Outputs[0], out var v) ? v : null;
            if (go is null) continue;
            switch (n.OpType)
            {
                case "Identity": Accumulate(n.Inputs[0], go); break;
                case "Neg": Accumulate(n.Inputs[0], Emit("Neg", go)); break;
                case "Add": Accumulate(n.Inputs[0], go); Accumulate(n.Inputs[1], go); break;
                case "Sub": Accumulate(n.Inputs[0], go); Accumulate(n.Inputs[1], Emit("Neg", go)); break;
                case "Mul":
                    Accumulate(n.Inputs[0], Emit("Mul", go, n.Inputs[1]));
                    Accumulate(n.Inputs[1], Emit("Mul", go, n.Inputs[0]));
                    break;
                case "Div":
                    Accumulate(n.Inputs[0], Emit("Div", go, n.Inputs[1]));
                    Accumulate(n.Inputs[1], Emit("Neg", Emit("Div", Emit("Mul", go, n.Outputs[0]), n.Inputs[1])));
                    break;
                default:
                    throw Bad(gradient, $"cannot differentiate through {n.OpType} (node '{n.DisplayName}')");
            }
        }
        for (int k = 0; k < xs.Length; k++)
        {
            if (gradient.Outputs[k].Length == 0) continue;
            // An x that y does not depend on has a zero gradient.
            string grad = grads.TryGetValue(xs[k], out var gx) ? gx : Emit("Sub", OnesLike(xs[k]), OnesLike(xs[k]));
            emitted.Add(new Node
            {
                Name = $"{prefix}/out_{k}", OpType = "Identity", Inputs = [grad], Outputs = [gradient.Outputs[k]], OpsetVersion = opset,
            });
        }
        return emitted;
    }

    private static ModelLoadException Bad(Node n, string why) =>
        new(ModelLoadError.UnsupportedOperator, $"{TrainingDomain}:Gradient at node '{n.DisplayName}': {why}.");
}
