using NativeInfer.IR;
using NativeInfer.Ops.Fused;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Conv [→ Add (or two-input Sum) of a same-shape tensor (residual)] [→ activation] becomes one <c>ai.nativeinfer:FusedConv</c> whose
/// kernel adds the residual and applies the activation to each output tile while it is still in cache. Activations:
/// Relu, LeakyRelu, Clip (constant bounds), HardSigmoid, Sigmoid, Tanh. float32 only.
/// </summary>
public sealed class ConvActivationFusion : GraphPass
{
    public override string Name => "ConvActivationFusion";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Extended;
    public override string Description => "Fuses Conv with a following residual Add and/or activation into ai.nativeinfer:FusedConv.";

    public override int Run(PassContext ctx)
    {
        int fused = 0;
        Dictionary<string, TypeInfo>? types = null;
        foreach (var conv in ctx.Graph.Nodes.ToList())
        {
            bool isConv = conv.OpType == "Conv" && AffineMath.IsDefaultDomain(conv);
            bool isFused = conv.OpType == FusedConv.OpType && conv.Domain == FusedConv.Domain;
            if (!(isConv || isFused) || conv.Outputs.Length != 1) continue;
            if (isFused && conv.Attributes.String("activation", "") != "") continue; // already ends in an activation
            if (ctx.Constant(conv.Inputs[1]) is not { DataType: DataType.Float }) continue;
            string y = conv.Outputs[0];
            if (!ctx.HasSingleConsumer(y)) continue;
            var next = ctx.Consumers(y)[0];
            if (!AffineMath.IsDefaultDomain(next) || next.Outputs.Length != 1) continue;

            string? residual = null;
            FusedActivation? activation = null;
            Node last = next;
            bool hasResidual = isFused && conv.Inputs.Length > 3 && conv.Inputs[3].Length > 0;
            if ((next.OpType == "Add" || next.OpType == "Sum" && next.Inputs.Length == 2) && !hasResidual)
            {
                if (AffineMath.OtherOperand(next, y) is not { } z || z == y || ctx.IsConstant(z)) continue;
                types ??= ctx.TryInferTypes();
                if (!SameShape(types, y, z)) continue;
                residual = z;
                // Take a following activation too.
                string sum = next.Outputs[0];
                if (ctx.HasSingleConsumer(sum) && Activation(ctx, ctx.Consumers(sum)[0], sum) is { } act)
                {
                    activation = act;
                    last = ctx.Consumers(sum)[0];
                }
            }
            else if (Activation(ctx, next, y) is { } act) activation = act;
            else continue;

            var inputs = new string[residual is null && !hasResidual ? 3 : 4];
            inputs[0] = conv.Inputs[0];
            inputs[1] = conv.Inputs[1];
            inputs[2] = conv.Inputs.Length > 2 ? conv.Inputs[2] : "";
            if (inputs.Length == 4) inputs[3] = residual ?? conv.Inputs[3];
            var attrs = new Attributes(conv.Attributes.All.ToDictionary(kv => kv.Key, kv => kv.Value));
            if (activation is not null)
            {
                attrs.Set("activation", new AttributeValue(AttributeKind.String, activation.Value.Kind.ToString()));
                attrs.Set("activation_params", new AttributeValue(AttributeKind.Floats, new[] { activation.Value.Alpha, activation.Value.Beta }));
            }
            var node = new Node
            {
                Name = conv.Name,
                OpType = FusedConv.OpType,
                Domain = FusedConv.Domain,
                Inputs = inputs,
                Outputs = [last.Outputs[0]],
                Attributes = attrs,
                OpsetVersion = 1,
            };
            ctx.ReplaceNode(conv, node);
            ctx.RemoveNode(next);
            if (last != next) ctx.RemoveNode(last);
            ctx.Record($"{conv.DisplayName} + {next.DisplayName} ({next.OpType})" + (last != next ? $" + {last.DisplayName} ({last.OpType})" : ""));
            fused++;
        }
        return fused;
    }

    private static FusedActivation? Activation(PassContext ctx, Node n, string input)
    {
        if (!AffineMath.IsDefaultDomain(n) || n.Outputs.Length != 1 || n.Inputs.Length == 0 || n.Inputs[0] != input) return null;
        var a = n.Attributes;
        switch (n.OpType)
        {
            case "Relu": return new(ActivationKind.Relu, 0, 0);
            case "Sigmoid": return new(ActivationKind.Sigmoid, 0, 0);
            case "Tanh": return new(ActivationKind.Tanh, 0, 0);
            case "LeakyRelu": return new(ActivationKind.LeakyRelu, a.Float("alpha", 0.01f), 0);
            case "HardSigmoid": return new(ActivationKind.HardSigmoid, a.Float("alpha", 0.2f), a.Float("beta", 0.5f));
            case "Clip":
                return ClipBounds.TryRead(ctx, n, out float lo, out float hi) ? new(ActivationKind.Clip, lo, hi) : null;
            default: return null;
        }
    }

    private static bool SameShape(Dictionary<string, TypeInfo>? types, string a, string b)
    {
        if (types is null || types.GetValueOrDefault(a) is not { ElementType: DataType.Float, Shape: { } sa }
            || types.GetValueOrDefault(b) is not { ElementType: DataType.Float, Shape: { } sb }) return false;
        return sa.Length == sb.Length && sa.Zip(sb).All(p => p.First.IsKnown && p.First.Value == p.Second.Value);
    }
}
