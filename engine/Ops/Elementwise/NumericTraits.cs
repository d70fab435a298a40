using System.Runtime.CompilerServices;

namespace NativeInfer.Ops.Elementwise;

/// <summary>Element type facts as JIT-time constants inside generic kernels.</summary>
internal static class NumericTraits
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsFloat<T>() =>
        typeof(T) == typeof(float) || typeof(T) == typeof(double) || typeof(T) == typeof(Half);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsSignedInteger<T>() => typeof(T) == typeof(sbyte) || typeof(T) == typeof(short)
        || typeof(T) == typeof(int) || typeof(T) == typeof(long);

    /// <summary>Bit width of an integer type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BitWidth<T>() where T : unmanaged => Unsafe.SizeOf<T>() * 8;
}
