using Xunit;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Kernels.Gpu.Normalization;
using NativeInfer.Kernels.Gpu.Softmax;

namespace NativeInfer.Tests.Gpu.Kernels;

/// <summary>BatchNormalization, LayerNormalization and (Log)Softmax against the CPU kernels.</summary>
public abstract class GpuNormalizationTests(GpuAcceleratorFixture fixture) : GpuTestBase(fixture)
{
    [SkippableFact]
    public void BatchNormalization_MatchesCpuChannelAffine()
    {
        var bn = Fixture.Launcher(a => new GpuBatchNormalization(a));
        int batch = 2, c = 3, spatial = 13;
        float eps = 1e-5f;
        var x = Random(batch * c * spatial, 1);
        var scale = Random(c, 2);
        var bias = Random(c, 3);
        var mean = Random(c, 4);
        var variance = Random(c, 5, 0.1f, 2f);
        var invStd = variance.Select(v => 1f / MathF.Sqrt(v + eps)).ToArray();
        var expected = new float[x.Length];
        NormalizationKernels.ChannelAffine(x, expected, batch, c, spatial, false, mean, invStd, scale, bias);
        using var dx = Upload(x);
        using var ds = Upload(scale);
        using var db = Upload(bias);
        using var dm = Upload(mean);
        using var dv = Upload(variance);
        using var dy = Zeros(x.Length);
        bn.Run(Acc.DefaultStream, dx.View, ds.View, db.View, dm.View, dv.View, dy.View, new GpuBatchNormParams(batch, c, spatial, eps));
        Acc.Synchronize();
        AssertClose(expected, Download(dy, x.Length), "batchnorm");
        Assert.Throws<ArgumentException>(() => bn.Run(Acc.DefaultStream, dx.View, ds.View, db.View, dm.View, dv.View, dy.View, new GpuBatchNormParams(batch, c + 1, spatial, eps)));
    }

    [SkippableFact]
    public void LayerNormalization_SharedAndPerRowParams_WithStats()
    {
        var ln = Fixture.Launcher(a => new GpuLayerNormalization(a));
        foreach (var (rows, n, perRow, hasBias) in new[] { (3, 5, false, true), (2, 300, true, false), (4, 1, false, true) })
        {
            var x = Random(rows * n, n);
            var scale = Random(perRow ? rows * n : n, n + 1);
            var bias = hasBias ? Random(perRow ? rows * n : n, n + 2) : [];
            int stride = perRow ? n : 0;
            var expected = new float[x.Length];
            var eMean = new float[rows];
            var eInv = new float[rows];
            NormalizationKernels.LayerNorm(x, expected, rows, n, scale, stride, bias, stride, 1e-5f, eMean, eInv);
            using var dx = Upload(x);
            using var ds = Upload(scale);
            using var db = Upload(bias);
            using var dy = Zeros(x.Length);
            using var dm = Zeros(rows);
            using var di = Zeros(rows);
            var p = new GpuLayerNormParams(rows, n, 1e-5f, hasBias, stride, stride, HasStats: true);
            ln.Run(Acc.DefaultStream, dx.View, ds.View, hasBias ? db.View : default, dy.View, dm.View, di.View, p);
            Acc.Synchronize();
            AssertClose(expected, Download(dy, x.Length), $"layernorm {rows}x{n}");
            AssertClose(eMean, Download(dm, rows), "mean");
            AssertClose(eInv, Download(di, rows), "invstd");
        }
    }

    [SkippableFact]
    public void Softmax_AndLogSoftmax_InnerAndOuterAxes()
    {
        var sm = Fixture.Launcher(a => new GpuSoftmax(a));
        foreach (var (outer, n, inner) in new[] { (3, 7, 1), (2, 5, 3), (1, 300, 1), (2, 1, 2) })
        {
            foreach (bool log in new[] { false, true })
            {
                var x = Random(outer * n * inner, n + inner, -5f, 5f);
                var expected = new float[x.Length];
                SoftmaxKernels.Softmax(x, expected, outer, n, inner, log);
                using var dx = Upload(x);
                using var dy = Zeros(x.Length);
                sm.Run(Acc.DefaultStream, dx.View, dy.View, new GpuSoftmaxParams(outer, n, inner, log));
                Acc.Synchronize();
                AssertClose(expected, Download(dy, x.Length), $"softmax log={log} [{outer},{n},{inner}]");
            }
        }
    }
}

[Collection(GpuKernelCollection.Name)]
public sealed class GpuNormalizationTestsOnIlgpuCpu(IlgpuCpuFixture f) : GpuNormalizationTests(f), IClassFixture<IlgpuCpuFixture>;

[Collection(GpuKernelCollection.Name)]
public sealed class GpuNormalizationTestsOnCuda(CudaFixture f) : GpuNormalizationTests(f), IClassFixture<CudaFixture>;
