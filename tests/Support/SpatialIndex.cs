namespace NativeInfer.Tests.Support;

/// <summary>Row-major index arithmetic for the reference loops of convolution, pooling and im2col tests.</summary>
internal static class SpatialIndex
{
    /// <summary>The coordinates of row-major <paramref name="index"/> in a block of <paramref name="size"/>.</summary>
    public static int[] Unravel(int index, int[] size)
    {
        var c = new int[size.Length];
        for (int d = size.Length - 1; d >= 0; d--) { c[d] = index % size[d]; index /= size[d]; }
        return c;
    }

    /// <summary>Row-major offset of <paramref name="coord"/> in a block of <paramref name="size"/>, or -1 when outside.</summary>
    public static int Offset(int[] coord, int[] size)
    {
        int off = 0;
        for (int d = 0; d < size.Length; d++)
        {
            if (coord[d] < 0 || coord[d] >= size[d]) return -1;
            off = off * size[d] + coord[d];
        }
        return off;
    }

    /// <summary>Converts a row-major offset to the column-major one (first dim fastest), as MaxPool's storage_order=1.</summary>
    public static int ColumnMajor(int rowMajor, int[] size)
    {
        var c = Unravel(rowMajor, size);
        int off = 0;
        for (int d = size.Length - 1; d >= 0; d--) off = off * size[d] + c[d];
        return off;
    }
}
