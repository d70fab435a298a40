using System.Globalization;
using NativeInfer.IR;
using NativeInfer.Kernels.Cpu.Conv;
using NativeInfer.Kernels.Cpu.Elementwise;
using NativeInfer.Ops.Fused;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Optimizer.Passes;

/// <summary>
/// Any tree of float32 elementwise nodes of one output shape becomes one <c>ai.nativeinfer:FusedElementwise</c> node
/// whose program evaluates the whole expression block by block (<see cref="FusedEvaluator"/>), so intermediates never
/// reach memory. The program is built from the nodes themselves, not from a list of patterns.
/// <para>
/// Members: unary activations and math (Relu, LeakyRelu, Elu, Selu, Sigmoid, HardSigmoid, HardSwish, Tanh, Exp, Log,
/// Abs, Neg, Sqrt, Reciprocal, Floor, Ceil, Erf, Softplus, Gelu, Swish, Mish, Clip with constant bounds, float→float Cast),
/// Add, Sub, Mul, Div, Max, Min, Sum, PRelu, Pow by a constant 0.5, 2, 3 or -1, inference BatchNormalization with
/// constant statistics (a per-channel multiply-add), and FusedElementwise nodes made earlier (their programs are
/// inlined). A member's value must have one reader, itself a member of the output's shape; values with other readers
/// or graph outputs end the tree. Leaves are any float tensors that broadcast along a contiguous run of axes (full
/// shape, per-channel [C,1,1], [N,C,1,1], ...): scalar constants become immediates. A tree fuses when it has at least
/// two instructions. Activations and residual Adds right after a Conv are left to ConvActivationFusion.
/// </para>
/// </summary>
public sealed class ElementwiseFusion : GraphPass
{
    /// <summary>Most instructions the pass puts in one program (the evaluator allows more).</summary>
    private const int MaxGroupInstructions = 64;

    public override string Name => "ElementwiseFusion";
    public override GraphOptimizationLevel Level => GraphOptimizationLevel.Extended;
    public override string Description => "Fuses trees of float32 elementwise ops (with per-channel/scalar broadcasting) into ai.nativeinfer:FusedElementwise.";

    public override int Run(PassContext ctx)
    {
        var types = ctx.TryInferTypes();
        if (types is null) return 0;
        var analysis = new Analysis(ctx, types);
        var consumed = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<Node>();
        foreach (var node in ctx.Graph.Nodes)
            if (analysis.Template(node) is not null && analysis.AbsorbingReader(node) is null) queue.Enqueue(node);
        int fused = 0;
        while (queue.Count > 0)
        {
            var root = queue.Dequeue();
            if (consumed.Contains(root)) continue;
            var group = new Group(ctx, analysis, consumed, root);
            if (group.TryBuild())
            {
                group.Apply();
                fused++;
            }
            foreach (var refused in group.Refused) queue.Enqueue(refused);
        }
        return fused;
    }

    /// <summary>A node's contribution to a program, over its own operands: <c>Operands</c> are the values (or new
    /// constants) it reads, <c>Code</c> its instructions, <c>Result</c> the local value it outputs (an operand for an
    /// alias such as a float→float Cast).</summary>
    private sealed record Template(Operand[] Operands, LocalInstruction[] Code, int Result);

    /// <summary>A value read by a template: an existing graph value, or a constant to add when the group is built.</summary>
    private readonly record struct Operand(string? Value, Tensor<float>? NewConstant);

    /// <summary>A local reference: operand i (i &lt; operands), instruction i - operands, or an immediate.</summary>
    private readonly record struct Arg(int Local, float Immediate, bool IsImmediate)
    {
        public static Arg Of(int local) => new(local, 0, false);
        public static Arg Imm(float v) => new(0, v, true);
    }

    private sealed record LocalInstruction(FusedOpCode Op, Arg[] Args);

    /// <summary>Per-node facts for one run of the pass (templates are cached: building one may compute constants).</summary>
    private sealed class Analysis(PassContext ctx, Dictionary<string, TypeInfo> types)
    {
        private readonly Dictionary<Node, Template?> _templates = new(ReferenceEqualityComparer.Instance);

        public Dim[]? Shape(string value) =>
            types.GetValueOrDefault(value) is { Kind: ValueKind.Tensor, ElementType: DataType.Float, Shape: { } s } ? s : null;

