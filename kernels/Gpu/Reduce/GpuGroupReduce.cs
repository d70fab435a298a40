using ILGPU;

namespace NativeInfer.Kernels.Gpu.Reduce;

/// <summary>
/// Tree reductions across one thread group in shared memory, for the one-group-per-row kernels (softmax, layer norm,
/// global pooling, reductions). The group is one-dimensional and its size a power of two (<see cref="GroupSize"/>);
/// every thread of the group must call, and all get the result.
/// </summary>
internal static class GpuGroupReduce
{
    /// <summary>Threads per group of the row kernels.</summary>
    public const int GroupSize = 256;

    public const int Sum = 0;
    public const int Max = 1;
    public const int Min = 2;
    public const int Prod = 3;

    public static float Combine(int op, float a, float b)
    {
        switch (op)
        {
            // NaN propagates, as MathF.Max/Min do in the CPU reductions.
            case Max: return a != a || b != b ? float.NaN : a > b ? a : b;
            case Min: return a != a || b != b ? float.NaN : a < b ? a : b;
            case Prod: return a * b;
            default: return a + b;
        }
    }

    /// <summary>Reduces one value per thread; <paramref name="scratch"/> holds <see cref="GroupSize"/> floats.</summary>
    public static float Reduce(ArrayView<float> scratch, float v, int op)
    {
        int t = Group.IdxX;
        scratch[t] = v;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s >>= 1)
        {
            if (t < s) scratch[t] = Combine(op, scratch[t], scratch[t + s]);
            Group.Barrier();
        }
        float r = scratch[0];
        Group.Barrier();   // scratch is reused by the next reduction
        return r;
    }
}
