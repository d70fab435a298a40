namespace NativeInfer.Kernels.Numerics;

/// <summary>Shared arithmetic of the 2- and 4-bit integer types: wrap, saturate, truncate from floating point.</summary>
internal static class SubByteInteger
{
    /// <summary>The low <paramref name="bits"/> bits of <paramref name="v"/>, sign-extended when signed.</summary>
    public static int Wrap(long v, int bits, bool signed)
    {
        int shift = 32 - bits;
        int low = (int)v << shift;
        return signed ? low >> shift : (int)((uint)low >> shift);
    }

    /// <summary>Toward zero, NaN as 0, infinities clamped (the value is wrapped afterwards).</summary>
    public static long Truncate(double v) => double.IsNaN(v) ? 0 : (long)Math.Clamp(Math.Truncate(v), long.MinValue, long.MaxValue);
}
