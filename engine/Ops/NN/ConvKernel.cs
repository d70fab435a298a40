using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Cpu.Conv;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Convolution and transposed convolution as GEMMs: im2col (skipped for pointwise convs) then W·columns per batch
/// item and group; ConvTranspose computes Wᵀ·X and scatters the columns back with col2im. Generic over the element
/// type; float32 Conv runs on <see cref="Convolution"/> (pre-packed weights, im2col into SGEMM panels, direct
/// depthwise kernel), float32 ConvTranspose on the packed SGEMM.
/// </summary>
internal static class ConvKernel
{
    /// <summary>Upper bound on the column buffer; larger outputs are processed in column chunks.</summary>
    private const int ColumnBudget = 1 << 23;

    /// <summary>What a Conv or ConvTranspose node asks for.</summary>
    public sealed record Request(ConvAttributes Attrs, bool Transposed, long[]? OutputPadding, long[]? OutputShape);

    /// <summary>Runs a floating-point Conv/ConvTranspose node (inputs X, W, optional B); float16/bfloat16 widen to float32.</summary>
    public static Tensor RunFloating(string opName, Tensor?[] inputs, Request request, ConvWeights? packed = null)
    {
        var x = inputs.Req(0);
        var w = inputs.Req(1);
        var b = inputs.Opt(2);
        var type = x.DataType;
        if (w.DataType != type || b is not null && b.DataType != type)
            throw new ArgumentException($"{opName} inputs must share one element type.");
        if (!DataTypes.IsFloatingPoint(type))
            throw new NotSupportedException($"{opName} does not support {DataTypes.Name(type)}.");
        if (type == DataType.Float && !request.Transposed) return ForwardFloat(x, w, b, request.Attrs, packed);
        var computeType = FloatWidening.IsNarrow(type) ? DataType.Float : type;
        if (computeType == DataType.Float && !request.Transposed)
            return FloatWidening.Narrow(ForwardFloat(FloatWidening.Widen(x), FloatWidening.Widen(w), b is null ? null : FloatWidening.Widen(b), request.Attrs, null), type);
        var y = Dispatch.Numeric<FloatingRun, Tensor>(computeType,
            new FloatingRun(FloatWidening.Widen(x), FloatWidening.Widen(w), b is null ? null : FloatWidening.Widen(b), request));
        return FloatWidening.Narrow(y, type);
    }

    private readonly struct FloatingRun(Tensor x, Tensor w, Tensor? b, Request r) : INumericFunc<Tensor>
    {
        public Tensor Invoke<T>() where T : unmanaged, INumber<T> => r.Transposed
            ? Transpose(x.As<T>(), w.As<T>(), b?.As<T>(), r.Attrs, r.OutputPadding, r.OutputShape)
            : Forward(x.As<T>(), w.As<T>(), b?.As<T>(), r.Attrs);
    }

    /// <summary>
    /// Packs a constant float32 Conv weight W [M, C/group, kernel...] for <see cref="Convolution"/>, or null when it is
    /// not float32 or its shape is unusable (the run then reports the error).
    /// </summary>
    public static ConvWeights? TryPack(Tensor w, ConvAttributes attrs)
    {
        if (w.DataType != DataType.Float || w.Rank is < 3 or > 5 || attrs.Group > int.MaxValue) return null;
        int group = (int)attrs.Group, m = w.Shape[0];
        if (m % group != 0 || w.Length == 0) return null;
        try
        {
            return ConvWeights.Pack(w.As<float>().Span, m, group, w.Shape[1], w.Shape[2..]);
        }
        catch (ArgumentException)
        {
            return null;   // an unusable shape: the run path reports it against the input
        }
    }

    /// <summary>Float32 Conv on the <see cref="Convolution"/> kernel (pre-packed weights when given).</summary>
    private static Tensor ForwardFloat(Tensor x, Tensor w, Tensor? b, ConvAttributes attrs, ConvWeights? packed) =>
        ForwardFloat(x, w, b, attrs, packed, null, default);

    /// <summary>
    /// Float32 Y = activation(Conv(X, W) + B + Z) in one pass: the residual Z (Y's shape) and the activation are applied
    /// by the SGEMM epilogue while each output tile is in cache.
    /// </summary>
    public static Tensor ForwardFloat(Tensor x, Tensor w, Tensor? b, ConvAttributes attrs, ConvWeights? packed,
        Tensor? residual, Kernels.Cpu.SgemmActivation activation)
    {
        if (x.DataType != DataType.Float || w.DataType != DataType.Float || b is not null && b.DataType != DataType.Float)
            throw new NotSupportedException("The fused convolution computes float32 only.");
        var geo = ForwardGeometry(x.Shape, w.Shape, attrs).Geometry;
        int n = x.Shape[0], c = x.Shape[1], m = w.Shape[0], group = (int)attrs.Group;
        var bias = b?.As<float>();
        CheckBias(bias, m);
        var y = Tensor<float>.Uninitialized([n, m, .. geo.Output]); // every route writes every output
        if (y.Length == 0) return y;
        if (residual is not null && (residual.DataType != DataType.Float || !residual.Shape.AsSpan().SequenceEqual(y.Shape)))
            throw new ShapeMismatchException($"The residual {residual} must be float32 of the output's shape {ShapeUtil.Format(y.Shape)}.");
        var bs = bias is null ? ReadOnlySpan<float>.Empty : bias.Span;
        var rs = residual is null ? ReadOnlySpan<float>.Empty : residual.As<float>().Span;
        if (packed is not null) Convolution.Forward(x.As<float>().Span, n, c, packed, geo, bs, rs, y.Span, activation);
        else Convolution.Forward(x.As<float>().Span, n, c, w.As<float>().Span, m, group, geo, bs, rs, y.Span, activation);
        return y;
    }

