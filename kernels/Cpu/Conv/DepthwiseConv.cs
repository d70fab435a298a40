using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu.Conv;

/// <summary>
/// Direct depthwise convolution over 1-D/2-D planes (group = input channels; each input channel feeds
/// <c>multiplier</c> output channels): any kernel, stride, dilation and padding. Each plane is copied once into a
/// padded, stride-phase-split scratch (<see cref="PaddedPlane"/>) so every window tap is a contiguous vector load;
/// each output vector sums all taps in a register and is stored once, the ragged row end by one overlapping vector.
/// 3×3 kernels keep their nine weights in registers. Work is split over (batch, channel) planes.
/// </summary>
public static unsafe class DepthwiseConv
{
    /// <summary>True when the geometry has 1 or 2 spatial dims (3-D depthwise goes through im2col).</summary>
    public static bool Supports(SpatialGeometry g) => g.Rank <= 2;

    /// <summary>
    /// y = epilogue(conv(x, w) + bias + residual). x is [batch, channels, in...], w [channels·multiplier, kernel...],
    /// bias empty or [channels·multiplier], residual empty or Y-shaped (it must not overlap y), y
    /// [batch, channels·multiplier, out...].
    /// </summary>
    public static void Run(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual,
        Span<float> y, int batch, int channels, int multiplier, SpatialGeometry g, ConvEpilogue epilogue)
    {
        if (!Supports(g)) throw new NotSupportedException("DepthwiseConv handles 1-D and 2-D geometries.");
        if (batch < 0 || channels < 0 || multiplier < 1) throw new ArgumentOutOfRangeException(nameof(batch));
        int m = channels * multiplier;
        long outCount = (long)batch * m * g.OutputSize;
        if ((long)batch * channels * g.InputSize > x.Length || (long)m * g.KernelSize > w.Length || outCount > y.Length)
            throw new ArgumentException("DepthwiseConv buffers are smaller than the geometry needs.");
        if (!bias.IsEmpty && bias.Length < m) throw new ArgumentException("Bias must have one value per output channel.");
        if (!residual.IsEmpty && residual.Length < outCount) throw new ArgumentException("Residual must have Y's shape.");
        if (outCount == 0) return;
        var layout = new PaddedPlane(g);
        var taps = new int[g.KernelSize];
        for (int kh = 0, t = 0; kh < g.Kernel3[1]; kh++)
            for (int kw = 0; kw < g.Kernel3[2]; kw++, t++) taps[t] = layout.TapOffset(kh, kw, g);
        fixed (float* px = x)
        fixed (float* pw = w)
        fixed (float* pb = bias)
        fixed (float* pr = residual)
        fixed (float* py = y)
        {
            var job = new Job((nint)px, (nint)pw, (nint)pb, (nint)pr, (nint)py, channels, multiplier, g, layout, taps, epilogue);
            int planes = batch * channels;
            long work = outCount * g.KernelSize;
            if (planes > 1 && work >= 1L << 15) KernelParallelism.For(0, planes, job.Plane);
            else for (int p = 0; p < planes; p++) job.Plane(p);
        }
    }

