using System.Runtime.CompilerServices;
using NativeInfer.Tensors;

namespace NativeInfer.Runtime;

/// <summary>
/// An element type an arena can hold (one arena array per type), with what the planner needs without knowing the type
/// statically: its size and how to allocate a pinned arena of it. <see cref="ArenaElement{T}.Instance"/> is unique per
/// type, so placements compare element types by reference.
/// </summary>
internal abstract class ArenaElement
{
    public abstract int Size { get; }
    public abstract DataType DataType { get; }

    /// <summary>Offset alignment in bytes: a cache line, or a multiple of the element size when 64 is not one.</summary>
    public int Alignment => MemoryPlanner.DefaultAlignment % Size == 0 ? MemoryPlanner.DefaultAlignment : Size * MemoryPlanner.DefaultAlignment;

    /// <summary>
    /// A pinned array of at least <paramref name="elements"/> elements from <c>skew</c> on, where element <c>skew</c> is
    /// 64-byte aligned (pinned: its address, hence the alignment, never changes).
    /// </summary>
    public abstract Array Allocate(long elements, out int skew);

    public abstract bool Contains(Array array, Tensor tensor, int skew, out long byteOffset);
}

internal sealed class ArenaElement<T> : ArenaElement
{
    public static readonly ArenaElement<T> Instance = new();

    public override int Size => Unsafe.SizeOf<T>();
    public override DataType DataType => DataTypes.Of<T>();

    public override unsafe Array Allocate(long elements, out int skew)
    {
        int pad = Math.Max(1, MemoryPlanner.DefaultAlignment / Size);
        var array = GC.AllocateUninitializedArray<T>(checked((int)(elements + pad)), pinned: true);
        long address = (long)Unsafe.AsPointer(ref array[0]);
        long misalignment = (MemoryPlanner.DefaultAlignment - address % MemoryPlanner.DefaultAlignment) % MemoryPlanner.DefaultAlignment;
        skew = misalignment % Size == 0 && misalignment / Size < pad ? (int)(misalignment / Size) : 0;
        return array;
    }

    /// <summary>Whether the tensor's storage lies in this arena array; if so, its byte offset from element skew.</summary>
    public override unsafe bool Contains(Array array, Tensor tensor, int skew, out long byteOffset)
    {
        byteOffset = 0;
        if (tensor is not Tensor<T> t || t.Length == 0) return false;
        long start = (long)Unsafe.AsPointer(ref ((T[])array)[skew]);
        long at = (long)Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(t.Span));
        byteOffset = at - start;
        return true;
    }
}
