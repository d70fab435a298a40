using System.Runtime.InteropServices;
using NativeInfer.Kernels.Numerics;

namespace NativeInfer.Tensors;

/// <summary>
/// A dense, row-major tensor of one element type. The typed view is <see cref="Tensor{T}"/>; its storage is a
/// <see cref="Memory{T}"/>, so a tensor can wrap caller memory without copying.
/// </summary>
public abstract class Tensor : Value
{
    private protected Tensor(DataType dataType, int[] shape)
    {
        DataType = dataType;
        Shape = shape;
        Length = ShapeUtil.ElementCount(shape);
    }

    public DataType DataType { get; }

    /// <summary>Dimensions, outermost first. Do not mutate.</summary>
    public int[] Shape { get; }

    public int Rank => Shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The array behind the storage (shared by views), or null when the memory is not array-backed.</summary>
    internal abstract Array? StorageArray { get; }

    /// <summary>A tensor with the same data viewed with another shape of the same element count.</summary>
    public abstract Tensor Reshape(int[] shape);

    /// <summary>A deep copy.</summary>
    public abstract Tensor Clone();

    /// <summary>The typed view; throws when the element type differs.</summary>
    public Tensor<T> As<T>() => this as Tensor<T>
        ?? throw new InvalidOperationException($"Tensor holds {DataTypes.Name(DataType)}, not {typeof(T).Name}.");

    /// <summary>Allocates a zero-filled tensor of the given element type and shape.</summary>
    public static Tensor Create(DataType type, int[] shape) => type switch
    {
        DataType.Float => new Tensor<float>(shape),
        DataType.Double => new Tensor<double>(shape),
        DataType.Float16 => new Tensor<Half>(shape),
        DataType.BFloat16 => new Tensor<BFloat16>(shape),
        DataType.Int8 => new Tensor<sbyte>(shape),
        DataType.Int16 => new Tensor<short>(shape),
        DataType.Int32 => new Tensor<int>(shape),
        DataType.Int64 => new Tensor<long>(shape),
        DataType.UInt8 => new Tensor<byte>(shape),
        DataType.UInt16 => new Tensor<ushort>(shape),
        DataType.UInt32 => new Tensor<uint>(shape),
        DataType.UInt64 => new Tensor<ulong>(shape),
        DataType.Bool => new Tensor<bool>(shape),
        DataType.String => new Tensor<string>(shape),
        DataType.Float8E4M3FN => new Tensor<Float8E4M3FN>(shape),
        DataType.Float8E4M3FNUZ => new Tensor<Float8E4M3FNUZ>(shape),
        DataType.Float8E5M2 => new Tensor<Float8E5M2>(shape),
        DataType.Float8E5M2FNUZ => new Tensor<Float8E5M2FNUZ>(shape),
        DataType.Float8E8M0 => new Tensor<Float8E8M0>(shape),
        DataType.Float4E2M1 => new Tensor<Float4E2M1>(shape),
        DataType.Int4 => new Tensor<Int4>(shape),
        DataType.UInt4 => new Tensor<UInt4>(shape),
        DataType.Int2 => new Tensor<Int2>(shape),
        DataType.UInt2 => new Tensor<UInt2>(shape),
        _ => throw new NotSupportedException($"Element type {type} is not supported by NativeInfer."),
    };

    /// <summary>Element i converted to double (numeric and bool tensors).</summary>
    public abstract double GetDouble(int index);

    /// <summary>The storage as bytes (little-endian elements, one byte per low-precision element); not for strings.</summary>
    public abstract Span<byte> RawBytes();

    /// <summary>Stores a double into element i, converting to the element type.</summary>
    public abstract void SetDouble(int index, double value);

    /// <summary>Reads an integer tensor (any integer element type) as longs: for shape, axes, indices inputs.</summary>
    public long[] ToInt64Array()
    {
        var r = new long[Length];
        switch (this)
        {
            case Tensor<long> t: t.Span.CopyTo(r); break;
            case Tensor<int> t: for (int i = 0; i < r.Length; i++) r[i] = t.Span[i]; break;
            default: for (int i = 0; i < r.Length; i++) r[i] = checked((long)GetDouble(i)); break;
        }
        return r;
    }

    /// <summary>Element values as doubles (numeric and bool tensors), exact for every type up to 32-bit integers.</summary>
    public double[] ToDoubleArray()
    {
        TensorLimits.CheckAllocation(Length, DataType.Double);
        var r = new double[Length];
        switch (this)
        {
            case Tensor<float> f: { var s = f.Span; for (int i = 0; i < r.Length; i++) r[i] = s[i]; break; }
            case Tensor<double> d: d.Span.CopyTo(r); break;
            case Tensor<Half> h: { var s = h.Span; for (int i = 0; i < r.Length; i++) r[i] = (double)s[i]; break; }
            case Tensor<int> n: { var s = n.Span; for (int i = 0; i < r.Length; i++) r[i] = s[i]; break; }
            case Tensor<byte> b: { var s = b.Span; for (int i = 0; i < r.Length; i++) r[i] = s[i]; break; }
            case Tensor<sbyte> b: { var s = b.Span; for (int i = 0; i < r.Length; i++) r[i] = s[i]; break; }
            default: for (int i = 0; i < r.Length; i++) r[i] = GetDouble(i); break;
        }
        return r;
    }

