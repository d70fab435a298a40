using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// Statistics the normalization ops need, each one pass of <see cref="ReduceDriver"/> over a plan: mean, population
/// variance (centered on the mean, a second pass, so no cancellation), mean square, and the inverse standard deviation.
/// </summary>
internal static class Moments
{
    public static T[] Mean<T>(ReadOnlySpan<T> x, ReducePlan plan) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = new T[plan.OutputCount];
        ReduceDriver.Reduce<T, ReduceMean.Kernel>(x, plan, r, default);
        return r;
    }

    /// <summary>Σ (x − center)² / n per output; the uncentered mean square when <paramref name="center"/> is empty.</summary>
    public static T[] MeanSquare<T>(ReadOnlySpan<T> x, ReducePlan plan, ReadOnlySpan<T> center) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = new T[plan.OutputCount];
        ReduceDriver.Reduce<T, MeanSquareKernel>(x, plan, r, center);
        return r;
    }

    /// <summary>1 / sqrt(v + epsilon), in place.</summary>
    public static T[] InvStd<T>(T[] variance, double epsilon) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T eps = T.CreateTruncating(epsilon);
        for (int i = 0; i < variance.Length; i++) variance[i] = T.One / T.Sqrt(variance[i] + eps);
        return variance;
    }

    /// <summary>Mean and inverse standard deviation per output of <paramref name="plan"/>.</summary>
    public static (T[] Mean, T[] InvStd) Standardize<T>(ReadOnlySpan<T> x, ReducePlan plan, double epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mean = Mean(x, plan);
        return (mean, InvStd(MeanSquare(x, plan, mean), epsilon));
    }

    /// <summary>A statistics vector as a tensor of the given shape and element type.</summary>
    public static Tensor ToTensor<T>(T[] values, int[] shape, DataType type) where T : unmanaged =>
        FloatWork.To(new Tensor<T>(values, shape), type);

    private struct MeanSquareKernel : IReduction
    {
        public static Acc<T> Init<T>() where T : unmanaged, INumber<T> => default;
        public static void Step<T>(ref Acc<T> acc, T x) where T : unmanaged, INumber<T> => acc.Value += x * x;
        public static T Finish<T>(in Acc<T> acc, int count) where T : unmanaged, INumber<T> =>
            count == 0 ? NumericLimits.FromDouble<T>(double.NaN) : acc.Value / T.CreateTruncating(count);
    }
}