        public Template? Template(Node node)
        {
            if (!_templates.TryGetValue(node, out var t)) _templates[node] = t = Describe(node);
            return t;
        }

        /// <summary>The member that would absorb <paramref name="node"/> into its tree, or null when node is a root.</summary>
        public Node? AbsorbingReader(Node node)
        {
            string y = node.Outputs[0];
            if (!ctx.HasSingleConsumer(y) || !ctx.OnlyDirectReaders(y)) return null;
            var reader = ctx.Consumers(y)[0];
            if (Template(reader) is not { } t || !t.Operands.Any(o => o.Value == y)) return null;
            return SameShape(Shape(y), Shape(reader.Outputs[0])) ? reader : null;
        }

        private Template? Describe(Node node)
        {
            bool isFused = node.Domain == FusedElementwise.Domain && node.OpType == FusedElementwise.OpType;
            // Gelu and Swish may also be the ai.nativeinfer twins the transformer passes write for older opsets.
            bool twin = node.Domain == TransformerFusedOps.Domain && node.OpType is "Gelu" or "Swish";
            if (!isFused && !twin && node.Domain is not ("" or "ai.onnx")) return null;
            if (node.Outputs.Length == 0 || node.Outputs[0].Length == 0 || node.Outputs.Skip(1).Any(o => o.Length > 0)) return null;
            if (node.Inputs.Length == 0) return null;
            var shape = Shape(node.Outputs[0]);
            if (shape is null || shape.Any(d => !d.IsKnown && d.Symbol is null)) return null;
            var template = isFused ? FromProgram(node) : FromOnnx(node);
            if (template is null) return null;
            foreach (var o in template.Operands)
            {
                if (o.Value is null) continue;
                if (Shape(o.Value) is not { } s || !Streamable(s, shape)) return null;
            }
            if (TakenByConvFusion(node) || TakenByAffineFolding(node)) return null;
            return template;
        }

        private Template? FromOnnx(Node n)
        {
            var a = n.Attributes;
            string x = n.Inputs[0];
            Template Unary(FusedOpCode op, params float[] parameters) =>
                new([new Operand(x, null)], [new LocalInstruction(op, [Arg.Of(0), .. parameters.Select(Arg.Imm)])], 1);
            switch (n.OpType)
            {
                case "Relu": return Unary(FusedOpCode.Relu);
                case "Sigmoid": return Unary(FusedOpCode.Sigmoid);
                case "HardSwish": return Unary(FusedOpCode.HardSwish);
                case "Tanh": return Unary(FusedOpCode.Tanh);
                case "Exp": return Unary(FusedOpCode.Exp);
                case "Log": return Unary(FusedOpCode.Log);
                case "Abs": return Unary(FusedOpCode.Abs);
                case "Neg": return Unary(FusedOpCode.Neg);
                case "Sqrt": return Unary(FusedOpCode.Sqrt);
                case "Reciprocal": return Unary(FusedOpCode.Reciprocal);
                case "Floor": return Unary(FusedOpCode.Floor);
                case "Ceil": return Unary(FusedOpCode.Ceil);
                case "Erf": return Unary(FusedOpCode.Erf);
                case "Softplus": return Unary(FusedOpCode.Softplus);
                case "Mish": return Unary(FusedOpCode.Mish);
                case "LeakyRelu": return Unary(FusedOpCode.LeakyRelu, a.Float("alpha", 0.01f));
                case "Elu": return Unary(FusedOpCode.Elu, a.Float("alpha", 1f));
                case "Selu": return Unary(FusedOpCode.Selu, a.Float("alpha", 1.67326319217681884765625f), a.Float("gamma", 1.05070102214813232421875f));
                case "HardSigmoid": return Unary(FusedOpCode.HardSigmoid, a.Float("alpha", 0.2f), a.Float("beta", 0.5f));
                case "Gelu":
                    return a.String("approximate", "none") switch
                    {
                        "none" => Unary(FusedOpCode.Gelu),
                        "tanh" => Unary(FusedOpCode.GeluTanh),
                        _ => null,
                    };
                case "Swish":
                    // x * sigmoid(alpha * x)
                    float alpha = a.Float("alpha", 1f);
                    return alpha == 1f
                        ? new Template([new Operand(x, null)],
                            [new LocalInstruction(FusedOpCode.Sigmoid, [Arg.Of(0)]), new LocalInstruction(FusedOpCode.Mul, [Arg.Of(0), Arg.Of(1)])], 2)
                        : new Template([new Operand(x, null)],
                            [new LocalInstruction(FusedOpCode.Mul, [Arg.Of(0), Arg.Imm(alpha)]), new LocalInstruction(FusedOpCode.Sigmoid, [Arg.Of(1)]),
                             new LocalInstruction(FusedOpCode.Mul, [Arg.Of(0), Arg.Of(2)])], 3);
                case "Clip": return ClipBounds(n) is var (lo, hi) ? Unary(FusedOpCode.Clip, lo, hi) : null;
                case "Pow":
                    if (n.Inputs.Length != 2 || ctx.Constant(n.Inputs[1]) is not { Length: 1 } e
                        || e.DataType is DataType.String or DataType.Bool) return null;
                    float p = (float)e.GetDouble(0);
                    return FusedOps.IsSupportedExponent(p) && p == e.GetDouble(0) ? Unary(FusedOpCode.Pow, p) : null;
                case "Cast":
                    return a.All.TryGetValue("to", out var to) && to.Kind == AttributeKind.Int && (long)to.Value == (long)DataType.Float
                        && types.GetValueOrDefault(x)?.ElementType == DataType.Float
                        ? new Template([new Operand(x, null)], [], 0) : null;
                case "Add": return Binary(n, FusedOpCode.Add);
                case "Sub": return Binary(n, FusedOpCode.Sub);
                case "Mul": return Binary(n, FusedOpCode.Mul);
                case "Div": return Binary(n, FusedOpCode.Div);
                case "PRelu": return Binary(n, FusedOpCode.PRelu);
                case "Max": return Chain(n, FusedOpCode.Max);
                case "Min": return Chain(n, FusedOpCode.Min);
                case "Sum": return Chain(n, FusedOpCode.Add);
                case "BatchNormalization": return BatchNorm(n);
                default: return null;
            }
        }

