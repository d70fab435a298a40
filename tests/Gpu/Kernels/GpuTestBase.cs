using Xunit;
using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Tests.Gpu.Kernels;

/// <summary>Shared plumbing of the GPU kernel tests: the accelerator, device buffers, random data and the comparison.</summary>
public abstract class GpuTestBase(GpuAcceleratorFixture fixture)
{
    protected GpuAcceleratorFixture Fixture { get; } = fixture;

    /// <summary>The accelerator, or a skip when it is absent.</summary>
    protected Accelerator Acc
    {
        get
        {
            Skip.If(Fixture.Accelerator is null, "No such accelerator here. " + Fixture.Reason);
            return Fixture.Accelerator!;
        }
    }

    protected MemoryBuffer1D<float, Stride1D.Dense> Upload(float[] data) =>
        data.Length == 0 ? Acc.Allocate1D<float>(1) : Acc.Allocate1D(data);

    protected MemoryBuffer1D<float, Stride1D.Dense> Zeros(long n) => Acc.Allocate1D<float>(Math.Max(1, n));

    protected static float[] Download(MemoryBuffer1D<float, Stride1D.Dense> buffer, long n)
    {
        var all = buffer.GetAsArray1D();
        return all.AsSpan(0, (int)n).ToArray();
    }

    protected static float[] Random(long n, int seed, float lo = -1f, float hi = 1f)
    {
        var rng = new Random(seed);
        var r = new float[n];
        for (long i = 0; i < n; i++) r[i] = lo + (hi - lo) * rng.NextSingle();
        return r;
    }

    /// <summary>|actual − expected| ≤ 1e-4 + 1e-3·|expected| everywhere (NaN matches NaN).</summary>
    protected static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) && float.IsNaN(a)) continue;
            if (float.IsInfinity(e) && e == a) continue;
            if (!(MathF.Abs(a - e) <= 1e-4f + 1e-3f * MathF.Abs(e)))
                Assert.Fail($"{what} element {i}: expected {e}, got {a}.");
        }
    }
}
