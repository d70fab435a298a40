using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Unique: the distinct elements (no axis: of the flattened input) or distinct slices along axis, in ascending order
/// (sorted=1, default; slices compare lexicographically) or in order of first occurrence (sorted=0). Outputs Y, the
/// int64 index of each one's first occurrence, the int64 inverse index of every input element/slice into Y, and the
/// int64 counts. Strings compare ordinally.
/// </summary>
internal sealed class Unique(long? axis, bool sorted) : TensorOp
{
    public static Unique Create(OpBuildContext ctx) =>
        new(ctx.Attributes.Has("axis") ? ctx.Attributes.Int("axis") : null, ctx.Attributes.Int("sorted", 1) != 0);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        Tensor items;
        int[] perm = [];
        if (axis is null) items = x.Reshape([x.Length]);
        else
        {
            int a = ShapeUtil.NormalizeAxis(axis.Value, x.Rank);
            perm = [a, .. Enumerable.Range(0, x.Rank).Where(d => d != a)];
            items = TensorCopy.Permute(x, x.Shape, perm);
        }
        int n = items.Shape[0];
        int width = IndexMath.Product(items.Shape, 1, items.Rank);
        var groups = Dispatch.Any<Group, int[][]>(x.DataType, new Group(items, n, width, sorted));
        int[] first = groups[0], inverse = groups[1], counts = groups[2];

        var starts = new int[first.Length];
        for (int g = 0; g < first.Length; g++) starts[g] = first[g] * width;
        var yShape = (int[])items.Shape.Clone();
        yShape[0] = first.Length;
        var y = Tensor.Create(x.DataType, yShape);
        TensorCopy.Gather(items, starts, width, y);
        if (axis is not null)
        {
            var back = new int[perm.Length];
            for (int i = 0; i < perm.Length; i++) back[perm[i]] = i;
            y = TensorCopy.Permute(y, yShape, back);
        }
        return [y, Int64(first), Int64(inverse), Int64(counts)];
    }

    private static Tensor<long> Int64(int[] v) => new(Array.ConvertAll(v, i => (long)i), [v.Length]);

    /// <summary>Groups equal items: returns [first occurrence per group, group of each item, count per group].</summary>
    private readonly struct Group(Tensor items, int n, int width, bool sorted) : IAnyFunc<int[][]>
    {
        public int[][] Invoke<T>()
        {
            var order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            var cmp = new ItemOrder<T>(items.As<T>().Memory, width);
            Array.Sort(order, cmp);
            var groupOf = new int[n];
            var firsts = new List<int>();
            var counts = new List<int>();
            for (int i = 0; i < n; i++)
            {
                if (i == 0 || cmp.CompareItems(order[i - 1], order[i]) != 0)
                {
                    firsts.Add(order[i]);
                    counts.Add(0);
                }
                groupOf[order[i]] = firsts.Count - 1;
                counts[^1]++;
            }
            var rank = new int[firsts.Count]; // output position of each sorted group
            for (int g = 0; g < rank.Length; g++) rank[g] = g;
            if (!sorted) Array.Sort(firsts.ToArray(), rank);
            var position = new int[rank.Length];
            for (int p = 0; p < rank.Length; p++) position[rank[p]] = p;
            var outFirst = new int[rank.Length];
            var outCount = new int[rank.Length];
            for (int g = 0; g < rank.Length; g++)
            {
                outFirst[position[g]] = firsts[g];
                outCount[position[g]] = counts[g];
            }
            for (int i = 0; i < n; i++) groupOf[i] = position[groupOf[i]];
            return [outFirst, groupOf, outCount];
        }
    }

    /// <summary>Orders item numbers by their contents (lexicographic over the item's elements), then by number.</summary>
    private sealed class ItemOrder<T>(ReadOnlyMemory<T> data, int width) : IComparer<int>
    {
        private readonly IComparer<T> _element = typeof(T) == typeof(string)
            ? (IComparer<T>)(object)StringComparer.Ordinal
            : Comparer<T>.Default;

        public int CompareItems(int a, int b)
        {
            var s = data.Span;
            for (int j = 0; j < width; j++)
            {
                int c = _element.Compare(s[a * width + j], s[b * width + j]);
                if (c != 0) return c;
            }
            return 0;
        }

        public int Compare(int a, int b)
        {
            int c = CompareItems(a, b);
            return c != 0 ? c : a.CompareTo(b);
        }
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [TypeRules.Like(inputs, 0), TypeInfo.Tensor(DataType.Int64, [Dim.Unknown]), TypeInfo.Tensor(DataType.Int64, [Dim.Unknown]),
         TypeInfo.Tensor(DataType.Int64, [Dim.Unknown])];
}