    private sealed class Job(nint x, nint w, nint bias, nint residual, nint y, int channels, int multiplier,
        SpatialGeometry g, PaddedPlane layout, int[] taps, ConvEpilogue epilogue)
    {
        public void Plane(int p)
        {
            int c = p % channels, b = p / channels;
            float[] scratch = ArrayPool<float>.Shared.Rent(Math.Max(layout.Length, 1));
            try
            {
                fixed (float* plane = scratch)
                fixed (int* tp = taps)
                {
                    layout.Fill((float*)x + (long)p * g.InputSize, plane, 0f);
                    for (int k = 0; k < multiplier; k++)
                    {
                        int oc = c * multiplier + k;
                        long outPlane = ((long)b * channels * multiplier + oc) * g.OutputSize;
                        float bv = bias == 0 ? 0f : ((float*)bias)[oc];
                        float* res = residual == 0 ? null : (float*)residual + outPlane;
                        float* wt = (float*)w + (long)oc * g.KernelSize;
                        Compute(plane, tp, wt, bv, res, (float*)y + outPlane);
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }

        private void Compute(float* plane, int* tp, float* wt, float bias, float* res, float* y)
        {
            int ow = g.Out3[2];
            if (Vector512.IsHardwareAccelerated && ow >= 16) Rows<Simd512, Vector512<float>>(plane, tp, wt, bias, res, y);
            else if (Vector256.IsHardwareAccelerated && ow >= 8) Rows<Simd256, Vector256<float>>(plane, tp, wt, bias, res, y);
            else if (Vector128.IsHardwareAccelerated && ow >= 4) Rows<Simd128, Vector128<float>>(plane, tp, wt, bias, res, y);
            else ScalarRows(plane, tp, wt, bias, res, y);
        }

        private void Rows<TS, TV>(float* plane, int* tp, float* wt, float bias, float* res, float* y)
            where TS : ISimdFloat<TV> where TV : struct
        {
            int oh = g.Out3[1], ow = g.Out3[2], kernel = g.KernelSize, width = TS.Width;
            long rowStep = (long)g.Stride3[1] * layout.RowStride;
            var vb = TS.Splat(bias);
            var e = epilogue;
            if (kernel == 9 && g.Kernel3[2] == 3)
            {
                TV w0 = TS.Splat(wt[0]), w1 = TS.Splat(wt[1]), w2 = TS.Splat(wt[2]), w3 = TS.Splat(wt[3]), w4 = TS.Splat(wt[4]),
                    w5 = TS.Splat(wt[5]), w6 = TS.Splat(wt[6]), w7 = TS.Splat(wt[7]), w8 = TS.Splat(wt[8]);
                int t0 = tp[0], t1 = tp[1], t2 = tp[2], t3 = tp[3], t4 = tp[4], t5 = tp[5], t6 = tp[6], t7 = tp[7], t8 = tp[8];
                for (int r = 0; r < oh; r++)
                {
                    float* src = plane + r * rowStep;
                    float* dst = y + (long)r * ow;
                    float* rr = res == null ? null : res + (long)r * ow;
                    for (int j = 0; ; j += width)
                    {
                        if (j + width > ow) j = ow - width;
                        float* s = src + j;
                        var acc = TS.MulAdd(w0, TS.Load(s + t0), vb);
                        acc = TS.MulAdd(w1, TS.Load(s + t1), acc);
                        acc = TS.MulAdd(w2, TS.Load(s + t2), acc);
                        acc = TS.MulAdd(w3, TS.Load(s + t3), acc);
                        acc = TS.MulAdd(w4, TS.Load(s + t4), acc);
                        acc = TS.MulAdd(w5, TS.Load(s + t5), acc);
                        acc = TS.MulAdd(w6, TS.Load(s + t6), acc);
                        acc = TS.MulAdd(w7, TS.Load(s + t7), acc);
                        acc = TS.MulAdd(w8, TS.Load(s + t8), acc);
                        Finish<TS, TV>(acc, dst + j, rr == null ? null : rr + j, e);
                        if (j + width >= ow) break;
                    }
                }
                return;
            }
            for (int r = 0; r < oh; r++)
            {
                float* src = plane + r * rowStep;
                float* dst = y + (long)r * ow;
                float* rr = res == null ? null : res + (long)r * ow;
                for (int j = 0; ; j += width)
                {
                    if (j + width > ow) j = ow - width;
                    float* s = src + j;
                    var acc = vb;
                    for (int t = 0; t < kernel; t++) acc = TS.MulAdd(TS.Splat(wt[t]), TS.Load(s + tp[t]), acc);
                    Finish<TS, TV>(acc, dst + j, rr == null ? null : rr + j, e);
                    if (j + width >= ow) break;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Finish<TS, TV>(TV acc, float* dst, float* res, ConvEpilogue e) where TS : ISimdFloat<TV> where TV : struct
        {
            if (res != null) acc = TS.Add(acc, TS.Load(res));
            TS.Store(dst, e.Activation == ConvActivation.None ? acc : e.Apply<TS, TV>(acc));
        }

        private void ScalarRows(float* plane, int* tp, float* wt, float bias, float* res, float* y)
        {
            int oh = g.Out3[1], ow = g.Out3[2], kernel = g.KernelSize;
            long rowStep = (long)g.Stride3[1] * layout.RowStride;
            for (int r = 0; r < oh; r++)
                for (int j = 0; j < ow; j++)
                {
                    float* s = plane + r * rowStep + j;
                    float acc = bias;
                    for (int t = 0; t < kernel; t++) acc = MathF.FusedMultiplyAdd(wt[t], s[tp[t]], acc);
                    long o = (long)r * ow + j;
                    if (res != null) acc += res[o];
                    y[o] = epilogue.Apply(acc);
                }
        }
    }
}
