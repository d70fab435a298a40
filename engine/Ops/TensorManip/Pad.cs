using System.Runtime.CompilerServices;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Pad: grows (or, with negative pads, crops) each axis by pads[begin..], pads[end..]. Modes: constant (the
/// constant_value, default 0), reflect (mirror without repeating the edge), edge (repeat the edge), wrap (periodic,
/// opset 19). Opset 1 reads attributes paddings/value, opset 2 pads/value; from 11 pads and constant_value are inputs,
/// from 18 an optional axes input limits the padded axes.
/// </summary>
internal sealed class Pad(PadMode mode, long[]? padsAttribute, float valueAttribute) : TensorOp
{
    public static Pad Create(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        var mode = a.String("mode", "constant") switch
        {
            "constant" => PadMode.Constant,
            "reflect" => PadMode.Reflect,
            "edge" => PadMode.Edge,
            "wrap" when ctx.Opset >= 19 => PadMode.Wrap,
            var m => throw new NotSupportedException($"Pad mode '{m}' is not supported at opset {ctx.Opset}."),
        };
        if (ctx.Opset >= 11) return new(mode, null, 0);
        var pads = a.Ints(ctx.Opset < 2 ? "paddings" : "pads") ?? throw new ArgumentException("Pad needs a pads attribute.");
        return new(mode, pads, a.Float("value", 0));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        int rank = x.Rank;
        var pads = padsAttribute ?? inputs.Req(1).ToInt64Array();
        var axesInput = padsAttribute is null ? IndexMath.ReadInts(inputs.Opt(3)) : null;
        var axes = axesInput is null ? Enumerable.Range(0, rank).ToArray() : IndexMath.NormalizeAxes(axesInput, rank);
        if (pads.Length != 2 * axes.Length)
            throw new ShapeMismatchException($"Pad has {pads.Length} pads for {axes.Length} axes.");

        var before = new long[rank];
        var after = new long[rank];
        for (int i = 0; i < axes.Length; i++)
        {
            before[axes[i]] = pads[i];
            after[axes[i]] = pads[i + axes.Length];
        }
        var outDims = new long[rank];
        var srcLo = new int[rank];
        var dstLo = new int[rank];
        var kept = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            long dim = x.Shape[d];
            outDims[d] = checked(dim + before[d] + after[d]);
            long lo = Math.Max(0, -before[d]), hi = dim - Math.Max(0, -after[d]);
            if (outDims[d] < 0 || hi < lo)
                throw new ShapeMismatchException($"Pads [{string.Join(",", pads)}] crop axis {d} of {ShapeUtil.Format(x.Shape)} below zero.");
            srcLo[d] = (int)lo;
            kept[d] = (int)(hi - lo);
            dstLo[d] = (int)Math.Max(0, before[d]);
        }
        var shape = ShapeUtil.FromInt64(outDims);
        var y = RawTensor.Uninitialized(x.DataType, shape);   // both paths below write every element
        if (y.Length == 0) return [y];

        if (mode == PadMode.Constant)
        {
            TensorCopy.Fill(y, ConstantValue(x.DataType, inputs.Opt(2)), 0);
            TensorCopy.CopyRegion(x, srcLo, y, dstLo, kept);
            return [y];
        }
        var strides = ShapeUtil.Strides(x.Shape);
        var tables = new int[rank][];
        for (int d = 0; d < rank; d++)
        {
            if (kept[d] == 0) throw new ShapeMismatchException($"Pad mode {mode} cannot pad the empty axis {d}.");
            var t = tables[d] = new int[shape[d]];
            for (int i = 0; i < t.Length; i++) t[i] = (srcLo[d] + Source(i - dstLo[d], kept[d])) * strides[d];
        }
        TensorCopy.Gather(x, IndexMath.Offsets(tables), 1, y);
        return [y];
    }

    /// <summary>Where position j (relative to the first kept element; may lie outside [0, n)) reads from.</summary>
    private int Source(int j, int n)
    {
        switch (mode)
        {
            case PadMode.Edge: return Math.Clamp(j, 0, n - 1);
            case PadMode.Wrap: return (j % n + n) % n;
            default:
                if (n == 1) return 0;
                int period = 2 * (n - 1);
                int m = (j % period + period) % period;
                return m < n ? m : period - m;
        }
    }

    private Tensor ConstantValue(DataType type, Tensor? input)
    {
        if (input is { Length: > 0 })
        {
            if (input.DataType != type) throw new ArgumentException("Pad constant_value must have the data's element type.");
            return input;
        }
        var v = Tensor.Create(type, [1]);
        if (valueAttribute != 0) v.SetDouble(0, valueAttribute);
        return v;
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) => TypeRules.SameElementType(inputs, 0, node.OutputCount);
}

/// <summary>How Pad fills the new border.</summary>
internal enum PadMode { Constant, Reflect, Edge, Wrap }