        private static Template? Binary(Node n, FusedOpCode op) =>
            n.Inputs.Length == 2 ? Chain(n, op) : null;

        /// <summary>op(op(x0, x1), x2)...: the left fold the variadic ops compute.</summary>
        private static Template? Chain(Node n, FusedOpCode op)
        {
            int k = n.Inputs.Length;
            if (k < 1 || n.Inputs.Any(i => i.Length == 0)) return null;
            var operands = n.Inputs.Select(i => new Operand(i, null)).ToArray();
            var code = new LocalInstruction[k - 1];
            for (int i = 1; i < k; i++)
                code[i - 1] = new LocalInstruction(op, [Arg.Of(i == 1 ? 0 : k + i - 2), Arg.Of(i)]);
            return new Template(operands, code, k == 1 ? 0 : 2 * k - 2);
        }

        private (float Lo, float Hi)? ClipBounds(Node n)
        {
            if (n.OpsetVersion < 11)
                return (n.Attributes.Has("min") ? n.Attributes.Float("min") : float.NegativeInfinity,
                    n.Attributes.Has("max") ? n.Attributes.Float("max") : float.PositiveInfinity);
            float lo = float.NegativeInfinity, hi = float.PositiveInfinity;
            if (n.Inputs.Length > 1 && n.Inputs[1].Length > 0)
            {
                if (ctx.Constant(n.Inputs[1]) is not { DataType: DataType.Float, Length: 1 } t) return null;
                lo = t.As<float>()[0];
            }
            if (n.Inputs.Length > 2 && n.Inputs[2].Length > 0)
            {
                if (ctx.Constant(n.Inputs[2]) is not { DataType: DataType.Float, Length: 1 } t) return null;
                hi = t.As<float>()[0];
            }
            return (lo, hi);
        }

