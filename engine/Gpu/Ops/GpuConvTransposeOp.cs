using NativeInfer.Kernels.Gpu.Conv;
using NativeInfer.Ops.NN;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu.Ops;

/// <summary>
/// ConvTranspose on the GPU (<see cref="GpuConvTranspose"/>): float32 X [N, C, in...] with 1 to 3 spatial dims,
/// W [C, M/group, kernel...], optional B [M]. The attributes are parsed by the CPU side's <see cref="ConvAttributes"/>
/// and the output size and pads (strides, dilations, pads, output_padding, output_shape, auto_pad) resolved by the CPU
/// kernel's <see cref="ConvKernel.TransposeGeometry"/>, so both backends agree on every shape. Other element types run
/// on the CPU.
/// </summary>
public sealed class GpuConvTransposeOp : GpuOp
{
    private readonly ConvAttributes _attrs;
    private readonly long[]? _outputPadding;
    private readonly long[]? _outputShape;

    private GpuConvTransposeOp(ConvAttributes attrs, long[]? outputPadding, long[]? outputShape)
    {
        _attrs = attrs;
        _outputPadding = outputPadding;
        _outputShape = outputShape;
    }

    public static void Register(GpuOpTable t) => t.Register("ConvTranspose", ctx =>
    {
        if (ctx.Build.InputCount is < 2 or > 3 || !ctx.Build.HasInput(0) || !ctx.Build.HasInput(1) || !ctx.AllInputsFloat(2)) return null;
        try
        {
            return new GpuConvTransposeOp(new ConvAttributes(ctx.Attributes),
                ctx.Attributes.Ints("output_padding"), ctx.Attributes.Ints("output_shape"));
        }
        catch (NotSupportedException) { return null; }   // the CPU op reports the bad attribute
    });

    public override GpuTensor?[] Execute(GpuOpContext ctx, GpuOpInputs inputs)
    {
        var x = inputs.Req(0);
        var w = inputs.Req(1);
        var b = inputs.Device(2);
        var spatial = GpuConvOps.Spatial(x, "ConvTranspose");
        int rank = spatial.Length, n = x.Shape[0], c = x.Shape[1];
        if (w.Rank != rank + 2)
            throw new ShapeMismatchException($"ConvTranspose weights {ShapeUtil.Format(w.Shape)} do not match input {ShapeUtil.Format(x.Shape)}.");
        if (_attrs.Group > int.MaxValue) throw new ShapeMismatchException($"ConvTranspose group {_attrs.Group} is too large.");
        int group = (int)_attrs.Group;
        if (c % group != 0 || w.Shape[0] != c)
            throw new ShapeMismatchException(
                $"ConvTranspose channels do not match: input {ShapeUtil.Format(x.Shape)}, weight {ShapeUtil.Format(w.Shape)}, group {group}.");
        int m = checked(w.Shape[1] * group);
        if (b is not null && (b.Rank != 1 || b.Length != m))
            throw new ShapeMismatchException($"ConvTranspose bias {ShapeUtil.Format(b.Shape)} must be a vector of {m} output channels.");
        var kernel = _attrs.Kernel(rank, w.Shape.AsSpan(2));
        if (!kernel.AsSpan().SequenceEqual(w.Shape.AsSpan(2)))
            throw new ShapeMismatchException($"ConvTranspose kernel_shape {ShapeUtil.Format(kernel)} does not match the weight {ShapeUtil.Format(w.Shape)}.");
        // The col2im view of the CPU kernel: its Input is Y's spatial size, its Output X's.
        var geo = ConvKernel.TransposeGeometry(spatial, kernel, _attrs, _outputPadding, _outputShape);
        var outShape = new int[rank + 2];
        outShape[0] = n;
        outShape[1] = m;
        geo.Input.CopyTo(outShape, 2);
        var y = ctx.Allocate(DataType.Float, outShape);
        if (y.Length == 0) return [y];
        var p = GpuConvTransposeParams.Create(n, c, m, group, spatial, geo.Input, kernel, geo.Strides, geo.Dilations, geo.PadBegin, b is not null);
        Kernel(ctx).Run(ctx.Stream, x.Float, w.Float, b is null ? default : b.Float, y.Float, p);
        return [y];
    }

    private static GpuConvTranspose Kernel(GpuOpContext ctx) => ctx.Device.Kernel(typeof(GpuConvTranspose), a => new GpuConvTranspose(a));
}
