using Xunit;
using NativeInfer.Kernels.Gpu.Reduce;

namespace NativeInfer.Tests.Gpu.Kernels;

/// <summary>
/// Reductions over axis sets against a plain double-precision reference written here (the CPU Reduce kernels fold
/// rows only; the engine op would need a session per case).
/// </summary>
public abstract class GpuReductionTests(GpuAcceleratorFixture fixture) : GpuTestBase(fixture)
{
    private GpuReduction Reduce => Fixture.Launcher(a => new GpuReduction(a));

    private static float[] Reference(float[] x, int[] shape, bool[] reduced, GpuReduceKind kind)
    {
        int rank = shape.Length;
        var outShape = shape.Select((d, i) => reduced[i] ? 1 : d).ToArray();
        int outCount = outShape.Aggregate(1, (a, b) => a * b);
        var groups = new List<double>[outCount];
        for (int o = 0; o < outCount; o++) groups[o] = [];
        var coord = new int[rank];
        for (int e = 0; e < x.Length; e++)
        {
            int rem = e;
            for (int i = rank - 1; i >= 0; i--) { coord[i] = rem % shape[i]; rem /= shape[i]; }
            int o = 0;
            for (int i = 0; i < rank; i++) o = o * outShape[i] + (reduced[i] ? 0 : coord[i]);
            groups[o].Add(x[e]);
        }
        return groups.Select(g => (float)(kind switch
        {
            GpuReduceKind.Sum => g.Sum(),
            GpuReduceKind.Mean => g.Count == 0 ? double.NaN : g.Average(),
            GpuReduceKind.Max => g.Count == 0 ? double.NegativeInfinity : g.Max(),
            GpuReduceKind.Min => g.Count == 0 ? double.PositiveInfinity : g.Min(),
            GpuReduceKind.Prod => g.Aggregate(1.0, (a, b) => a * b),
            GpuReduceKind.L1 => g.Sum(Math.Abs),
            GpuReduceKind.L2 => Math.Sqrt(g.Sum(v => v * v)),
            GpuReduceKind.SumSquare => g.Sum(v => v * v),
            GpuReduceKind.LogSum => Math.Log(g.Sum()),
            GpuReduceKind.LogSumExp => Math.Log(g.Sum(Math.Exp)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        })).ToArray();
    }

    private void Check(int[] shape, int[] axes, GpuReduceKind kind, int seed, float lo = -1f, float hi = 1f)
    {
        var p = new GpuReduceParams(shape, axes, kind);
        var x = Random(shape.Aggregate(1, (a, b) => a * b), seed, lo, hi);
        var expected = Reference(x, shape, p.Reduced(), kind);
        using var dx = Upload(x);
        using var dy = Zeros(expected.Length);
        Reduce.Run(Acc.DefaultStream, dx.View, dy.View, p);
        Acc.Synchronize();
        AssertClose(expected, Download(dy, expected.Length), $"{kind} over [{string.Join(',', axes)}] of [{string.Join(',', shape)}]");
    }

    [SkippableFact]
    public void EveryKind_MiddleAndMixedAxes_ThreadPath()
    {
        int seed = 1;
        foreach (GpuReduceKind kind in Enum.GetValues<GpuReduceKind>())
        {
            bool positive = kind is GpuReduceKind.LogSum or GpuReduceKind.Prod;
            Check([2, 3, 4], [1], kind, seed++, positive ? 0.5f : -1f, positive ? 1.5f : 1f);
            Check([3, 2, 2, 5], [0, -1], kind, seed++, positive ? 0.5f : -1f, positive ? 1.5f : 1f);
        }
    }

    [SkippableFact]
    public void LongReductions_GroupPath()
    {
        Check([3, 100], [1], GpuReduceKind.Sum, 40);
        Check([70, 3], [0], GpuReduceKind.Max, 41);
        Check([4, 5, 6], [], GpuReduceKind.LogSumExp, 42, -3f, 3f);   // empty axes: all
        Check([2, 9, 3, 4], [1, 3], GpuReduceKind.Mean, 43);
        Check([2, 9, 3, 4], [0, 1, 2], GpuReduceKind.L2, 44);
    }

    [SkippableFact]
    public void EmptyReduction_GivesIdentity_AndNoopWithEmptyAxesCopies()
    {
        Check([3, 0, 2], [1], GpuReduceKind.Sum, 50);
        Check([3, 0, 2], [1], GpuReduceKind.Max, 51);
        Check([3, 0, 2], [1], GpuReduceKind.Prod, 52);
        var x = Random(6, 53);
        using var dx = Upload(x);
        using var dy = Zeros(6);
        Reduce.Run(Acc.DefaultStream, dx.View, dy.View, new GpuReduceParams([2, 3], [], GpuReduceKind.Sum, NoopWithEmptyAxes: true));
        Acc.Synchronize();
        AssertClose(x, Download(dy, 6), "noop");
        Assert.Throws<ArgumentException>(() => Reduce.Run(Acc.DefaultStream, dx.View, dy.View, new GpuReduceParams([2, 3], [2], GpuReduceKind.Sum)));
        Assert.Throws<ArgumentException>(() => Reduce.Run(Acc.DefaultStream, dx.View, dy.View, new GpuReduceParams([2, 3], [1, -1], GpuReduceKind.Sum)));
    }
}

[Collection(GpuKernelCollection.Name)]
public sealed class GpuReductionTestsOnIlgpuCpu(IlgpuCpuFixture f) : GpuReductionTests(f), IClassFixture<IlgpuCpuFixture>;

[Collection(GpuKernelCollection.Name)]
public sealed class GpuReductionTestsOnCuda(CudaFixture f) : GpuReductionTests(f), IClassFixture<CudaFixture>;
