using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeInfer.Kernels.Cpu;

/// <summary>
/// A constant left operand op(A) (M×K, e.g. conv weights W[M, C·kh·kw]) packed once by
/// <see cref="SgemmKernel.PackA"/> in the micro-kernel's layout, for any number of later products. Immutable and
/// safe to share between threads; valid only with the <see cref="SgemmKernel"/> (ISA) that packed it.
/// </summary>
/// <remarks>
/// Layout: K blocks of depth PanelDepth; block kb (k0 = kb·PanelDepth, kc rows) starts at k0·PaddedRows and holds
/// PaddedRows / MR strips of kc×MR (element (i, p) at strip i / MR, offset p·MR + i % MR), zero-padded past M.
/// </remarks>
public sealed unsafe class SgemmPackedA
{
    private readonly float[] _storage;

    internal SgemmPackedA(SgemmIsa isa, int rows, int depth, int paddedRows)
    {
        Isa = isa;
        Rows = rows;
        Depth = depth;
        PaddedRows = paddedRows;
        long floats = (long)paddedRows * depth + 16;
        if (floats > Array.MaxLength) throw new ArgumentException($"A packed {rows}x{depth} operand is too large.");
        _storage = GC.AllocateUninitializedArray<float>((int)floats, pinned: true);
    }

    /// <summary>The ISA whose layout this uses.</summary>
    public SgemmIsa Isa { get; }
    /// <summary>M.</summary>
    public int Rows { get; }
    /// <summary>K.</summary>
    public int Depth { get; }
    internal int PaddedRows { get; }
    internal float* Data => SgemmScratch.Align((float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage)));
}
