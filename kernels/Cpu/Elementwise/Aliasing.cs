using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeInfer.Kernels.Cpu.Elementwise;

/// <summary>Argument checks shared by the elementwise loops.</summary>
internal static class Aliasing
{
    /// <summary>
    /// Throws unless <paramref name="y"/> is at least as long as <paramref name="x"/> and is either x itself (same start)
    /// or does not overlap it: the loops read a vector ahead of what they store.
    /// </summary>
    public static void Check<TX, TY>(ReadOnlySpan<TX> x, Span<TY> y) where TX : unmanaged where TY : unmanaged
    {
        if (y.Length < x.Length)
            throw new ArgumentException($"Destination has {y.Length} elements, the input {x.Length}.", nameof(y));
        if (x.Length == 0) return;
        var yBytes = MemoryMarshal.AsBytes(y[..x.Length]);
        var xBytes = MemoryMarshal.AsBytes(x);
        if (Unsafe.SizeOf<TX>() == Unsafe.SizeOf<TY>() &&
            Unsafe.AreSame(ref MemoryMarshal.GetReference(xBytes), ref MemoryMarshal.GetReference(yBytes))) return;
        if (xBytes.Overlaps(yBytes))
            throw new ArgumentException("Destination partially overlaps the input; it must be the input itself or disjoint.", nameof(y));
    }
}
