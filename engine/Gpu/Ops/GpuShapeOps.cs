using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// Ops that only relabel a tensor's shape (Reshape, Flatten, Squeeze, Unsqueeze, Identity): on the GPU they return a
/// tensor over the input's block, no copy and no launch; shape and axes inputs are read on the host. Any element type.
/// </summary>
public static class GpuShapeOps
{
    public static void Register(GpuOpTable t)
    {
        t.Register("Identity", ctx => Tensorish(ctx) ? new GpuShapeOp(GpuShapeOp.Kind.Identity, ctx) : null);
        t.Register("Reshape", ctx => Tensorish(ctx) && ctx.Build.Opset >= 5 ? new GpuShapeOp(GpuShapeOp.Kind.Reshape, ctx) : null);
        t.Register("Flatten", ctx => Tensorish(ctx) ? new GpuShapeOp(GpuShapeOp.Kind.Flatten, ctx) : null);
        t.Register("Squeeze", ctx => Tensorish(ctx) ? new GpuShapeOp(GpuShapeOp.Kind.Squeeze, ctx) : null);
        t.Register("Unsqueeze", ctx => Tensorish(ctx) ? new GpuShapeOp(GpuShapeOp.Kind.Unsqueeze, ctx) : null);
    }

    /// <summary>Input 0 is a tensor of a type the device holds.</summary>
    private static bool Tensorish(GpuOpBuildContext ctx) =>
        ctx.Build.HasInput(0) && ctx.InputTypes[0] is { Kind: IR.ValueKind.Tensor } t
        && t.ElementType is DataType.Float or DataType.Double or DataType.Int32 or DataType.Int64 or DataType.Int8 or DataType.UInt8
            or DataType.Int16 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64 or DataType.Bool or DataType.Float16 or DataType.BFloat16;
}

/// <summary>A shape relabeling (see <see cref="GpuShapeOps"/>).</summary>
public sealed class GpuShapeOp : GpuOp
{
    public enum Kind { Identity, Reshape, Flatten, Squeeze, Unsqueeze }

    private readonly Kind _kind;
    private readonly bool _allowZero;
    private readonly long _axis;
    private readonly long[]? _axes;

    internal GpuShapeOp(Kind kind, GpuOpBuildContext ctx)
    {
        _kind = kind;
        _allowZero = ctx.Attributes.Int("allowzero", 0) != 0;
        _axis = ctx.Attributes.Int("axis", 1);
        _axes = ctx.Attributes.Ints("axes");
    }

    public override bool ReadsOnHost(int i) => i > 0;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        int rank = x.Rank;
        switch (_kind)
        {
            case Kind.Identity:
                return [x];
            case Kind.Reshape:
            {
                var spec = inputs.Host(1)?.ToInt64Array() ?? throw new ArgumentException("Reshape needs a shape input.");
                var shape = new int[spec.Length];
                int infer = -1;
                long known = 1;
                for (int i = 0; i < spec.Length; i++)
                {
                    long d = spec[i];
                    if (d == -1)
                    {
                        if (infer >= 0) throw new ArgumentException("Reshape: at most one dimension may be -1.");
                        infer = i;
                        continue;
                    }
                    if (d == 0 && !_allowZero)
                    {
                        if (i >= rank) throw new ArgumentException($"Reshape: dimension {i} is 0 (copy) but the input has rank {rank}.");
                        d = x.Shape[i];
                    }
                    if (d < 0 || d > int.MaxValue) throw new ArgumentException($"Reshape: invalid dimension {spec[i]}.");
                    shape[i] = (int)d;
                    known *= d;
                }
                if (infer >= 0)
                {
                    if (known == 0 || x.Length % known != 0)
                        throw new ShapeMismatchException($"Reshape: cannot infer a dimension of {ShapeUtil.Format(x.Shape)} into [{string.Join(",", spec)}].");
                    shape[infer] = (int)(x.Length / known);
                }
                return [x.Reshape(shape)];
            }
            case Kind.Flatten:
            {
                int axis = (int)(_axis < 0 ? _axis + rank : _axis);
                if (axis < 0 || axis > rank) throw new ArgumentException($"Flatten: axis {_axis} is outside rank {rank}.");
                int outer = 1, inner = 1;
                for (int i = 0; i < rank; i++)
                    if (i < axis) outer *= x.Shape[i];
                    else inner *= x.Shape[i];
                return [x.Reshape([outer, inner])];
            }
            case Kind.Squeeze:
            {
                var axes = inputs.Host(1)?.ToInt64Array() ?? _axes;
                var keep = new List<int>();
                var drop = new bool[rank];
                if (axes is null)
                    for (int i = 0; i < rank; i++) drop[i] = x.Shape[i] == 1;
                else
                    foreach (long a in axes)
                    {
                        int ax = ShapeUtil.NormalizeAxis(a, rank);
                        if (x.Shape[ax] != 1) throw new ArgumentException($"Squeeze: axis {a} has size {x.Shape[ax]}, not 1.");
                        drop[ax] = true;
                    }
                for (int i = 0; i < rank; i++) if (!drop[i]) keep.Add(x.Shape[i]);
                return [x.Reshape(keep.ToArray())];
            }
            default:
            {
                var axes = inputs.Host(1)?.ToInt64Array() ?? _axes ?? throw new ArgumentException("Unsqueeze needs axes.");
                int outRank = rank + axes.Length;
                var inserted = new bool[outRank];
                foreach (long a in axes)
                {
                    int ax = ShapeUtil.NormalizeAxis(a, outRank);
                    if (inserted[ax]) throw new ArgumentException($"Unsqueeze: axis {a} is repeated.");
                    inserted[ax] = true;
                }
                var shape = new int[outRank];
                for (int i = 0, j = 0; i < outRank; i++) shape[i] = inserted[i] ? 1 : x.Shape[j++];
                return [x.Reshape(shape)];
            }
        }
    }
}
