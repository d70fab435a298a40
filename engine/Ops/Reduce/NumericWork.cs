using System.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>A computation on a typed tensor, generic over the numeric element type (see <see cref="NumericWork"/>).</summary>
internal interface ITensorFunc
{
    Tensor Invoke<T>(Tensor<T> x) where T : unmanaged, INumber<T>;
}

/// <summary>
/// Element-type plumbing for the family: runs a generic computation on the tensor's own numeric type, widening
/// float16/bfloat16 to float32 (and bool to uint8 where allowed) and narrowing a same-typed result back.
/// </summary>
internal static class NumericWork
{
    public static Tensor Apply<TF>(Tensor x, TF f, string op, bool allowBool = false) where TF : ITensorFunc => x.DataType switch
    {
        DataType.Float => f.Invoke(x.As<float>()),
        DataType.Double => f.Invoke(x.As<double>()),
        DataType.Float16 or DataType.BFloat16 => Narrow(f.Invoke(TensorConvert.ToFloat(x)), DataType.Float, x.DataType),
        DataType.Bool when allowBool => Narrow(f.Invoke(TensorConvert.Convert(x, DataType.UInt8).As<byte>()), DataType.UInt8, DataType.Bool),
        DataType.Int8 => f.Invoke(x.As<sbyte>()),
        DataType.Int16 => f.Invoke(x.As<short>()),
        DataType.Int32 => f.Invoke(x.As<int>()),
        DataType.Int64 => f.Invoke(x.As<long>()),
        DataType.UInt8 => f.Invoke(x.As<byte>()),
        DataType.UInt16 => f.Invoke(x.As<ushort>()),
        DataType.UInt32 => f.Invoke(x.As<uint>()),
        DataType.UInt64 => f.Invoke(x.As<ulong>()),
        _ => throw new NotSupportedException($"{op}: element type {DataTypes.Name(x.DataType)} is not supported."),
    };

    private static Tensor Narrow(Tensor r, DataType work, DataType original) =>
        r.DataType == work ? TensorConvert.Convert(r, original) : r;
}

/// <summary>
/// Element-type plumbing for the floating-point-only ops (softmax, normalizations, losses): float64 computes in
/// double, float32/float16/bfloat16 in float.
/// </summary>
internal static class FloatWork
{
    /// <summary>True when <paramref name="x"/> computes in double; throws for non-floating element types.</summary>
    public static bool IsDouble(Tensor x, string op) => x.DataType switch
    {
        DataType.Double => true,
        DataType.Float or DataType.Float16 or DataType.BFloat16 => false,
        _ => throw new NotSupportedException($"{op}: element type {DataTypes.Name(x.DataType)} is not supported (floating point only)."),
    };

    /// <summary>The tensor as element type T (converted when needed).</summary>
    public static Tensor<T> As<T>(Tensor t) where T : unmanaged => TensorConvert.Convert(t, DataTypes.Of<T>()).As<T>();

    /// <summary>The tensor as element type T, or null.</summary>
    public static Tensor<T>? AsOpt<T>(Tensor? t) where T : unmanaged => t is null ? null : As<T>(t);

    /// <summary>Converts a computed tensor to the caller's element type.</summary>
    public static Tensor To(Tensor t, DataType type) => TensorConvert.Convert(t, type);

    /// <summary>
    /// Materializes <paramref name="src"/> broadcast (numpy rules, one direction) to <paramref name="target"/>;
    /// throws when it does not broadcast.
    /// </summary>
    public static T[] Expand<T>(Tensor<T> src, int[] target, string op, string what)
    {
        if (!CanExpand(src.Shape, target))
            throw new ShapeMismatchException($"{op}: {what} {ShapeUtil.Format(src.Shape)} does not broadcast to {ShapeUtil.Format(target)}.");
        var strides = ShapeUtil.BroadcastStrides(Trim(src.Shape, target.Length), target.Length);
        var r = new T[ShapeUtil.ElementCount(target)];
        var s = src.Span;
        Span<int> idx = stackalloc int[target.Length];
        int off = 0;
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = s[off];
            for (int d = target.Length - 1; d >= 0; d--)
            {
                off += strides[d];
                if (++idx[d] < target[d]) break;
                off -= strides[d] * target[d];
                idx[d] = 0;
            }
        }
        return r;
    }

    /// <summary>True when <paramref name="src"/> broadcasts to <paramref name="target"/> without changing it.</summary>
    public static bool CanExpand(int[] src, int[] target)
    {
        var s = Trim(src, target.Length);
        if (s.Length > target.Length) return false;
        for (int i = 1; i <= s.Length; i++)
            if (s[^i] != 1 && s[^i] != target[^i]) return false;
        return true;
    }

    // Leading 1s beyond the target rank do not matter to broadcasting into it.
    private static int[] Trim(int[] shape, int rank)
    {
        int drop = 0;
        while (shape.Length - drop > rank && shape[drop] == 1) drop++;
        return shape[drop..];
    }
}
