using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// Per-thread packing buffers (pinned, 64-byte aligned, grown on demand and then reused), so a GEMM allocates nothing
/// large per call. A thread runs one GEMM task at a time, so one A block and one B panel per thread suffice.
/// </summary>
internal static unsafe class SgemmScratch
{
    [ThreadStatic] private static float[]? t_a;
    [ThreadStatic] private static float[]? t_b;

    public static float* ABlock(int floats) => Get(ref t_a, floats);
    public static float* BPanel(int floats) => Get(ref t_b, floats);

    private static float* Get(ref float[]? buffer, int floats)
    {
        if (buffer is null || buffer.Length < floats + 16)
            buffer = GC.AllocateUninitializedArray<float>(floats + 16, pinned: true);
        return Align((float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer)));
    }

    public static float* Align(float* p) => (float*)(((nint)p + 63) & ~(nint)63);
}
