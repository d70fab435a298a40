using NativeInfer.Kernels.Gpu.Typed;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// Trilu and CumSum (any handled type) on <see cref="GpuTyped"/>; Range and ConstantOfShape, whose outputs depend only
/// on small host inputs, are filled on the host and uploaded.
/// </summary>
public static class GpuMiscOps
{
    public static void Register(GpuOpTable t)
    {
        t.Register("Trilu", ctx => ctx.Build.InputCount is 1 or 2 && GpuTypedOps.Typed(ctx, 0) is not null
            ? new GpuTriluOp(ctx.Attributes.Int("upper", 1) != 0) : null);
        t.Register("CumSum", ctx => ctx.Build.InputCount == 2 && GpuTypedOps.Typed(ctx, 0) is { } d && d != DataType.Bool
            ? new GpuCumSumOp(ctx.Attributes.Int("exclusive", 0) != 0, ctx.Attributes.Int("reverse", 0) != 0) : null);
        t.Register("Range", ctx => ctx.Build.InputCount == 3 && GpuTypedOps.Typed(ctx, 0) is { } d
                                   && d is DataType.Float or DataType.Double or DataType.Int16 or DataType.Int32 or DataType.Int64
            ? new GpuRangeOp() : null);
        t.Register("ConstantOfShape", ctx =>
        {
            var value = ctx.Attributes.Tensor("value") ?? new Tensor<float>([0f], [1]);
            return value.Length == 1 && GpuTypedOps.Handles(value.DataType) ? new GpuConstantOfShapeOp(value) : null;
        });
    }
}

/// <summary>Trilu with k (input 1, default 0) read on the host.</summary>
internal sealed class GpuTriluOp(bool upper) : GpuOp
{
    public override bool ReadsOnHost(int i) => i == 1;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank < 2) throw new ShapeMismatchException($"Trilu needs an input of rank ≥ 2, got {ShapeUtil.Format(x.Shape)}.");
        long k = inputs.Host(1) is { } kt ? kt.Length == 1 ? kt.ToInt64Array()[0] : throw new ArgumentException("Trilu: k must be a scalar.") : 0;
        var y = ctx.Allocate(x.DataType, x.Shape);
        if (y.Length > 0)
            GpuTypedOps.Kernels(ctx).Trilu(ctx.Stream, x.Raw, y.Raw, y.Length, x.Shape[^2], x.Shape[^1], k, upper, DataTypes.SizeOf(x.DataType));
        return [y];
    }
}

/// <summary>CumSum along the axis read on the host (input 1).</summary>
internal sealed class GpuCumSumOp(bool exclusive, bool reverse) : GpuOp
{
    public override bool ReadsOnHost(int i) => i == 1;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        var axisT = inputs.Host(1) ?? throw new ArgumentException("CumSum needs an axis.");
        if (axisT.Length != 1 || !DataTypes.IsInteger(axisT.DataType)) throw new ArgumentException("CumSum: axis must be one integer.");
        if (x.Rank == 0) throw new ShapeMismatchException("CumSum needs an input of rank ≥ 1.");
        int a = ShapeUtil.NormalizeAxis(axisT.ToInt64Array()[0], x.Rank);
        var y = ctx.Allocate(x.DataType, x.Shape);
        if (y.Length > 0)
            GpuTypedOps.Kernels(ctx).CumSum(ctx.Stream, x.Raw, y.Raw, (int)x.DataType, GpuNormalizationOps.Product(x.Shape, 0, a), x.Shape[a],
                GpuNormalizationOps.Product(x.Shape, a + 1, x.Rank), exclusive, reverse);
        return [y];
    }
}

/// <summary>Range(start, limit, delta): computed on the host in the inputs' type, uploaded.</summary>
internal sealed class GpuRangeOp : GpuOp
{
    public override bool ReadsOnHost(int i) => true;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        Tensor Arg(int i) => inputs.Host(i) is { Length: 1 } t ? t : throw new ShapeMismatchException("Range start, limit and delta must be scalars.");
        var start = Arg(0);
        var limit = Arg(1);
        var delta = Arg(2);
        var type = start.DataType;
        if (limit.DataType != type || delta.DataType != type) throw new ArgumentException("Range start, limit and delta must share one element type.");
        double s = start.GetDouble(0), l = limit.GetDouble(0), d = delta.GetDouble(0);
        if (d == 0) throw new ArgumentException("Range delta must not be 0.");
        double count = Math.Ceiling((l - s) / d);
        if (double.IsNaN(count) || count <= 0) count = 0;
        TensorLimits.CheckAllocation((long)Math.Min(count, long.MaxValue), type);
        int n = (int)count;
        Tensor y;
        switch (type)
        {
            case DataType.Float:
            {
                float fs = (float)s, fd = (float)d;
                var v = new float[n];
                for (int i = 0; i < n; i++) v[i] = fs + i * fd;
                y = new Tensor<float>(v, [n]);
                break;
            }
            case DataType.Double:
            {
                var v = new double[n];
                for (int i = 0; i < n; i++) v[i] = s + i * d;
                y = new Tensor<double>(v, [n]);
                break;
            }
            default:
            {
                long ls = start.ToInt64Array()[0], ld = delta.ToInt64Array()[0];
                var v = new long[n];
                for (int i = 0; i < n; i++) v[i] = ls + i * ld;
                y = TensorConvert.Convert(new Tensor<long>(v, [n]), type);
                break;
            }
        }
        return [ctx.Upload(y)];
    }
}

/// <summary>ConstantOfShape: the one-element value attribute repeated to the shape read on the host.</summary>
internal sealed class GpuConstantOfShapeOp(Tensor value) : GpuOp
{
    public override bool ReadsOnHost(int i) => true;

    public override DataType OutputType(int i, DataType input0) => value.DataType;

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var spec = inputs.Host(0)?.ToInt64Array() ?? throw new ArgumentException("ConstantOfShape needs a shape.");
        var shape = new int[spec.Length];
        for (int i = 0; i < spec.Length; i++)
            shape[i] = spec[i] is >= 0 and <= int.MaxValue ? (int)spec[i] : throw new ArgumentException($"ConstantOfShape: invalid dimension {spec[i]}.");
        var y = ctx.Allocate(value.DataType, shape);
        if (y.Length == 0) return [y];
        var scalar = ctx.Upload(value.Reshape([]));
        GpuTypedOps.Kernels(ctx).Expand(ctx.Stream, scalar.Raw, [], y.Raw, shape, DataTypes.SizeOf(value.DataType));
        ctx.Free(scalar);
        return [y];
    }
}
