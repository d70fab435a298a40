namespace NativeInfer.Tensors;

/// <summary>Shape arithmetic: element counts, strides, broadcasting, axis normalization.</summary>
public static class ShapeUtil
{
    /// <summary>Product of dims; throws <see cref="TensorSizeException"/> on negative dims or overflow.</summary>
    public static int ElementCount(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new TensorSizeException($"Negative dimension {d} in shape [{string.Join(",", shape.ToArray())}].");
            n *= d;
            if (n > Array.MaxLength)
                throw new TensorSizeException($"Shape [{string.Join(",", shape.ToArray())}] has more elements than a tensor may hold.");
        }
        return (int)n;
    }

    /// <summary>Converts ONNX int64 dims to int dims, refusing negative or oversized values.</summary>
    public static int[] FromInt64(ReadOnlySpan<long> dims)
    {
        var r = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0 || dims[i] > Array.MaxLength)
                throw new TensorSizeException($"Dimension {dims[i]} is out of range.");
            r[i] = (int)dims[i];
        }
        ElementCount(r);
        return r;
    }

    /// <summary>Row-major strides in elements.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /// <summary>Numpy-style multidirectional broadcast of two shapes.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da == db || db == 1) r[i] = da;
            else if (da == 1) r[i] = db;
            else throw new ShapeMismatchException(
                $"Shapes [{string.Join(",", a.ToArray())}] and [{string.Join(",", b.ToArray())}] cannot be broadcast.");
        }
        return r;
    }

    /// <summary>Broadcast of any number of shapes.</summary>
    public static int[] BroadcastAll(params int[][] shapes)
    {
        int[] r = Array.Empty<int>();
        foreach (var s in shapes) r = Broadcast((ReadOnlySpan<int>)r, (ReadOnlySpan<int>)s);
        return r;
    }

    /// <summary>
    /// Strides of <paramref name="shape"/> aligned to the broadcast output shape of rank <paramref name="outRank"/>:
    /// broadcast (size-1 or missing) dims get stride 0.
    /// </summary>
    public static int[] BroadcastStrides(ReadOnlySpan<int> shape, int outRank)
    {
        var strides = Strides(shape);
        var r = new int[outRank];
        int off = outRank - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            r[off + i] = shape[i] == 1 ? 0 : strides[i];
        return r;
    }

    /// <summary>Maps a possibly negative axis into [0, rank).</summary>
    public static int NormalizeAxis(long axis, int rank)
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.Max(rank, 1) && !(rank == 0 && a == 0))
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for rank {rank}.");
        return (int)a;
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(",", shape.ToArray()) + "]";
}

/// <summary>Thrown when tensor shapes are incompatible for an operation.</summary>
public sealed class ShapeMismatchException(string message) : Exception(message);