    public override string ToString() => $"{DataTypes.Name(DataType)}[{string.Join(",", Shape)}]";
}

/// <summary>A tensor with elements of CLR type <typeparamref name="T"/>.</summary>
public sealed class Tensor<T> : Tensor
{
    /// <summary>Allocates a zero-filled tensor (during a run, possibly a cleared buffer from the session's pool).</summary>
    public Tensor(int[] shape) : base(DataTypes.Of<T>(), shape)
    {
        TensorLimits.CheckAllocation(Length, DataType);
        if (Runtime.ExecutionScope.TryRent<T>(Length, clear: true, out var pooled))
        {
            Memory = pooled;
            return;
        }
        var data = new T[Length];
        if (typeof(T) == typeof(string)) ((string[])(object)data).AsSpan().Fill(string.Empty);
        Memory = data;
    }

    /// <summary>Wraps existing memory without copying; its length must equal the shape's element count.</summary>
    public Tensor(Memory<T> memory, int[] shape) : base(DataTypes.Of<T>(), shape)
    {
        if (memory.Length != Length)
            throw new ArgumentException($"Buffer has {memory.Length} elements but shape [{string.Join(",", shape)}] needs {Length}.");
        Memory = memory;
    }

    public Tensor(T[] data, int[] shape) : this(data.AsMemory(), shape) { }

    /// <summary>
    /// A tensor whose elements may hold garbage: for kernels that overwrite every element. Same as
    /// <c>new Tensor&lt;T&gt;(shape)</c> except that the zeroing may be skipped (reference types are still initialized);
    /// during a run the buffer may come from the session's pool or memory arena, holding a previous tensor's values.
    /// </summary>
    public static Tensor<T> Uninitialized(int[] shape)
    {
        int length = ShapeUtil.ElementCount(shape);
        TensorLimits.CheckAllocation(length, DataTypes.Of<T>());
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>()) return new Tensor<T>(shape);
        if (Runtime.ExecutionScope.TryRent<T>(length, clear: false, out var pooled)) return new Tensor<T>(pooled, shape);
        return new Tensor<T>(GC.AllocateUninitializedArray<T>(length), shape);
    }

    /// <summary>A rank-0 tensor holding one value.</summary>
    public static Tensor<T> Scalar(T value) => new(new[] { value }, Array.Empty<int>());

    public Memory<T> Memory { get; }

    internal override Array? StorageArray => MemoryMarshal.TryGetArray<T>(Memory, out var segment) ? segment.Array : null;

    public Span<T> Span => Memory.Span;

    public T this[int index]
    {
        get => Memory.Span[index];
        set => Memory.Span[index] = value;
    }

    public T[] ToArray() => Memory.ToArray();

    public override Tensor Reshape(int[] shape) => new Tensor<T>(Memory, shape);

    public override Span<byte> RawBytes()
    {
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            throw new NotSupportedException($"A {DataTypes.Name(DataType)} tensor has no byte view.");
        var span = Memory.Span;
        return MemoryMarshal.CreateSpan(ref System.Runtime.CompilerServices.Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(span)),
            span.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
    }

    public override Tensor Clone() => new Tensor<T>(Memory.ToArray(), (int[])Shape.Clone());

    public override double GetDouble(int index) => ScalarConvert.ToDouble(Memory.Span[index]);

    public override void SetDouble(int index, double value) => Memory.Span[index] = ScalarConvert.FromDouble<T>(value);
}

/// <summary>Per-run limits on what a tensor may allocate; a hostile shape gets an exception, not an OOM.</summary>
public static class TensorLimits
{
    private static readonly AsyncLocal<long?> s_maxBytes = new();

    /// <summary>Default cap on a single tensor: 4 GiB.</summary>
    public const long DefaultMaxTensorBytes = 4L << 30;

    /// <summary>The cap in force on this thread / async flow.</summary>
    public static long MaxTensorBytes => s_maxBytes.Value ?? DefaultMaxTensorBytes;

    /// <summary>Sets the cap for the current async flow (the session does this around Run).</summary>
    public static IDisposable Push(long maxBytes)
    {
        var previous = s_maxBytes.Value;
        s_maxBytes.Value = maxBytes;
        return new Restore(previous);
    }

    public static void CheckAllocation(long elements, DataType type)
    {
        long bytes = elements * (type == DataType.String ? 8 : DataTypes.SizeOf(type));
        if (bytes > MaxTensorBytes || elements > Array.MaxLength)
            throw new TensorSizeException(
                $"Refusing to allocate a {DataTypes.Name(type)} tensor of {elements} elements ({bytes} bytes): the limit is {MaxTensorBytes} bytes.");
    }

    private sealed class Restore(long? previous) : IDisposable
    {
        public void Dispose() => s_maxBytes.Value = previous;
    }
}

/// <summary>Thrown when a tensor would exceed the configured size limit or its shape overflows.</summary>
public sealed class TensorSizeException(string message) : Exception(message);
