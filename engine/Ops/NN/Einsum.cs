using System.Numerics;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Einsum: Einstein summation over any number of operands. The equation may repeat a label within an operand
/// (diagonal), use one "..." per term (broadcast dims, right-aligned), and omit "->" (implicit output: the ellipsis
/// dims, then the labels used once, in alphabetical order). Operands are contracted left to right as batched GEMMs;
/// labels needed by no later operand nor the output are summed out first.
/// </summary>
internal sealed class Einsum(EinsumEquation equation) : TensorOp
{
    public static Einsum Create(OpBuildContext ctx) => new(EinsumEquation.Parse(ctx.Attributes.String("equation")));

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        if (inputs.Length != equation.Inputs.Length)
            throw new ArgumentException($"Einsum equation has {equation.Inputs.Length} operands but the node has {inputs.Length} inputs.");
        var tensors = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) tensors[i] = inputs.Req(i);
        var type = tensors[0].DataType;
        if (tensors.Any(t => t.DataType != type)) throw new ArgumentException("Einsum operands must share one element type.");
        var computeType = FloatWidening.IsNarrow(type) ? DataType.Float : type;
        var widened = tensors.Select(FloatWidening.Widen).ToArray();
        var y = Dispatch.Numeric<Body, Tensor>(computeType, new Body(equation, widened));
        return [FloatWidening.Narrow(y, type)];
    }

    /// <summary>An intermediate operand: data with one label per dim (labels unique).</summary>
    private sealed record Term<T>(T[] Data, int[] Shape, int[] Labels);

    private readonly struct Body(EinsumEquation eq, Tensor[] inputs) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T>
        {
            var (labels, sizes, output) = eq.Bind(inputs.Select(t => t.Shape).ToArray());
            var terms = new Term<T>[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
                terms[i] = Diagonal(inputs[i].As<T>().ToArray(), inputs[i].Shape, labels[i]);
            Term<T> acc = SumUnneeded(terms[0], Needed(terms, 1, output));
            for (int i = 1; i < terms.Length; i++)
            {
                var next = SumUnneeded(terms[i], Needed(terms, i + 1, output).Union(acc.Labels).ToHashSet());
                acc = Contract(acc, next, Needed(terms, i + 1, output), sizes);
            }
            acc = SumUnneeded(acc, output.ToHashSet());
            // Output labels all appear in acc now; broadcast any size-1 dims to the bound sizes.
            var outShape = output.Select(l => sizes[l]).ToArray();
            var strides = new int[output.Length];
            var accStrides = ShapeUtil.Strides(acc.Shape);
            for (int d = 0; d < output.Length; d++)
            {
                int at = Array.IndexOf(acc.Labels, output[d]);
                strides[d] = acc.Shape[at] == 1 ? 0 : accStrides[at];
            }
            return new Tensor<T>(Gather(acc.Data, strides, outShape), outShape);
        }

        /// <summary>Labels still needed after operand <paramref name="from"/>−1: in later operands or the output.</summary>
        private static HashSet<int> Needed<T>(Term<T>[] terms, int from, int[] output)
        {
            var s = new HashSet<int>(output);
            for (int i = from; i < terms.Length; i++) s.UnionWith(terms[i].Labels);
            return s;
        }
    }

    /// <summary>Collapses repeated labels of one operand onto their diagonal.</summary>
    private static Term<T> Diagonal<T>(T[] data, int[] shape, int[] labels) where T : unmanaged
    {
        var unique = labels.Distinct().ToArray();
        if (unique.Length == labels.Length) return new Term<T>(data, shape, labels);
        var strides = ShapeUtil.Strides(shape);
        var newShape = new int[unique.Length];
        var newStrides = new int[unique.Length];
        for (int u = 0; u < unique.Length; u++)
            for (int d = 0; d < labels.Length; d++)
            {
                if (labels[d] != unique[u]) continue;
                if (newStrides[u] != 0 && newShape[u] != shape[d])
                    throw new ShapeMismatchException("Einsum: a repeated label has different sizes.");
                newShape[u] = shape[d];
                newStrides[u] += strides[d];
            }
        return new Term<T>(Gather(data, newStrides, newShape), newShape, unique);
    }

    /// <summary>Sums out every label not in <paramref name="keep"/>.</summary>
    private static Term<T> SumUnneeded<T>(Term<T> t, HashSet<int> keep) where T : unmanaged, INumber<T>
    {
        if (t.Labels.All(keep.Contains)) return t;
        var keepDims = Enumerable.Range(0, t.Labels.Length).Where(d => keep.Contains(t.Labels[d])).ToArray();
        var outShape = keepDims.Select(d => t.Shape[d]).ToArray();
        var outStrides = ShapeUtil.Strides(outShape);
        var map = new int[t.Labels.Length];
        for (int k = 0; k < keepDims.Length; k++) map[keepDims[k]] = outStrides[k];
        var r = new T[ShapeUtil.ElementCount(outShape)];
        var target = StridedOffsets.Of(t.Shape, map);
        for (int i = 0; i < t.Data.Length; i++) r[target[i]] += t.Data[i];
        return new Term<T>(r, outShape, keepDims.Select(d => t.Labels[d]).ToArray());
    }

    /// <summary>
    /// a ⊗ b summed over their shared labels not in <paramref name="keep"/>: arranged as [batch, M, K]·[batch, K, N]
    /// (batch = shared kept labels) and multiplied with the NN GEMM.
    /// </summary>
    private static Term<T> Contract<T>(Term<T> a, Term<T> b, HashSet<int> keep, Dictionary<int, int> sizes) where T : unmanaged, INumber<T>
    {
        var batch = a.Labels.Where(l => b.Labels.Contains(l) && keep.Contains(l)).ToArray();
        var inner = a.Labels.Where(l => b.Labels.Contains(l) && !keep.Contains(l)).ToArray();
        var aOnly = a.Labels.Where(l => !b.Labels.Contains(l)).ToArray();
        var bOnly = b.Labels.Where(l => !a.Labels.Contains(l)).ToArray();
        int Size(int[] ls) => ShapeUtil.ElementCount(ls.Select(l => sizes[l]).ToArray());
        int nb = Size(batch), m = Size(aOnly), k = Size(inner), n = Size(bOnly);
        var ad = Arrange(a, [.. batch, .. aOnly, .. inner], sizes);
        var bd = Arrange(b, [.. batch, .. inner, .. bOnly], sizes);
        TensorLimits.CheckAllocation((long)nb * m * n, DataTypes.Of<T>());
        var r = new T[nb * m * n];
        for (int i = 0; i < nb; i++)
            MatMulKernel.Gemm(false, false, m, n, k, ad.AsSpan(i * m * k, m * k), k, bd.AsSpan(i * k * n, k * n), n, r.AsSpan(i * m * n, m * n), n);
        int[] labels = [.. batch, .. aOnly, .. bOnly];
        return new Term<T>(r, labels.Select(l => sizes[l]).ToArray(), labels);
    }

    /// <summary>The operand's data permuted to <paramref name="order"/>, size-1 dims broadcast to the bound sizes.</summary>
    private static T[] Arrange<T>(Term<T> t, int[] order, Dictionary<int, int> sizes) where T : unmanaged
    {
        var strides = ShapeUtil.Strides(t.Shape);
        var shape = new int[order.Length];
        var s = new int[order.Length];
        for (int d = 0; d < order.Length; d++)
        {
            int at = Array.IndexOf(t.Labels, order[d]);
            shape[d] = sizes[order[d]];
            s[d] = t.Shape[at] == 1 ? 0 : strides[at];
        }
        return Gather(t.Data, s, shape);
    }

    /// <summary>A new row-major array of <paramref name="shape"/> reading src at Σ index·stride.</summary>
    private static T[] Gather<T>(T[] src, int[] strides, int[] shape) where T : unmanaged
    {
        var offsets = StridedOffsets.Of(shape, strides);
        var r = new T[offsets.Length];
        for (int i = 0; i < r.Length; i++) r[i] = src[offsets[i]];
        return r;
    }
}
