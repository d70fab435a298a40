using NativeInfer.Ops;
using NativeInfer.Tensors;

namespace NativeInfer.IR;

/// <summary>
/// Shape/type rules for ops that do not implement <see cref="Op.InferOutputs"/> themselves: the common CNN and
/// elementwise ops. Symbolic dims pass through; arithmetic on a symbolic dim gives an unknown dim.
/// </summary>
public static class ShapeRules
{
    private static readonly HashSet<string> s_unary =
    [
        "Abs", "Neg", "Sqrt", "Exp", "Log", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh",
        "Atanh", "Sigmoid", "Tanh", "Relu", "Elu", "Selu", "Celu", "LeakyRelu", "HardSigmoid", "HardSwish", "Softplus",
        "Softsign", "Mish", "Gelu", "Swish", "ThresholdedRelu", "Shrink", "Erf", "Sign", "Floor", "Ceil", "Round",
        "Reciprocal", "Identity", "Dropout", "Softmax", "LogSoftmax", "Hardmax", "LRN", "BatchNormalization",
        "InstanceNormalization", "LayerNormalization", "RMSNormalization", "Clip", "BitwiseNot", "CumSum",
        "MeanVarianceNormalization", "LpNormalization",
    ];

    private static readonly HashSet<string> s_broadcast =
    [
        "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "PRelu", "BitShift", "BitwiseAnd",
        "BitwiseOr", "BitwiseXor",
    ];

    private static readonly HashSet<string> s_compare = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"];

    public static TypeInfo?[]? Infer(OpBuildContext ctx, TypeInfo?[] inputs)
    {
        if (ctx.Node.Domain.Length != 0) return null;
        string op = ctx.Node.OpType;
        var x = inputs.Length > 0 ? inputs[0] : null;
        if (s_unary.Contains(op)) return x is null ? null : [x];
        if (s_broadcast.Contains(op)) return Broadcast(inputs, x?.ElementType);
        if (s_compare.Contains(op)) return Broadcast(inputs, DataType.Bool);
        if (op == "Not" || op == "IsNaN" || op == "IsInf") return x is null ? null : [x with { ElementType = DataType.Bool }];
        if (op == "Where") return Broadcast(inputs, inputs.Length > 1 ? inputs[1]?.ElementType : null);
        if (op == "Cast" && x is not null) return [x with { ElementType = (DataType)ctx.Attributes.Int("to") }];
        if (x?.Shape is null) return null;
        var s = x.Shape;
        return op switch
        {
            "Conv" or "MaxPool" or "AveragePool" or "LpPool" => Pool(ctx, x, inputs, op == "Conv"),
            "GlobalAveragePool" or "GlobalMaxPool" or "GlobalLpPool" =>
                [x with { Shape = s.Select((d, i) => i < 2 ? d : Dim.Known(1)).ToArray() }],
            "Flatten" => Flatten(ctx, x),
            "Gemm" => Gemm(ctx, x, inputs),
            "MatMul" => MatMul(x, inputs),
            "Transpose" => Transpose(ctx, x),
            "Shape" => [TypeInfo.Tensor(DataType.Int64, [Dim.Known(s.Length)])],
            "Reshape" => Reshape(ctx, x),
            _ => null,
        };
    }

    private static TypeInfo?[]? Broadcast(TypeInfo?[] inputs, DataType? type)
    {
        if (type is null || inputs.Any(i => i?.Shape is null)) return null;
        int rank = inputs.Max(i => i!.Shape!.Length);
        var r = new Dim[rank];
        for (int d = 0; d < rank; d++)
        {
            Dim acc = Dim.Known(1);
            foreach (var i in inputs)
            {
                var sh = i!.Shape!;
                int k = d - (rank - sh.Length);
                if (k < 0) continue;
                var v = sh[k];
                if (v.IsKnown && v.Value == 1) continue;
                if (acc.IsKnown && acc.Value == 1) acc = v;
                else if (acc.IsKnown && v.IsKnown && acc.Value != v.Value)
                    throw new ShapeMismatchException($"dims {acc} and {v} cannot broadcast");
                else if (!acc.IsKnown && v.IsKnown) acc = v;
            }
            r[d] = acc;
        }
        return [TypeInfo.Tensor(type.Value, r)];
    }

