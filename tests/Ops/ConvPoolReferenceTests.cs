using NativeInfer.Onnx.Proto;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Support.OpHarness;
using static NativeInfer.Tests.Support.SpatialIndex;

namespace NativeInfer.Tests.Ops;

/// <summary>
/// Conv, ConvTranspose, MaxPool and AveragePool nodes against direct loop references over random 1-D/2-D/3-D
/// geometries (groups, strides, dilations, asymmetric pads, auto_pad, output_padding, batch &gt; 1). Inputs are small
/// integers, so results are exact.
/// </summary>
public class ConvPoolReferenceTests
{
    private sealed record Geo(int[] In, int[] K, int[] S, int[] D, int[] Pb, int[] Pe);

    private static Geo? RandomGeo(Random rng, int rank, bool padsBelowKernel = false)
    {
        var g = new Geo(new int[rank], new int[rank], new int[rank], new int[rank], new int[rank], new int[rank]);
        for (int d = 0; d < rank; d++)
        {
            g.In[d] = rng.Next(1, rank == 3 ? 6 : 9);
            g.K[d] = rng.Next(1, 4);
            g.S[d] = rng.Next(1, 3);
            g.D[d] = rng.Next(1, 3);
            g.Pb[d] = rng.Next(0, padsBelowKernel ? g.K[d] : 3);
            g.Pe[d] = rng.Next(0, padsBelowKernel ? g.K[d] : 3);
            if (g.In[d] + g.Pb[d] + g.Pe[d] < (g.K[d] - 1) * g.D[d] + 1) return null;
        }
        return g;
    }

    private static int[] OutSize(Geo g) =>
        g.In.Select((n, d) => (n + g.Pb[d] + g.Pe[d] - ((g.K[d] - 1) * g.D[d] + 1)) / g.S[d] + 1).ToArray();

    private static int Count(int[] s) => s.Aggregate(1, (a, b) => a * b);

    private static float[] Ints(Random rng, int n, int range = 3) => Enumerable.Range(0, n).Select(_ => (float)rng.Next(-range, range + 1)).ToArray();

    private static AttributeProto[] WindowAttrs(Geo g, bool withKernelShape) =>
    [
        .. withKernelShape ? new[] { Attr.Ints("kernel_shape", g.K.Select(v => (long)v).ToArray()) } : [],
        Attr.Ints("strides", g.S.Select(v => (long)v).ToArray()),
        Attr.Ints("dilations", g.D.Select(v => (long)v).ToArray()),
        Attr.Ints("pads", [.. g.Pb.Select(v => (long)v), .. g.Pe.Select(v => (long)v)]),
    ];

    private static int[] Shape(int a, int b, int[] spatial) => [a, b, .. spatial];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Conv(int rank)
    {
        var rng = new Random(100 + rank);
        int tested = 0;
        for (int trial = 0; tested < 25 && trial < 200; trial++)
        {
            if (RandomGeo(rng, rank) is not { } g) continue;
            tested++;
            int group = rng.Next(1, 3), cg = rng.Next(1, 3), mg = rng.Next(1, 3), batch = rng.Next(1, 3);
            int c = group * cg, m = group * mg;
            var outSize = OutSize(g);
            int inCount = Count(g.In), outCount = Count(outSize), kCount = Count(g.K);
            var x = Ints(rng, batch * c * inCount);
            var w = Ints(rng, m * cg * kCount);
            var bias = Ints(rng, m, 5);
            var expected = new float[batch * m * outCount];
            for (int n = 0; n < batch; n++)
                for (int oc = 0; oc < m; oc++)
                    for (int o = 0; o < outCount; o++)
                    {
                        var oxy = Unravel(o, outSize);
                        double s = bias[oc];
                        int gi = oc / mg;
                        for (int ic = 0; ic < cg; ic++)
                            for (int k = 0; k < kCount; k++)
                            {
                                var kxy = Unravel(k, g.K);
                                var ixy = oxy.Select((v, d) => v * g.S[d] - g.Pb[d] + kxy[d] * g.D[d]).ToArray();
                                int off = Offset(ixy, g.In);
                                if (off < 0) continue;
                                s += x[(n * c + gi * cg + ic) * inCount + off] * w[(oc * cg + ic) * kCount + k];
                            }
                        expected[(n * m + oc) * outCount + o] = (float)s;
                    }
            var y = Run1("Conv", 11,
                [new Tensor<float>(x, Shape(batch, c, g.In)), new Tensor<float>(w, Shape(m, cg, g.K)), new Tensor<float>(bias, [m])],
                [.. WindowAttrs(g, withKernelShape: trial % 2 == 0), Attr.Int("group", group)]);
            TensorAssert.Close(expected, Shape(batch, m, outSize), y, 0, 1e-3);
        }
        Assert.True(tested >= 15, $"only {tested} geometries tested");
    }

