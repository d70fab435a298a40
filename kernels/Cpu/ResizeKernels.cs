using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NativeInfer.Kernels.Threading;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Float32 2-D resampling of [planes, inH, inW] into [planes, outH, outW] from per-axis tables the caller computes
/// once per call (the coordinate transform and rounding live there): nearest takes one source index per output row
/// and column; linear takes two source indices and their two weights per output row and column and filters the
/// columns first, then the rows. Planes split through <see cref="KernelParallelism"/> when large.
/// </summary>
public static unsafe class ResizeKernels
{
    private const int ParallelThreshold = 1 << 15;   // output elements

    /// <summary>y[p, j, i] = x[p, rows[j], cols[i]].</summary>
    public static void Nearest2D(ReadOnlySpan<float> x, Span<float> y, int planes, int inH, int inW, int outH, int outW,
        ReadOnlySpan<int> rows, ReadOnlySpan<int> cols)
    {
        Check(x, y, planes, inH, inW, outH, outW);
        if (rows.Length < outH || cols.Length < outW) throw new ArgumentException("Nearest2D: index tables are shorter than the output.");
        CheckIndices(rows[..outH], inH);
        CheckIndices(cols[..outW], inW);
        if ((long)planes * outH * outW == 0) return;
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (int* pr = rows)
        fixed (int* pc = cols)
        {
            float* sx = px, sy = py;
            int* sr = pr, sc = pc;
            ForPlanes(planes, (long)outH * outW, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
            {
                for (int p = from; p < to; p++)
                {
                    float* src = sx + (long)p * inH * inW, dst = sy + (long)p * outH * outW;
                    for (int j = 0; j < outH; j++)
                    {
                        float* d = dst + (long)j * outW;
                        if (j > 0 && sr[j] == sr[j - 1])
                        {
                            // same source row as the previous output row: copy it
                            new ReadOnlySpan<float>(d - outW, outW).CopyTo(new Span<float>(d, outW));
                            continue;
                        }
                        float* s = src + (long)sr[j] * inW;
                        for (int i = 0; i < outW; i++) d[i] = s[sc[i]];
                    }
                }
            });
        }
    }

