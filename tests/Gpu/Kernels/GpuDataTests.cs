using Xunit;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Gpu.Data;

namespace NativeInfer.Tests.Gpu.Kernels;

/// <summary>
/// Layout ops: Transpose against the CPU <see cref="TransposeKernels.Permute"/>; slice, concat/split, gather and pad
/// against coordinate-by-coordinate references written here from the ONNX definitions.
/// </summary>
public abstract class GpuDataTests(GpuAcceleratorFixture fixture) : GpuTestBase(fixture)
{
    private static int[] Coords(int linear, int[] shape)
    {
        var c = new int[shape.Length];
        for (int i = shape.Length - 1; i >= 0; i--) { c[i] = linear % shape[i]; linear /= shape[i]; }
        return c;
    }

    private static int Linear(int[] c, int[] shape)
    {
        int o = 0;
        for (int i = 0; i < shape.Length; i++) o = o * shape[i] + c[i];
        return o;
    }

    private static int Count(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    [SkippableFact]
    public void Transpose_AnyPerm_AndTiledInnerSwap()
    {
        var t = Fixture.Launcher(a => new GpuTranspose(a));
        (int[] Shape, int[] Perm)[] cases =
        [
            ([2, 3, 4], [2, 0, 1]), ([5, 1, 3, 2], [3, 1, 0, 2]), ([37, 45], [1, 0]),        // 2-D tiled with ragged tiles
            ([3, 33, 17], [0, 2, 1]), ([2, 3, 4, 5], [0, 1, 3, 2]), ([2, 2, 2, 2, 2, 2], [5, 4, 3, 2, 1, 0]), ([4], [0]),
        ];
        foreach (var (shape, perm) in cases)
        {
            var x = Random(Count(shape), shape.Length);
            var expected = new float[x.Length];
            TransposeKernels.Permute(MemoryMarshal.AsBytes(x.AsSpan()), MemoryMarshal.AsBytes(expected.AsSpan()), 4, shape, perm);
            using var dx = Upload(x);
            using var dy = Zeros(x.Length);
            t.Run(Acc.DefaultStream, dx.View, dy.View, shape, perm);
            Acc.Synchronize();
            AssertClose(expected, Download(dy, x.Length), $"transpose [{string.Join(',', shape)}] by [{string.Join(',', perm)}]");
        }
        using var b = Zeros(8);
        Assert.Throws<ArgumentException>(() => t.Run(Acc.DefaultStream, b.View, b.View, [2, 4], [0, 0]));
    }

    [SkippableFact]
    public void Slice_PositiveAndNegativeSteps_Clamped()
    {
        var s = Fixture.Launcher(a => new GpuSlice(a));
        int[] shape = [4, 5, 6];
        var x = Random(Count(shape), 7);
        var cases = new[]
        {
            GpuSliceParams.FromOnnx(shape, [1, 0], [3, 100], [0, 2], [1, 2]),
            GpuSliceParams.FromOnnx(shape, [-1, 10], [-100, 0], [1, 2], [-2, -1]),
            GpuSliceParams.FromOnnx(shape, [0, 0, 5], [4, 5, -7], null, [3, 1, -3]),
            GpuSliceParams.FromOnnx(shape, [2], [2], [0], null),   // empty
        };
        foreach (var p in cases)
        {
            int n = Count(p.OutShape);
            var expected = new float[n];
            for (int o = 0; o < n; o++)
            {
                var c = Coords(o, p.OutShape);
                for (int i = 0; i < c.Length; i++) c[i] = p.Starts[i] + c[i] * p.Steps[i];
                expected[o] = x[Linear(c, shape)];
            }
            using var dx = Upload(x);
            using var dy = Zeros(n);
            s.Run(Acc.DefaultStream, dx.View, dy.View, p);
            Acc.Synchronize();
            AssertClose(expected, Download(dy, n), $"slice to [{string.Join(',', p.OutShape)}]");
        }
        Assert.Equal([2, 5, 3], cases[0].OutShape);
        Assert.Equal([4, 3, 5], cases[1].OutShape);   // axis 1: 4, 2, 0; axis 2: start 10 clamps to 5, down to 1
        Assert.Equal([2, 5, 2], cases[2].OutShape);   // axis 0: 0, 3; axis 2: end −7 → −1, so 5, 2
    }

    [SkippableFact]
    public void ConcatThenSplit_RoundTrips()
    {
        var cs = Fixture.Launcher(a => new GpuConcatSplit(a));
        int outer = 3, inner = 4;
        int[] sizes = [2, 1, 3];
        var parts = sizes.Select((a, j) => Random(outer * a * inner, 20 + j)).ToArray();
        int total = sizes.Sum();
        var expected = new float[outer * total * inner];
        for (int o = 0; o < outer; o++)
        {
            int off = 0;
            for (int j = 0; j < parts.Length; j++)
            {
                Array.Copy(parts[j], o * sizes[j] * inner, expected, (o * total + off) * inner, sizes[j] * inner);
                off += sizes[j];
            }
        }
        var bufs = parts.Select(Upload).ToArray();
        var outs = sizes.Select(a => Zeros(outer * a * inner)).ToArray();
        try
        {
            using var dy = Zeros(expected.Length);
            cs.Concat(Acc.DefaultStream, bufs.Select(b => (ArrayView<float>)b.View).ToArray(), sizes, outer, inner, dy.View);
            Acc.Synchronize();
            AssertClose(expected, Download(dy, expected.Length), "concat");
            cs.Split(Acc.DefaultStream, dy.View, outs.Select(b => (ArrayView<float>)b.View).ToArray(), sizes, outer, inner);
            Acc.Synchronize();
            for (int j = 0; j < parts.Length; j++) AssertClose(parts[j], Download(outs[j], parts[j].Length), $"split {j}");
            Assert.Throws<ArgumentException>(() => cs.Concat(Acc.DefaultStream, bufs.Select(b => (ArrayView<float>)b.View).ToArray(), [2, 1], outer, inner, dy.View));
        }
        finally
        {
            foreach (var b in bufs.Concat(outs)) b.Dispose();
        }
    }

    [SkippableFact]
    public void Gather_Axis_NegativeIndices()
    {
        var g = Fixture.Launcher(a => new GpuGather(a));
        int outer = 2, axis = 5, inner = 3;
        long[] idx = [4, -1, 0, 2, -5, 1];
        var x = Random(outer * axis * inner, 30);
        var expected = new float[outer * idx.Length * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < idx.Length; j++)
                for (int i = 0; i < inner; i++)
                    expected[(o * idx.Length + j) * inner + i] = x[(o * axis + (int)((idx[j] + axis) % axis)) * inner + i];
        using var dx = Upload(x);
        using var di = Acc.Allocate1D(idx);
        using var dy = Zeros(expected.Length);
        g.Run(Acc.DefaultStream, dx.View, di.View, dy.View, outer, axis, inner, idx.Length);
        Acc.Synchronize();
        AssertClose(expected, Download(dy, expected.Length), "gather");
    }

    [SkippableFact]
    public void Pad_EveryMode_AndNegativePads()
    {
        var pad = Fixture.Launcher(a => new GpuPad(a));
        int[] shape = [2, 3, 4];
        var x = Random(Count(shape), 40);
        foreach (var mode in Enum.GetValues<GpuPadMode>())
        {
            foreach (var (pb, pe) in new[] { (new[] { 0, 2, 1 }, new[] { 1, 1, 3 }), (new[] { 1, -1, 0 }, new[] { 0, 2, -2 }) })
            {
                var p = new GpuPadParams(shape, pb, pe, mode, 0.5f);
                var outShape = p.OutShape();
                int n = Count(outShape);
                var expected = new float[n];
                for (int o = 0; o < n; o++)
                {
                    var c = Coords(o, outShape);
                    bool outside = false;
                    for (int i = 0; i < c.Length; i++)
                    {
                        int v = c[i] - pb[i], d = shape[i];
                        if (v >= 0 && v < d) { c[i] = v; continue; }
                        switch (mode)
                        {
                            case GpuPadMode.Constant: outside = true; break;
                            case GpuPadMode.Edge: c[i] = Math.Clamp(v, 0, d - 1); break;
                            case GpuPadMode.Wrap: c[i] = ((v % d) + d) % d; break;
                            default:
                                while (v < 0 || v >= d) v = v < 0 ? -v : 2 * (d - 1) - v;   // mirror without repeating the edge
                                c[i] = v;
                                break;
                        }
                    }
                    expected[o] = outside ? 0.5f : x[Linear(c, shape)];
                }
                using var dx = Upload(x);
                using var dy = Zeros(n);
                pad.Run(Acc.DefaultStream, dx.View, dy.View, p);
                Acc.Synchronize();
                AssertClose(expected, Download(dy, n), $"pad {mode} [{string.Join(',', pb)}]/[{string.Join(',', pe)}]");
            }
        }
        using var b = Zeros(100);
        Assert.Throws<ArgumentException>(() => pad.Run(Acc.DefaultStream, b.View, b.View, new GpuPadParams([2, 3], [0, 3], [0, 0], GpuPadMode.Reflect)));
    }

    [SkippableFact]
    public void Resize_NearestAndLinear_MatchCpuTables()
    {
        var rz = Fixture.Launcher(a => new GpuResize(a));
        int planes = 3, inH = 4, inW = 5, outH = 7, outW = 3;
        var x = Random(planes * inH * inW, 60);
        var rng = new Random(61);
        int[] Idx(int n, int max) => Enumerable.Range(0, n).Select(_ => rng.Next(max)).ToArray();
        float[] W(int n) => Enumerable.Range(0, n).Select(_ => rng.NextSingle()).ToArray();
        var rows = Idx(outH, inH);
        var cols = Idx(outW, inW);
        var expected = new float[planes * outH * outW];
        ResizeKernels.Nearest2D(x, expected, planes, inH, inW, outH, outW, rows, cols);
        using var dx = Upload(x);
        using var dy = Zeros(expected.Length);
        using (var dr = Acc.Allocate1D(rows))
        using (var dc = Acc.Allocate1D(cols))
        {
            rz.Nearest(Acc.DefaultStream, dx.View, dy.View, planes, inH, inW, outH, outW, dr.View, dc.View);
            Acc.Synchronize();
            AssertClose(expected, Download(dy, expected.Length), "resize nearest");
        }
        int[] r0 = Idx(outH, inH), r1 = Idx(outH, inH), c0 = Idx(outW, inW), c1 = Idx(outW, inW);
        float[] wy0 = W(outH), wy1 = W(outH), wx0 = W(outW), wx1 = W(outW);
        ResizeKernels.Linear2D(x, expected, planes, inH, inW, outH, outW, r0, r1, wy0, wy1, c0, c1, wx0, wx1);
        int[] Interleave(int[] a, int[] b) => a.SelectMany((v, k) => new[] { v, b[k] }).ToArray();
        float[] InterleaveF(float[] a, float[] b) => a.SelectMany((v, k) => new[] { v, b[k] }).ToArray();
        using var drl = Acc.Allocate1D(Interleave(r0, r1));
        using var dwy = Acc.Allocate1D(InterleaveF(wy0, wy1));
        using var dcl = Acc.Allocate1D(Interleave(c0, c1));
        using var dwx = Acc.Allocate1D(InterleaveF(wx0, wx1));
        rz.Linear(Acc.DefaultStream, dx.View, dy.View, planes, inH, inW, outH, outW, drl.View, dwy.View, dcl.View, dwx.View);
        Acc.Synchronize();
        AssertClose(expected, Download(dy, expected.Length), "resize linear");
    }
}

[Collection(GpuKernelCollection.Name)]
public sealed class GpuDataTestsOnIlgpuCpu(IlgpuCpuFixture f) : GpuDataTests(f), IClassFixture<IlgpuCpuFixture>;

[Collection(GpuKernelCollection.Name)]
public sealed class GpuDataTestsOnCuda(CudaFixture f) : GpuDataTests(f), IClassFixture<CudaFixture>;
