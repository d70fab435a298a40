using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// Shared pieces of the random ops: the generator (a fresh one from the <c>seed</c> attribute, so a seeded node
/// repeats its output on every run; otherwise the shared thread-safe one), the dtype attribute and the samplers.
/// </summary>
internal static class RandomSampling
{
    /// <summary>The seed attribute, if present.</summary>
    public static float? Seed(Attributes a) => a.Has("seed") ? a.Float("seed", 0) : null;

    public static Random Source(OpContext ctx, float? seed) =>
        seed is { } s ? new Random(BitConverter.SingleToInt32Bits(s)) : ctx.Random;

    /// <summary>The dtype attribute (or <paramref name="fallback"/>), which must be a floating type.</summary>
    public static DataType? FloatType(Attributes a, DataType? fallback, string op)
    {
        if (!a.Has("dtype")) return fallback;
        var t = (DataType)a.Int("dtype", 0);
        if (!DataTypes.IsFloatingPoint(t)) throw new NotSupportedException($"{op}: dtype {t} must be a floating-point type.");
        return t;
    }

    /// <summary>Values uniform in [low, high).</summary>
    public static Tensor Uniform(DataType type, int[] shape, double low, double high, Random rng)
    {
        var t = Tensor.Create(type, shape);
        for (int i = 0; i < t.Length; i++) t.SetDouble(i, low + (high - low) * rng.NextDouble());
        return t;
    }

    /// <summary>Normally distributed values (Box–Muller).</summary>
    public static Tensor Normal(DataType type, int[] shape, double mean, double scale, Random rng)
    {
        var t = Tensor.Create(type, shape);
        for (int i = 0; i < t.Length; i++)
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            t.SetDouble(i, mean + scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return t;
    }

    /// <summary>The shape attribute of RandomUniform / RandomNormal.</summary>
    public static int[] ShapeAttribute(Attributes a, string op) =>
        ShapeUtil.FromInt64(a.Ints("shape") ?? throw new ArgumentException($"{op}: the 'shape' attribute is required."));
}
