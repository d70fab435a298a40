using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Reshape: the same elements viewed with a new shape (no copy). In the target shape 0 copies the input dim at that
/// position (unless allowzero=1, where 0 is a real zero dim) and one -1 is inferred from the element count. Opsets 1-4
/// take the target from the shape attribute, later ones from input 1.
/// </summary>
internal sealed class Reshape(long[]? shapeAttribute, bool allowZero) : TensorOp
{
    public static Reshape Create(OpBuildContext ctx) =>
        new(ctx.Opset < 5 ? ctx.Attributes.Ints("shape") ?? throw new ArgumentException("Reshape-1 needs a shape attribute.") : null,
            ctx.Attributes.Int("allowzero", 0) != 0);

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var target = shapeAttribute ?? inputs.Req(1).ToInt64Array();
        return [x.Reshape(Resolve(x.Shape, target, allowZero))];
    }

    /// <summary>Resolves 0 and -1 entries of an ONNX target shape against the input shape.</summary>
    public static int[] Resolve(int[] input, long[] target, bool allowZero)
    {
        var dims = new long[target.Length];
        int inferAt = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            long d = target[i];
            if (d == 0 && !allowZero)
            {
                if (i >= input.Length)
                    throw new ShapeMismatchException($"Reshape target {Show(target)} copies dim {i}, but the input {ShapeUtil.Format(input)} has rank {input.Length}.");
                d = input[i];
            }
            else if (d == -1)
            {
                if (inferAt >= 0) throw new ShapeMismatchException($"Reshape target {Show(target)} has more than one -1.");
                inferAt = i;
                continue;
            }
            else if (d < 0) throw new ShapeMismatchException($"Reshape target {Show(target)} has a negative dim {d}.");
            dims[i] = d;
            known = d == 0 || known == 0 ? 0 : checked(known * d);
            if (known > Array.MaxLength) throw new TensorSizeException($"Reshape target {Show(target)} is too large.");
        }
        long total = ShapeUtil.ElementCount(input);
        if (inferAt >= 0)
        {
            if (known == 0 || total % known != 0)
                throw new ShapeMismatchException($"Cannot reshape {ShapeUtil.Format(input)} to {Show(target)}: the -1 dim cannot be inferred.");
            dims[inferAt] = total / known;
        }
        else if (known != total)
            throw new ShapeMismatchException($"Cannot reshape {ShapeUtil.Format(input)} ({total} elements) to {Show(target)}.");
        return ShapeUtil.FromInt64(dims);
    }

    private static string Show(long[] s) => "[" + string.Join(",", s) + "]";
}