    /// <summary>Checks X [N, C, spatial...] and W [M, C/group, kernel...] and resolves the window geometry.</summary>
    public static WindowGeometry ForwardGeometry(int[] xs, int[] ws, ConvAttributes attrs)
    {
        if (xs.Length < 3) throw new ShapeMismatchException($"Conv input must have rank 3 or more, got {ShapeUtil.Format(xs)}.");
        if (ws.Length != xs.Length)
            throw new ShapeMismatchException($"Conv weight {ShapeUtil.Format(ws)} must have the input's rank {xs.Length}.");
        int group = checked((int)attrs.Group);
        if (xs[1] % group != 0 || ws[0] % group != 0 || ws[1] * group != xs[1])
            throw new ShapeMismatchException(
                $"Conv channels do not match: input {ShapeUtil.Format(xs)}, weight {ShapeUtil.Format(ws)}, group {group}.");
        var kernel = attrs.Kernel(xs.Length - 2, ws.AsSpan(2));
        if (!kernel.AsSpan().SequenceEqual(ws.AsSpan(2)))
            throw new ShapeMismatchException($"kernel_shape {ShapeUtil.Format(kernel)} does not match the weight {ShapeUtil.Format(ws)}.");
        return attrs.Resolve(xs[2..], kernel);
    }

    /// <summary>Y = conv(X, W) (+ bias per output channel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor<T> Forward<T>(Tensor<T> x, Tensor<T> w, Tensor<T>? bias, ConvAttributes attrs)
        where T : unmanaged, INumber<T>
    {
        var geo = ForwardGeometry(x.Shape, w.Shape, attrs).Geometry;
        int n = x.Shape[0], c = x.Shape[1], m = w.Shape[0], group = (int)attrs.Group;
        CheckBias(bias, m);
        var y = new Tensor<T>([n, m, .. geo.Output]);
        int cg = c / group, mg = m / group, kdim = cg * geo.KernelSize, inSize = geo.InputSize, outSize = geo.OutputSize;
        if (y.Length == 0) return y;
        var xs = x.Memory;
        var wsp = w.Memory;
        var ys = y.Memory;
        if (geo.IsPointwise)
        {
            for (int b = 0; b < n; b++)
                for (int g = 0; g < group; g++)
                    MatMulKernel.Gemm(false, false, mg, outSize, cg, wsp.Span.Slice(g * mg * cg), cg,
                        xs.Span.Slice((b * c + g * cg) * inSize, cg * inSize), inSize,
                        ys.Span.Slice((b * m + g * mg) * outSize), outSize);
        }
        else if (kdim > 0)
        {
            int chunk = Math.Clamp(ColumnBudget / kdim, 1, outSize);
            var col = ArrayPool<T>.Shared.Rent(kdim * chunk);
            try
            {
                for (int b = 0; b < n; b++)
                    for (int g = 0; g < group; g++)
                    {
                        var image = xs.Span.Slice((b * c + g * cg) * inSize, cg * inSize);
                        for (int s0 = 0; s0 < outSize; s0 += chunk)
                        {
                            int cnt = Math.Min(chunk, outSize - s0);
                            var cols = col.AsSpan(0, kdim * cnt);
                            Im2Col.Pack<T>(image, cg, geo, s0, cnt, cols);
                            MatMulKernel.Gemm(false, false, mg, cnt, kdim, wsp.Span.Slice(g * mg * kdim, mg * kdim), kdim,
                                cols, cnt, ys.Span.Slice((b * m + g * mg) * outSize + s0), outSize);
                        }
                    }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(col);
            }
        }
        AddBias(y, bias);
        return y;
    }

