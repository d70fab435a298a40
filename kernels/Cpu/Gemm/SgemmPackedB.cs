using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// A constant right operand op(B) (K×N, e.g. MatMul/Gemm weights) packed once by <see cref="SgemmKernel.PackB"/> in
/// the micro-kernel's layout, for any number of later products. Immutable and safe to share between threads; valid
/// only with the <see cref="SgemmKernel"/> (ISA) that packed it.
/// </summary>
/// <remarks>
/// Layout: K blocks of depth PanelDepth; block kb (k0 = kb·PanelDepth, kc rows) starts at k0·PaddedColumns and is the
/// <see cref="ISgemmBPacker"/> panel of rows [k0, k0 + kc) and all columns: strips of kc×NR, zero-padded past N.
/// </remarks>
public sealed unsafe class SgemmPackedB
{
    private readonly float[] _storage;

    internal SgemmPackedB(SgemmIsa isa, int depth, int columns, int paddedColumns)
    {
        Isa = isa;
        Depth = depth;
        Columns = columns;
        PaddedColumns = paddedColumns;
        long floats = (long)paddedColumns * depth + 16;
        if (floats > Array.MaxLength) throw new ArgumentException($"A packed {depth}x{columns} operand is too large.");
        _storage = GC.AllocateUninitializedArray<float>((int)floats, pinned: true);
    }

    /// <summary>The ISA whose layout this uses.</summary>
    public SgemmIsa Isa { get; }
    /// <summary>K.</summary>
    public int Depth { get; }
    /// <summary>N.</summary>
    public int Columns { get; }
    internal int PaddedColumns { get; }
    internal float* Data => SgemmScratch.Align((float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage)));
}