    [Theory]
    [InlineData("SAME_UPPER")]
    [InlineData("SAME_LOWER")]
    [InlineData("VALID")]
    public void ConvAutoPad(string autoPad)
    {
        var rng = new Random(autoPad.Length);
        foreach (var (n, k, s) in new[] { (5, 3, 1), (5, 2, 2), (6, 3, 2), (7, 4, 3), (1, 3, 1), (4, 1, 3) })
        {
            var x = Ints(rng, n);
            var w = Ints(rng, k);
            int outN, pb;
            if (autoPad == "VALID") { outN = (n - k) / s + 1; pb = 0; }
            else
            {
                outN = (n + s - 1) / s;
                int total = Math.Max(0, (outN - 1) * s + k - n);
                pb = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
            }
            if (outN <= 0) continue;
            var expected = new float[outN];
            for (int o = 0; o < outN; o++)
                for (int j = 0; j < k; j++)
                {
                    int i = o * s - pb + j;
                    if (i >= 0 && i < n) expected[o] += x[i] * w[j];
                }
            var y = Run1("Conv", 11, [new Tensor<float>(x, [1, 1, n]), new Tensor<float>(w, [1, 1, k])],
                Attr.Str("auto_pad", autoPad), Attr.Ints("strides", s));
            TensorAssert.Close(expected, [1, 1, outN], y, 0, 1e-3);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ConvTranspose(int rank)
    {
        var rng = new Random(200 + rank);
        int tested = 0;
        for (int trial = 0; tested < 25 && trial < 300; trial++)
        {
            if (RandomGeo(rng, rank) is not { } g) continue;
            // output_padding must stay below the stride (or the dilation).
            var outPad = g.S.Select((s, d) => rng.Next(0, Math.Max(s, g.D[d]))).ToArray();
            var outSize = g.In.Select((n, d) => g.S[d] * (n - 1) + outPad[d] + (g.K[d] - 1) * g.D[d] + 1 - g.Pb[d] - g.Pe[d]).ToArray();
            if (outSize.Any(v => v <= 0)) continue;
            tested++;
            int group = rng.Next(1, 3), cg = rng.Next(1, 3), mg = rng.Next(1, 3), batch = rng.Next(1, 3);
            int c = group * cg, m = group * mg;
            int inCount = Count(g.In), outCount = Count(outSize), kCount = Count(g.K);
            var x = Ints(rng, batch * c * inCount);
            var w = Ints(rng, c * mg * kCount);
            var bias = Ints(rng, m, 5);
            var expected = new float[batch * m * outCount];
            for (int n = 0; n < batch; n++)
                for (int oc = 0; oc < m; oc++)
                    for (int o = 0; o < outCount; o++) expected[(n * m + oc) * outCount + o] = bias[oc];
            for (int n = 0; n < batch; n++)
                for (int ic = 0; ic < c; ic++)
                    for (int i = 0; i < inCount; i++)
                    {
                        var ixy = Unravel(i, g.In);
                        int gi = ic / cg;
                        for (int om = 0; om < mg; om++)
                            for (int k = 0; k < kCount; k++)
                            {
                                var kxy = Unravel(k, g.K);
                                var oxy = ixy.Select((v, d) => v * g.S[d] - g.Pb[d] + kxy[d] * g.D[d]).ToArray();
                                int off = Offset(oxy, outSize);
                                if (off < 0) continue;
                                int oc = gi * mg + om;
                                expected[(n * m + oc) * outCount + off] += x[(n * c + ic) * inCount + i] * w[(ic * mg + om) * kCount + k];
                            }
                    }
            var y = Run1("ConvTranspose", 11,
                [new Tensor<float>(x, Shape(batch, c, g.In)), new Tensor<float>(w, Shape(c, mg, g.K)), new Tensor<float>(bias, [m])],
                [.. WindowAttrs(g, withKernelShape: trial % 2 == 1), Attr.Int("group", group),
                 Attr.Ints("output_padding", outPad.Select(v => (long)v).ToArray())]);
            TensorAssert.Close(expected, Shape(batch, m, outSize), y, 0, 1e-3);
        }
        Assert.True(tested >= 15, $"only {tested} geometries tested");
    }

    [Fact]
    public void ConvTransposeOutputShapeAttribute()
    {
        // in 3, stride 2, kernel 3: natural size 7; output_shape 8 puts the extra element at the end (SAME_UPPER-style split).
        var x = new Tensor<float>([1, 2, 3], [1, 1, 3]);
        var w = new Tensor<float>([1, 1, 1], [1, 1, 3]);
        var y = Run1("ConvTranspose", 11, [x, w], Attr.Ints("strides", 2), Attr.Ints("output_shape", 8));
        TensorAssert.Close([1f, 1, 3, 2, 5, 3, 3, 0], [1, 1, 8], y, 0, 1e-6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MaxPoolWithIndicesAndAveragePool(int rank)
    {
        var rng = new Random(300 + rank);
        int tested = 0;
        for (int trial = 0; tested < 20 && trial < 300; trial++)
        {
            if (RandomGeo(rng, rank, padsBelowKernel: true) is not { } g) continue;
            tested++;
            int batch = rng.Next(1, 3), c = rng.Next(1, 3);
            var outSize = OutSize(g);
            int inCount = Count(g.In), outCount = Count(outSize), kCount = Count(g.K);
            var x = Ints(rng, batch * c * inCount, 9);
            bool columnMajor = trial % 2 == 1, countPad = trial % 3 == 0;
            var eMax = new float[batch * c * outCount];
            var eIdx = new long[eMax.Length];
            var eAvg = new float[eMax.Length];
            bool emptyWindow = false; // a window entirely in padding (possible with dilation) has no agreed value: skip such cases
            for (int p = 0; p < batch * c; p++)
                for (int o = 0; o < outCount; o++)
                {
                    var oxy = Unravel(o, outSize);
                    int best = -1, valid = 0, padded = 0;
                    double sum = 0;
                    for (int k = 0; k < kCount; k++)
                    {
                        var kxy = Unravel(k, g.K);
                        var ixy = oxy.Select((v, d) => v * g.S[d] - g.Pb[d] + kxy[d] * g.D[d]).ToArray();
                        if (ixy.Select((v, d) => v >= -g.Pb[d] && v < g.In[d] + g.Pe[d]).All(b => b)) padded++;
                        int off = Offset(ixy, g.In);
                        if (off < 0) continue;
                        valid++;
                        sum += x[p * inCount + off];
                        if (best < 0 || x[p * inCount + off] > x[p * inCount + best]) best = off;
                    }
                    int at = p * outCount + o;
                    emptyWindow |= valid == 0;
                    eMax[at] = best < 0 ? float.NaN : x[p * inCount + best];
                    eIdx[at] = (long)p * inCount + (columnMajor ? ColumnMajor(Math.Max(best, 0), g.In) : best);
                    eAvg[at] = (float)(sum / (countPad ? padded : valid));
                }
            if (emptyWindow) { tested--; continue; }
            var xs = new Tensor<float>(x, Shape(batch, c, g.In));
            var r = Run("MaxPool", 12, [xs], 2, [.. WindowAttrs(g, true), Attr.Int("storage_order", columnMajor ? 1 : 0)]);
            TensorAssert.Close(eMax, Shape(batch, c, outSize), r[0], 0, 0);
            TensorAssert.Equal(eIdx, Shape(batch, c, outSize), r[1]);
            // AveragePool has no dilations before opset 19.
            var avg = Run1("AveragePool", 19, [xs], [.. WindowAttrs(g, true), Attr.Int("count_include_pad", countPad ? 1 : 0)]);
            TensorAssert.Close(eAvg, Shape(batch, c, outSize), avg, 1e-6, 1e-6);
        }
        Assert.True(tested >= 15, $"only {tested} geometries tested");
    }
}