        /// <summary>Inference BatchNormalization with constant statistics: x·scale' + shift per channel (axis 1).</summary>
        private Template? BatchNorm(Node n)
        {
            if (n.Inputs.Length != 5 || n.Outputs.Length > 1 && n.Outputs.Skip(1).Any(o => o.Length > 0)) return null;
            if (n.OpsetVersion >= 14 && n.Attributes.Int("training_mode", 0) != 0) return null;
            if (n.OpsetVersion < 9 && n.Attributes.Int("spatial", 1) == 0) return null;
            if (Shape(n.Inputs[0]) is not { Length: >= 2 } xs || !xs[1].IsKnown) return null;
            int c = (int)xs[1].Value;
            var p = new float[4][];
            for (int i = 0; i < 4; i++)
            {
                if (ctx.Constant(n.Inputs[i + 1]) is not { DataType: DataType.Float, Rank: 1 } t || t.Length != c) return null;
                p[i] = t.As<float>().Span.ToArray();
            }
            var scale = new float[c];
            var shift = new float[c];
            ChannelAffine.FoldBatchNorm(p[0], p[1], p[2], p[3], n.Attributes.Float("epsilon", 1e-5f), scale, shift);
            var shape = new int[xs.Length - 1];
            Array.Fill(shape, 1);
            shape[0] = c;
            return new Template(
                [new Operand(n.Inputs[0], null), new Operand(null, new Tensor<float>(scale, shape)), new Operand(null, new Tensor<float>(shift, (int[])shape.Clone()))],
                [new LocalInstruction(FusedOpCode.Affine, [Arg.Of(0), Arg.Of(1), Arg.Of(2)])], 3);
        }

        private static Template? FromProgram(Node n)
        {
            var a = n.Attributes;
            if (a.Ints("opcodes") is not { } opcodes || a.Ints("operands") is not { } operands) return null;
            var immediates = a.Floats("immediates") ?? [];
            int inputs = n.Inputs.Length;
            try
            {
                FusedProgram.Create(inputs, opcodes, operands, immediates);   // validates every reference below
            }
            catch (ArgumentException)
            {
                return null;
            }
            var code = new LocalInstruction[opcodes.Length];
            for (int i = 0; i < opcodes.Length; i++)
            {
                var op = (FusedOpCode)opcodes[i];
                var args = new Arg[FusedOps.Operands(op) + FusedOps.Parameters(op)];
                for (int s = 0; s < args.Length; s++)
                {
                    long r = operands[3 * i + s];
                    args[s] = r < 0 ? Arg.Imm(immediates[-r - 1]) : Arg.Of((int)r);
                }
                code[i] = new LocalInstruction(op, args);
            }
            return new Template(n.Inputs.Select(i => new Operand(i, null)).ToArray(), code, inputs + opcodes.Length - 1);
        }

        /// <summary>
        /// True for a Mul or Add by a per-channel constant of a Conv's or BatchNormalization's sole output: the folding
        /// passes (Basic) merge it into that node's weights, possibly only in the next round.
        /// </summary>
        private bool TakenByAffineFolding(Node n)
        {
            if (n.OpType is not ("Mul" or "Add") || n.Inputs.Length != 2) return false;
            for (int i = 0; i < 2; i++)
            {
                string v = n.Inputs[i];
                if (ctx.Constant(n.Inputs[1 - i]) is not { DataType: DataType.Float } c) continue;
                if (!ctx.HasSingleConsumer(v) || ctx.Producer(v) is not { OpType: "Conv" or "BatchNormalization", Domain: "" or "ai.onnx" }) continue;
                if (Shape(v) is { Length: >= 2 } s && s[1].IsKnown && AffineMath.PerChannel(c, (int)s[1].Value, s.Length) is not null) return true;
            }
            return false;
        }

        /// <summary>
        /// True for an activation or residual Add that reads a Conv's sole output: ConvActivationFusion (which runs
        /// before this pass) takes those into the convolution's epilogue.
        /// </summary>
        private bool TakenByConvFusion(Node n)
        {
            if (n.OpType is not ("Relu" or "LeakyRelu" or "Clip" or "HardSigmoid" or "Sigmoid" or "Tanh" or "Add" or "Sum")) return false;
            bool activation = n.OpType is not ("Add" or "Sum");
            foreach (var v in activation ? n.Inputs.Take(1) : n.Inputs)
            {
                if (v.Length == 0 || !ctx.HasSingleConsumer(v) || ctx.Producer(v) is not { } p) continue;
                bool conv = p.OpType == "Conv" && p.Domain is "" or "ai.onnx" && p.Inputs.Length > 1 && ctx.IsConstant(p.Inputs[1]);
                bool fusedConv = p.OpType == FusedConv.OpType && p.Domain == FusedConv.Domain && p.Attributes.String("activation", "") == "";
                bool hasResidual = fusedConv && p.Inputs.Length > 3 && p.Inputs[3].Length > 0;
                if (!activation)
                {
                    // ConvActivationFusion takes an Add only with a same-shape, non-constant other operand.
                    if (hasResidual || n.Inputs.Length != 2 || n.Inputs[0] == n.Inputs[1]) continue;
                    string other = n.Inputs[0] == v ? n.Inputs[1] : n.Inputs[0];
                    if (ctx.IsConstant(other) || !SameShape(Shape(other), Shape(v))) continue;
                }
                if (conv || fusedConv) return true;
            }
            return false;
        }
    }