    /// <summary>Y = convTranspose(X, W) (+ bias): X [N, C, in...], W [C, M/group, kernel...].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor<T> Transpose<T>(Tensor<T> x, Tensor<T> w, Tensor<T>? bias, ConvAttributes attrs,
        long[]? outputPadding, long[]? outputShape) where T : unmanaged, INumber<T>
    {
        int[] xsh = x.Shape, wsh = w.Shape;
        if (xsh.Length < 3 || wsh.Length != xsh.Length)
            throw new ShapeMismatchException($"ConvTranspose needs input and weight of equal rank ≥ 3, got {ShapeUtil.Format(xsh)} and {ShapeUtil.Format(wsh)}.");
        int group = (int)attrs.Group, n = xsh[0], c = xsh[1];
        if (c % group != 0 || wsh[0] != c)
            throw new ShapeMismatchException($"ConvTranspose channels do not match: input {ShapeUtil.Format(xsh)}, weight {ShapeUtil.Format(wsh)}, group {group}.");
        int rank = xsh.Length - 2, cg = c / group, mg = wsh[1], m = mg * group;
        CheckBias(bias, m);
        var kernel = attrs.Kernel(rank, wsh.AsSpan(2));
        if (!kernel.AsSpan().SequenceEqual(wsh.AsSpan(2)))
            throw new ShapeMismatchException($"kernel_shape {ShapeUtil.Format(kernel)} does not match the weight {ShapeUtil.Format(wsh)}.");
        var geo = TransposeGeometry(xsh[2..], kernel, attrs, outputPadding, outputShape);
        var y = new Tensor<T>([n, m, .. geo.Input]);
        int inSize = geo.OutputSize, outSize = geo.InputSize, rows = mg * geo.KernelSize;
        if (y.Length == 0 || inSize == 0) { AddBias(y, bias); return y; }
        TensorLimits.CheckAllocation((long)rows * inSize, DataTypes.Of<T>());
        var col = ArrayPool<T>.Shared.Rent(rows * inSize);
        try
        {
            var xs = x.Memory;
            var wsp = w.Memory;
            var ys = y.Memory;
            for (int b = 0; b < n; b++)
                for (int g = 0; g < group; g++)
                {
                    var cols = col.AsSpan(0, rows * inSize);
                    MatMulKernel.Gemm(true, false, rows, inSize, cg, wsp.Span.Slice(g * cg * rows, cg * rows), rows,
                        xs.Span.Slice((b * c + g * cg) * inSize, cg * inSize), inSize, cols, inSize);
                    Im2Col.Accumulate<T>(cols, mg, geo, ys.Span.Slice((b * m + g * mg) * outSize, mg * outSize));
                }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(col);
        }
        AddBias(y, bias);
        return y;
    }

    /// <summary>
    /// The col2im geometry of a transposed convolution: its "input" is the output image and its "output" the input
    /// positions. Pads come from output_shape or auto_pad when given (SAME_UPPER puts the smaller half first).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static SpatialGeometry TransposeGeometry(int[] input, int[] kernel, ConvAttributes attrs, long[]? outputPadding, long[]? outputShape)
    {
        int rank = input.Length;
        var strides = attrs.StridesFor(rank);
        var dil = attrs.DilationsFor(rank);
        var (pb, pe) = attrs.ExplicitPads(rank);
        if (outputPadding is not null && outputPadding.Length != rank)
            throw new ShapeMismatchException($"output_padding has {outputPadding.Length} entries; expected {rank}.");
        if (outputShape is not null && outputShape.Length != rank && outputShape.Length != rank + 2)
            throw new ShapeMismatchException($"output_shape has {outputShape.Length} entries; expected {rank}.");
        var output = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            long op = outputPadding?[i] ?? 0;
            long eff = (long)(kernel[i] - 1) * dil[i] + 1;
            long natural = (long)strides[i] * (input[i] - 1) + op + eff;
            long target;
            if (outputShape is not null) target = outputShape[outputShape.Length - rank + i];
            else if (attrs.AutoPad is AutoPad.SameUpper or AutoPad.SameLower) target = (long)input[i] * strides[i];
            else
            {
                if (attrs.AutoPad == AutoPad.Valid) pb[i] = pe[i] = 0;
                target = natural - pb[i] - pe[i];
                if (target < 0) throw new ShapeMismatchException("ConvTranspose pads exceed the output size.");
                output[i] = checked((int)target);
                continue;
            }
            if (target < 0 || target > Array.MaxLength) throw new ShapeMismatchException($"ConvTranspose output size {target} is invalid.");
            long total = natural - target;
            long half = total >= 0 ? total / 2 : -((-total + 1) / 2); // floor division: a larger output_shape pads at the end
            pb[i] = checked((int)(attrs.AutoPad == AutoPad.SameUpper ? half : total - half));
            pe[i] = checked((int)(total - pb[i]));
            output[i] = (int)target;
        }
        return new SpatialGeometry(output, kernel, strides, dil, pb, input);
    }

    private static void CheckBias<T>(Tensor<T>? bias, int m)
    {
        if (bias is not null && (bias.Rank != 1 || bias.Length != m))
            throw new ShapeMismatchException($"Bias {ShapeUtil.Format(bias.Shape)} must be a vector of {m} output channels.");
    }

    /// <summary>Adds bias[channel] to every element of Y [N, M, ...].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddBias<T>(Tensor<T> y, Tensor<T>? bias) where T : unmanaged, INumber<T>
    {
        if (bias is null || y.Length == 0) return;
        int m = y.Shape[1], inner = y.Length / (y.Shape[0] * m);
        var ys = y.Span;
        var bs = bias.Span;
        for (int p = 0; p < y.Shape[0] * m; p++)
        {
            T v = bs[p % m];
            var row = ys.Slice(p * inner, inner);
            for (int i = 0; i < row.Length; i++) row[i] += v;
        }
    }
}
