using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// Det: the determinant of each square matrix in X [..., M, M] (output shape [...]), by LU decomposition with
/// partial pivoting in double precision.
/// </summary>
internal sealed class Det : TensorOp
{
    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.Rank < 2 || x.Shape[^1] != x.Shape[^2])
            throw new ShapeMismatchException($"Det needs square matrices [..., M, M], got {ShapeUtil.Format(x.Shape)}.");
        if (!DataTypes.IsFloatingPoint(x.DataType)) throw new NotSupportedException($"Det does not support {DataTypes.Name(x.DataType)}.");
        int m = x.Shape[^1];
        var y = Tensor.Create(x.DataType, x.Shape[..^2]);
        var all = QuantRange.ToDoubles(x);
        var a = new double[m * m];
        for (int b = 0; b < y.Length; b++)
        {
            Array.Copy(all, (long)b * m * m, a, 0, m * m);
            y.SetDouble(b, Determinant(a, m));
        }
        return [y];
    }

    /// <summary>Determinant of the row-major m×m matrix <paramref name="a"/> (destroyed).</summary>
    private static double Determinant(double[] a, int m)
    {
        double det = 1;
        for (int col = 0; col < m; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < m; r++)
                if (Math.Abs(a[r * m + col]) > Math.Abs(a[pivot * m + col])) pivot = r;
            double p = a[pivot * m + col];
            if (p == 0) return 0;
            if (pivot != col)
            {
                for (int k = 0; k < m; k++) (a[col * m + k], a[pivot * m + k]) = (a[pivot * m + k], a[col * m + k]);
                det = -det;
            }
            det *= p;
            for (int r = col + 1; r < m; r++)
            {
                double f = a[r * m + col] / p;
                if (f == 0) continue;
                for (int k = col + 1; k < m; k++) a[r * m + k] -= f * a[col * m + k];
            }
        }
        return det;
    }
}