    /// <summary>
    /// y[p, j, i] = ry0[j]·h(rows0[j], i) + ry1[j]·h(rows1[j], i), where h(r, i) = cx0[i]·x[p, r, cols0[i]] +
    /// cx1[i]·x[p, r, cols1[i]].
    /// </summary>
    public static void Linear2D(ReadOnlySpan<float> x, Span<float> y, int planes, int inH, int inW, int outH, int outW,
        ReadOnlySpan<int> rows0, ReadOnlySpan<int> rows1, ReadOnlySpan<float> ry0, ReadOnlySpan<float> ry1,
        ReadOnlySpan<int> cols0, ReadOnlySpan<int> cols1, ReadOnlySpan<float> cx0, ReadOnlySpan<float> cx1)
    {
        Check(x, y, planes, inH, inW, outH, outW);
        if (rows0.Length < outH || rows1.Length < outH || ry0.Length < outH || ry1.Length < outH ||
            cols0.Length < outW || cols1.Length < outW || cx0.Length < outW || cx1.Length < outW)
            throw new ArgumentException("Linear2D: tables are shorter than the output.");
        CheckIndices(rows0[..outH], inH);
        CheckIndices(rows1[..outH], inH);
        CheckIndices(cols0[..outW], inW);
        CheckIndices(cols1[..outW], inW);
        if ((long)planes * outH * outW == 0) return;
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (int* pr0 = rows0)
        fixed (int* pr1 = rows1)
        fixed (float* pwy0 = ry0)
        fixed (float* pwy1 = ry1)
        fixed (int* pc0 = cols0)
        fixed (int* pc1 = cols1)
        fixed (float* pwx0 = cx0)
        fixed (float* pwx1 = cx1)
        {
            float* sx = px, sy = py, wy0 = pwy0, wy1 = pwy1, wx0 = pwx0, wx1 = pwx1;
            int* r0 = pr0, r1 = pr1, c0 = pc0, c1 = pc1;
            ForPlanes(planes, (long)outH * outW, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, to) =>
            {
                // two horizontally filtered source rows, reused while consecutive output rows read the same ones
                float[] rented = ArrayPool<float>.Shared.Rent(2 * outW);
                try
                {
                    fixed (float* buf = rented)
                    {
                        float* h0 = buf, h1 = buf + outW;
                        for (int p = from; p < to; p++)
                        {
                            float* src = sx + (long)p * inH * inW, dst = sy + (long)p * outH * outW;
                            int have0 = -1, have1 = -1;
                            for (int j = 0; j < outH; j++)
                            {
                                int a = r0[j], b = r1[j];
                                if (a == have1 && b != have1)
                                {
                                    // slide: the lower row becomes the upper one
                                    float* t = h0;
                                    h0 = h1;
                                    h1 = t;
                                    have0 = a;
                                    have1 = -1;
                                }
                                if (a != have0)
                                {
                                    Horizontal(src + (long)a * inW, h0, outW, c0, c1, wx0, wx1);
                                    have0 = a;
                                }
                                if (b != have1)
                                {
                                    if (b == have0) new ReadOnlySpan<float>(h0, outW).CopyTo(new Span<float>(h1, outW));
                                    else Horizontal(src + (long)b * inW, h1, outW, c0, c1, wx0, wx1);
                                    have1 = b;
                                }
                                Blend(h0, h1, wy0[j], wy1[j], dst + (long)j * outW, outW);
                            }
                        }
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(rented);
                }
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Horizontal(float* s, float* h, int outW, int* c0, int* c1, float* w0, float* w1)
    {
        for (int i = 0; i < outW; i++) h[i] = w0[i] * s[c0[i]] + w1[i] * s[c1[i]];
    }

    /// <summary>d[i] = w0·a[i] + w1·b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blend(float* a, float* b, float w0, float w1, float* d, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var v0 = Vector512.Create(w0);
            var v1 = Vector512.Create(w1);
            for (; i <= n - 16; i += 16) Vector512.MultiplyAddEstimate(Vector512.Load(a + i), v0, Vector512.Load(b + i) * v1).Store(d + i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var v0 = Vector256.Create(w0);
            var v1 = Vector256.Create(w1);
            for (; i <= n - 8; i += 8) Vector256.MultiplyAddEstimate(Vector256.Load(a + i), v0, Vector256.Load(b + i) * v1).Store(d + i);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var v0 = Vector128.Create(w0);
            var v1 = Vector128.Create(w1);
            for (; i <= n - 4; i += 4) Vector128.MultiplyAddEstimate(Vector128.Load(a + i), v0, Vector128.Load(b + i) * v1).Store(d + i);
        }
        for (; i < n; i++) d[i] = w0 * a[i] + w1 * b[i];
    }

    private static void ForPlanes(int planes, long perPlane, Action<int, int> body)
    {
        int degree = KernelParallelism.MaxDegree;
        if (degree <= 1 || planes < 2 || planes * perPlane < ParallelThreshold)
        {
            body(0, planes);
            return;
        }
        int chunks = Math.Min(planes, degree * 4);
        KernelParallelism.For(0, chunks, c => body((int)((long)planes * c / chunks), (int)((long)planes * (c + 1) / chunks)));
    }

    private static void Check(ReadOnlySpan<float> x, Span<float> y, int planes, int inH, int inW, int outH, int outW)
    {
        if (planes < 0 || inH < 0 || inW < 0 || outH < 0 || outW < 0 ||
            x.Length < (long)planes * inH * inW || y.Length < (long)planes * outH * outW)
            throw new ArgumentException($"Resize: buffers do not hold [{planes}, {inH}, {inW}] -> [{planes}, {outH}, {outW}].");
        if ((inH == 0 || inW == 0) && (long)planes * outH * outW > 0)
            throw new ArgumentException("Resize: cannot sample an empty input.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CheckIndices(ReadOnlySpan<int> idx, int length)
    {
        foreach (int i in idx)
            if ((uint)i >= (uint)length) throw new ArgumentOutOfRangeException(nameof(idx), $"Resize: source index {i} is outside [0, {length}).");
    }
}
