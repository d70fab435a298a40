using System.Numerics;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Conv;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>Which reduction a sliding-window pooling op applies.</summary>
internal enum PoolKind { Max, Average, Lp }

/// <summary>
/// Shared body of MaxPool, AveragePool and LpPool: validates X [N, C, spatial...], resolves the window geometry and
/// runs the pooling kernel with the op's reducer. bfloat16 widens to float32; other numeric types run natively.
/// float32 max (without Indices) and average pooling over 1-2 spatial dims take the vectorized DirectPooling kernel.
/// </summary>
internal static class PoolDriver
{
    public sealed record Options(PoolKind Kind, bool CountIncludePad = false, double P = 2, bool ColumnMajorIndices = false);

    public static (Tensor Y, Tensor<long>? Indices) Run(string opName, Tensor x, ConvAttributes attrs, Options options, bool withIndices)
    {
        if (x.Rank < 3) throw new ShapeMismatchException($"{opName} input must have rank 3 or more, got {ShapeUtil.Format(x.Shape)}.");
        if (x.Rank > 5) throw new NotSupportedException($"{opName} supports 1 to 3 spatial dims, got {x.Rank - 2}.");
        if (attrs.KernelShape is null) throw new ArgumentException($"{opName} requires kernel_shape.");
        var window = attrs.Resolve(x.Shape[2..], attrs.Kernel(x.Rank - 2, default));
        var type = x.DataType;
        if (type == DataType.BFloat16)
        {
            var (yw, iw) = Run(opName, FloatWidening.Widen(x), attrs, options, withIndices);
            return (FloatWidening.Narrow(yw, type), iw);
        }
        if (options.Kind != PoolKind.Max && !DataTypes.IsFloatingPoint(type))
            throw new NotSupportedException($"{opName} does not support {DataTypes.Name(type)}.");
        int[] outShape = [x.Shape[0], x.Shape[1], .. window.Geometry.Output];
        if (type == DataType.Float && !withIndices && options.Kind != PoolKind.Lp && DirectPooling.Supports(window.Geometry))
        {
            var yf = Tensor<float>.Uninitialized(outShape); // the direct kernels write every output
            int planes = x.Shape[0] * x.Shape[1];
            if (options.Kind == PoolKind.Max) DirectPooling.Max(x.As<float>().Span, planes, window.Geometry, yf.Span);
            else DirectPooling.Average(x.As<float>().Span, planes, window.Geometry, window.PadEnd, options.CountIncludePad, yf.Span);
            return (yf, null);
        }
        var indices = withIndices ? new Tensor<long>(outShape) : null;
        var y = Dispatch.Numeric<Body, Tensor>(type, new Body(x, window, options, outShape, indices));
        return (y, indices);
    }

    private readonly struct Body(Tensor x, WindowGeometry w, Options o, int[] outShape, Tensor<long>? indices) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T>
        {
            var y = new Tensor<T>(outShape);
            int planes = x.Shape[0] * x.Shape[1];
            var idx = indices is null ? Span<long>.Empty : indices.Span;
            var src = x.As<T>().Span;
            switch (o.Kind)
            {
                case PoolKind.Max:
                    Pooling.Run(src, planes, w.Geometry, w.PadEnd, y.Span, idx, o.ColumnMajorIndices, new MaxReducer<T>());
                    break;
                case PoolKind.Average:
                    Pooling.Run(src, planes, w.Geometry, w.PadEnd, y.Span, idx, false, new AverageReducer<T>(o.CountIncludePad));
                    break;
                default:
                    Pooling.Run(src, planes, w.Geometry, w.PadEnd, y.Span, idx, false, new LpReducer<T>(o.P));
                    break;
            }
            return y;
        }
    }
}
