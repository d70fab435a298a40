using NativeInfer.IR;
using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// TopK: the k largest (largest=1) or smallest entries along axis (default -1) and their int64 indices, ordered best
/// first; equal values keep the smaller index first and NaN ranks above every number. k is an attribute at opset 1 and
/// the 1-D input 1 since opset 10. Results are always sorted (sorted=0 leaves the order free). bfloat16 is compared in
/// float32.
/// </summary>
internal sealed class TopK(long axis, long? kAttribute, bool largest) : TensorOp
{
    public static TopK Create(OpBuildContext ctx) => new(
        ctx.Attributes.Int("axis", -1),
        ctx.Opset < 10 ? ctx.Attributes.Int("k") : null,
        ctx.Attributes.Int("largest", 1) != 0);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        long k = kAttribute ?? SingleK(inputs.Req(1));
        int a = ShapeUtil.NormalizeAxis(axis, x.Rank);
        if (x.Rank == 0) throw new ShapeMismatchException("TopK input must have rank 1 or more.");
        if (k < 0 || k > x.Shape[a])
            throw new ArgumentOutOfRangeException("k", $"TopK k={k} is outside [0, {x.Shape[a]}] for axis {a}.");
        var shape = (int[])x.Shape.Clone();
        shape[a] = (int)k;
        var indices = new Tensor<long>(shape);
        var source = x.DataType == DataType.BFloat16 ? TensorConvert.ToFloat(x) : x;
        var values = Dispatch.Numeric<Select, Tensor>(source.DataType, new Select(source, indices, a, largest));
        if (x.DataType == DataType.BFloat16) values = TensorConvert.Convert(values, DataType.BFloat16);
        return [values, indices];
    }

    private static long SingleK(Tensor k) =>
        k.Length == 1 ? k.ToInt64Array()[0] : throw new ShapeMismatchException("TopK k must hold a single value.");

    private readonly struct Select(Tensor x, Tensor<long> indices, int axis, bool largest) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T>
        {
            ReadOnlySpan<T> src = x.As<T>().Span;
            int dim = x.Shape[axis], k = indices.Shape[axis];
            int outer = IndexMath.Product(x.Shape, 0, axis), inner = IndexMath.Product(x.Shape, axis + 1, x.Rank);
            var values = new Tensor<T>((int[])indices.Shape.Clone());
            var vOut = values.Span;
            var iOut = indices.Span;
            var order = new ByValue<T>(new T[dim], largest);
            var slots = new int[dim];
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                {
                    int baseIn = o * dim * inner + i, baseOut = o * k * inner + i;
                    for (int j = 0; j < dim; j++)
                    {
                        order.Values[j] = src[baseIn + j * inner];
                        slots[j] = j;
                    }
                    Array.Sort(slots, order);
                    for (int j = 0; j < k; j++)
                    {
                        vOut[baseOut + j * inner] = order.Values[slots[j]];
                        iOut[baseOut + j * inner] = slots[j];
                    }
                }
            return values;
        }
    }

    /// <summary>Orders slot numbers by their value (best first), then by slot number.</summary>
    private sealed class ByValue<T>(T[] values, bool largest) : IComparer<int> where T : INumber<T>
    {
        public T[] Values { get; } = values;

        public int Compare(int a, int b)
        {
            T va = Values[a], vb = Values[b];
            bool na = T.IsNaN(va), nb = T.IsNaN(vb);
            int c = na || nb ? na.CompareTo(nb) : va < vb ? -1 : va > vb ? 1 : 0;
            if (largest) c = -c;
            return c != 0 ? c : a.CompareTo(b);
        }
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [TypeRules.Like(inputs, 0), TypeInfo.Tensor(DataType.Int64)];
}
