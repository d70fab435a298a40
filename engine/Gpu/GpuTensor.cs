using ILGPU;
using ILGPU.Runtime;
using NativeInfer.Tensors;

namespace NativeInfer.Gpu;

/// <summary>
/// A tensor in device memory: element type, shape and a view of a pooled device block (<see cref="GpuBufferPool"/>).
/// Several tensors may share a block (a reshape is a new tensor over the same block); the runner counts the values
/// that reference a block and returns it to the pool after the last one's last reader.
/// </summary>
public sealed class GpuTensor
{
    internal GpuTensor(DataType type, int[] shape, GpuBlock block)
    {
        DataType = type;
        Shape = shape;
        Length = ShapeUtil.ElementCount(shape);
        Block = block;
    }

    public DataType DataType { get; }
    public int[] Shape { get; }
    public int Rank => Shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    internal GpuBlock Block { get; }

    /// <summary>Size in bytes.</summary>
    public long Bytes => (long)Length * DataTypes.SizeOf(DataType);

    /// <summary>The tensor's bytes on the device.</summary>
    public ArrayView<byte> Raw => AllBytes.SubView(0, Math.Max(1, Bytes));

    private ArrayView<byte> AllBytes => Block.Buffer.View;

    /// <summary>The elements as float32 (throws for another element type).</summary>
    public ArrayView<float> Float => DataType == DataType.Float
        ? AllBytes.SubView(0, Math.Max(4, Bytes)).Cast<float>().SubView(0, Length)
        : throw new NotSupportedException($"Expected a float32 GPU tensor, got {DataTypes.Name(DataType)}.");

    /// <summary>The same elements with another shape (no copy).</summary>
    public GpuTensor Reshape(int[] shape)
    {
        if (ShapeUtil.ElementCount(shape) != Length)
            throw new ShapeMismatchException($"Cannot reshape {ShapeUtil.Format(Shape)} to {ShapeUtil.Format(shape)}.");
        return new GpuTensor(DataType, shape, Block);
    }

    public override string ToString() => $"gpu:{DataTypes.Name(DataType)}{ShapeUtil.Format(Shape)}";
}

/// <summary>A device allocation from the pool, with the count of live values referencing it.</summary>
internal sealed class GpuBlock(MemoryBuffer1D<byte, Stride1D.Dense> buffer, bool persistent)
{
    public MemoryBuffer1D<byte, Stride1D.Dense> Buffer { get; } = buffer;

    /// <summary>Weights uploaded at session creation: never returned to the pool.</summary>
    public bool Persistent { get; } = persistent;

    public int Refs;
}
