using System.Numerics;
using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Cpu.Conv;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>Shared body of GlobalAveragePool and GlobalMaxPool: one value per (batch, channel) plane.</summary>
internal static class GlobalPool
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Run(string opName, Tensor x, bool max)
    {
        if (x.Rank < 2) throw new ShapeMismatchException($"{opName} input must have rank 2 or more, got {ShapeUtil.Format(x.Shape)}.");
        var type = x.DataType;
        if (!DataTypes.IsFloatingPoint(type)) throw new NotSupportedException($"{opName} does not support {DataTypes.Name(type)}.");
        if (type == DataType.Float)
        {
            var shape = (int[])x.Shape.Clone();
            for (int i = 2; i < shape.Length; i++) shape[i] = 1;
            var y = Tensor<float>.Uninitialized(shape);
            int planes = shape[0] * shape[1];
            int size = planes == 0 ? 0 : x.Length / planes;
            if (max) GlobalPooling.Max(x.As<float>().Span, planes, size, y.Span);
            else GlobalPooling.Average(x.As<float>().Span, planes, size, y.Span);
            return y;
        }
        if (type == DataType.BFloat16) return FloatWidening.Narrow(Run(opName, FloatWidening.Widen(x), max), type);
        return Dispatch.Numeric<Body, Tensor>(type, new Body(x, max));
    }

    private readonly struct Body(Tensor x, bool max) : INumericFunc<Tensor>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Tensor Invoke<T>() where T : unmanaged, INumber<T>
        {
            var shape = (int[])x.Shape.Clone();
            for (int i = 2; i < shape.Length; i++) shape[i] = 1;
            var y = new Tensor<T>(shape);
            int planes = shape[0] * shape[1];
            int size = planes == 0 ? 0 : x.Length / planes;
            var src = x.As<T>().Span;
            var dst = y.Span;
            for (int p = 0; p < planes; p++)
            {
                var plane = src.Slice(p * size, size);
                if (max)
                {
                    T best = size > 0 ? plane[0] : default;
                    foreach (var v in plane) if (v > best || T.IsNaN(v)) best = v;
                    dst[p] = best;
                }
                else
                {
                    double s = 0;
                    foreach (var v in plane) s += double.CreateTruncating(v);
                    dst[p] = T.CreateTruncating(s / size);
                }
            }
            return y;
        }
    }
}