    private static TypeInfo?[]? Pool(OpBuildContext ctx, TypeInfo x, TypeInfo?[] inputs, bool conv)
    {
        var s = x.Shape!;
        int spatial = s.Length - 2;
        if (spatial < 1) return null;
        long[]? kernel = ctx.Attributes.Ints("kernel_shape");
        if (kernel is null && conv && inputs.Length > 1 && inputs[1]?.Shape is { } w && w.Skip(2).All(d => d.IsKnown))
            kernel = w.Skip(2).Select(d => d.Value).ToArray();
        if (kernel is null) return null;
        if (ctx.Attributes.String("auto_pad", "NOTSET") is not ("NOTSET" or "")) return [x with { Shape = null }];
        var strides = ctx.Attributes.Ints("strides") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var dil = ctx.Attributes.Ints("dilations") ?? Enumerable.Repeat(1L, spatial).ToArray();
        var pads = ctx.Attributes.Ints("pads") ?? new long[2 * spatial];
        bool ceil = ctx.Attributes.Int("ceil_mode", 0) != 0;
        var r = new Dim[s.Length];
        r[0] = s[0];
        r[1] = conv ? (inputs.Length > 1 && inputs[1]?.Shape is { } ws ? ws[0] : Dim.Unknown) : s[1];
        for (int i = 0; i < spatial; i++)
        {
            var d = s[i + 2];
            if (!d.IsKnown) { r[i + 2] = Dim.Unknown; continue; }
            long span = dil[i] * (kernel[i] - 1) + 1;
            double n = (double)(d.Value + pads[i] + pads[i + spatial] - span) / strides[i];
            r[i + 2] = Dim.Known((long)(ceil ? Math.Ceiling(n) : Math.Floor(n)) + 1);
        }
        return conv || ctx.OutputCount == 1 ? [x with { Shape = r }] : [x with { Shape = r }, TypeInfo.Tensor(DataType.Int64, r)];
    }

    private static TypeInfo?[] Flatten(OpBuildContext ctx, TypeInfo x)
    {
        var s = x.Shape!;
        int axis = (int)ctx.Attributes.Int("axis", 1);
        if (axis < 0) axis += s.Length;
        Dim Prod(IEnumerable<Dim> dims) => dims.All(d => d.IsKnown) ? Dim.Known(dims.Aggregate(1L, (a, d) => a * d.Value)) : Dim.Unknown;
        var outer = s.Take(axis).ToArray();
        return [x with { Shape = [outer.Length == 1 ? outer[0] : Prod(outer), Prod(s.Skip(axis))] }];
    }

    private static TypeInfo?[]? Gemm(OpBuildContext ctx, TypeInfo a, TypeInfo?[] inputs)
    {
        if (inputs.Length < 2 || inputs[1]?.Shape is not { Length: 2 } b || a.Shape!.Length != 2) return null;
        var m = ctx.Attributes.Int("transA", 0) != 0 ? a.Shape[1] : a.Shape[0];
        var n = ctx.Attributes.Int("transB", 0) != 0 ? b[0] : b[1];
        return [a with { Shape = [m, n] }];
    }

    private static TypeInfo?[]? MatMul(TypeInfo a, TypeInfo?[] inputs)
    {
        if (inputs.Length < 2 || inputs[1]?.Shape is not { } b || a.Shape!.Length < 2 || b.Length < 2) return null;
        var batchA = a.Shape[..^2];
        var batchB = b[..^2];
        var batch = Broadcast([a with { Shape = batchA }, a with { Shape = batchB }], a.ElementType)![0]!.Shape!;
        return [a with { Shape = [.. batch, a.Shape[^2], b[^1]] }];
    }

    private static TypeInfo?[]? Transpose(OpBuildContext ctx, TypeInfo x)
    {
        var s = x.Shape!;
        var perm = ctx.Attributes.Ints("perm") ?? Enumerable.Range(0, s.Length).Reverse().Select(i => (long)i).ToArray();
        return perm.Length == s.Length ? [x with { Shape = perm.Select(p => s[p]).ToArray() }] : null;
    }

    private static TypeInfo?[]? Reshape(OpBuildContext ctx, TypeInfo x)
    {
        var shapeTensor = ctx.ConstantInput(1);
        if (shapeTensor is null) return null;
        var target = shapeTensor.ToInt64Array();
        var s = x.Shape!;
        bool allowZero = ctx.Attributes.Int("allowzero", 0) != 0;
        var r = new Dim[target.Length];
        int infer = -1;
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] == 0 && !allowZero) r[i] = i < s.Length ? s[i] : Dim.Unknown;
            else if (target[i] == -1) infer = i;
            else r[i] = Dim.Known(target[i]);
        }
        if (infer >= 0)
        {
            bool known = s.All(d => d.IsKnown) && r.Where((_, i) => i != infer).All(d => d.IsKnown);
            long total = known ? s.Aggregate(1L, (a, d) => a * d.Value) : 0;
            long rest = known ? r.Where((_, i) => i != infer).Aggregate(1L, (a, d) => a * d.Value) : 0;
            r[infer] = known && rest > 0 ? Dim.Known(total / rest) : Dim.Unknown;
        }
        return [x with { Shape = r }];
    }
}