    /// <summary>True when dims are equal: the same known size or the same symbol.</summary>
    private static bool SameDim(Dim a, Dim b) => a.IsKnown ? b.IsKnown && a.Value == b.Value : a.Symbol is not null && a.Symbol == b.Symbol;

    private static bool SameShape(Dim[]? a, Dim[]? b) =>
        a is not null && b is not null && a.Length == b.Length && a.Zip(b).All(p => SameDim(p.First, p.Second));

    /// <summary>
    /// True when a value of shape <paramref name="x"/> broadcasts to <paramref name="output"/> along one contiguous run of
    /// axes (the form <see cref="FusedOperand.TryDescribe"/> streams); size-1 output axes are ignored.
    /// </summary>
    private static bool Streamable(Dim[] x, Dim[] output)
    {
        int offset = output.Length - x.Length;
        if (offset < 0) return false;
        int phase = 0;
        for (int d = 0; d < output.Length; d++)
        {
            var od = output[d];
            var xd = d >= offset ? x[d - offset] : Dim.Known(1);
            bool xOne = xd.IsKnown && xd.Value == 1;
            if (od.IsKnown && od.Value == 1)
            {
                if (!xOne) return false;
                continue;
            }
            if (SameDim(xd, od))
            {
                if (phase == 2) return false;
                phase = 1;
            }
            else if (xOne)
            {
                if (phase == 1) phase = 2;
            }
            else return false;
        }
        return true;
    }

    /// <summary>One tree being collected from its root, then written as a FusedElementwise node.</summary>
    private sealed class Group(PassContext ctx, Analysis analysis, HashSet<Node> consumed, Node root)
    {
        private enum RefKind { Input, Instruction, Immediate }
        private readonly record struct Ref(RefKind Kind, int Index);

        private readonly List<Operand> _inputs = new();
        private readonly Dictionary<string, int> _inputIndex = new();
        private readonly List<float> _immediates = new();
        private readonly List<(FusedOpCode Op, Ref[] Args)> _code = new();
        private readonly Dictionary<string, Ref> _memberValues = new();
        private readonly List<Node> _members = new();
        private readonly Dim[] _shape = analysis.Shape(root.Outputs[0])!;

        /// <summary>Producers that could have joined but did not fit; they may root trees of their own.</summary>
        public List<Node> Refused { get; } = new();

        public bool TryBuild()
        {
            Emit(root);
            return _members.Count >= 2 && _code.Count >= 2 && _code.Count <= MaxGroupInstructions && _inputs.Count <= FusedProgram.MaxInputs
                && _memberValues[root.Outputs[0]].Kind == RefKind.Instruction
                && _memberValues[root.Outputs[0]].Index == _code.Count - 1;
        }

        private Ref Emit(Node node)
        {
            _members.Add(node);
            var t = analysis.Template(node)!;
            var locals = new Ref[t.Operands.Length + t.Code.Length];
            for (int i = 0; i < t.Operands.Length; i++) locals[i] = Resolve(t.Operands[i]);
            for (int i = 0; i < t.Code.Length; i++)
            {
                var li = t.Code[i];
                var args = li.Args.Select(a => a.IsImmediate ? Immediate(a.Immediate) : locals[a.Local]).ToArray();
                _code.Add((li.Op, args));
                locals[t.Operands.Length + i] = new Ref(RefKind.Instruction, _code.Count - 1);
            }
            var result = locals[t.Result];
            _memberValues[node.Outputs[0]] = result;
            return result;
        }

        private Ref Resolve(Operand o)
        {
            if (o.NewConstant is { } c)
                return c.Length == 1 ? Immediate(c.Span[0]) : AddInput(o, null);
            string v = o.Value!;
            if (_memberValues.TryGetValue(v, out var known)) return known;
            if (_inputIndex.TryGetValue(v, out int index)) return new Ref(RefKind.Input, index);
            if (ctx.Producer(v) is { } p && !consumed.Contains(p) && analysis.Template(p) is { } pt
                && SameShape(analysis.Shape(v), _shape) && IsAbsorbable(p, v))
            {
                if (_code.Count + pt.Code.Length <= MaxGroupInstructions && _inputs.Count + pt.Operands.Length <= FusedProgram.MaxInputs)
                    return Emit(p);
                Refused.Add(p);
            }
            if (ctx.Constant(v) is { DataType: DataType.Float, Length: 1 } scalar) return Immediate(scalar.As<float>()[0]);
            return AddInput(o, v);
        }

        private bool IsAbsorbable(Node p, string v) =>
            p.Outputs[0] == v && ctx.HasSingleConsumer(v) && ctx.OnlyDirectReaders(v) && !_members.Contains(p);

        private Ref AddInput(Operand o, string? name)
        {
            _inputs.Add(o);
            if (name is not null) _inputIndex[name] = _inputs.Count - 1;
            return new Ref(RefKind.Input, _inputs.Count - 1);
        }

        private Ref Immediate(float v)
        {
            int i = _immediates.FindIndex(x => x.Equals(v));
            if (i < 0)
            {
                _immediates.Add(v);
                i = _immediates.Count - 1;
            }
            return new Ref(RefKind.Immediate, i);
        }

        public void Apply()
        {
            var names = _inputs.Select(o => o.Value ?? ctx.AddConstant(root.Outputs[0] + "_c", o.NewConstant!)).ToArray();
            int inputs = names.Length;
            var opcodes = new long[_code.Count];
            var operands = new long[3 * _code.Count];
            for (int i = 0; i < _code.Count; i++)
            {
                opcodes[i] = (long)_code[i].Op;
                for (int s = 0; s < _code[i].Args.Length; s++)
                {
                    var r = _code[i].Args[s];
                    operands[3 * i + s] = r.Kind switch
                    {
                        RefKind.Input => r.Index,
                        RefKind.Instruction => inputs + r.Index,
                        _ => -(r.Index + 1),
                    };
                }
            }
            var program = FusedProgram.Create(inputs, opcodes, operands, _immediates.ToArray());
            string expression = program.Format(InputName);
            var attrs = new Attributes();
            attrs.Set("opcodes", new AttributeValue(AttributeKind.Ints, opcodes));
            attrs.Set("operands", new AttributeValue(AttributeKind.Ints, operands));
            if (_immediates.Count > 0) attrs.Set("immediates", new AttributeValue(AttributeKind.Floats, _immediates.ToArray()));
            attrs.Set("expression", new AttributeValue(AttributeKind.String, expression));
            var node = new Node
            {
                Name = root.Name,
                OpType = FusedElementwise.OpType,
                Domain = FusedElementwise.Domain,
                Inputs = names,
                Outputs = [root.Outputs[0]],
                Attributes = attrs,
                OpsetVersion = 1,
            };
            ctx.ReplaceNode(root, node);
            foreach (var m in _members)
            {
                consumed.Add(m);
                if (!ReferenceEquals(m, root)) ctx.RemoveNode(m);
            }
            consumed.Add(node);
            var described = _members.AsEnumerable().Reverse().Select(m => $"{m.DisplayName} ({m.OpType})");
            ctx.Record($"{string.Join(" + ", described)}: {expression}");
        }

        private string InputName(int i)
        {
            var o = _inputs[i];
            var shape = o.Value is not null ? analysis.Shape(o.Value) : o.NewConstant!.Shape.Select(d => Dim.Known(d)).ToArray();
            if (SameShape(shape, _shape)) return $"x{i}";
            bool constant = o.NewConstant is not null || ctx.IsConstant(o.Value!);
            bool perChannel = shape is not null && _shape.Length >= 3 && shape.Length >= _shape.Length - 1
                && Enumerable.Range(0, shape.Length).All(d =>
                {
                    int axis = d + _shape.Length - shape.Length;
                    return axis == 1 ? SameDim(shape[d], _shape[1]) : shape[d].IsKnown && shape[d].Value == 1;
                });
            return (constant ? "c" : "b") + i.ToString(CultureInfo.InvariantCulture) + (perChannel ? "[ch]" : "[bcast]");
        }
    }
}
