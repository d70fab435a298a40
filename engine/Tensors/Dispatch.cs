using System.Numerics;
using NativeInfer.Kernels.Numerics;

namespace NativeInfer.Tensors;

/// <summary>A computation generic over a numeric element type; see <see cref="Dispatch"/>.</summary>
public interface INumericFunc<out TResult>
{
    TResult Invoke<T>() where T : unmanaged, INumber<T>;
}

/// <summary>A computation generic over any stored element type (numeric, bool, string, low-precision); see <see cref="Dispatch.Any"/>.</summary>
public interface IAnyFunc<out TResult>
{
    TResult Invoke<T>();
}

/// <summary>
/// Turns a runtime <see cref="DataType"/> into a generic instantiation, so one generic kernel serves every numeric type.
/// bfloat16 has no INumber implementation: callers widen it to float first (see <see cref="TensorConvert"/>).
/// </summary>
public static class Dispatch
{
    public static TResult Numeric<TFunc, TResult>(DataType type, TFunc f) where TFunc : INumericFunc<TResult> => type switch
    {
        DataType.Float => f.Invoke<float>(),
        DataType.Double => f.Invoke<double>(),
        DataType.Float16 => f.Invoke<Half>(),
        DataType.Int8 => f.Invoke<sbyte>(),
        DataType.Int16 => f.Invoke<short>(),
        DataType.Int32 => f.Invoke<int>(),
        DataType.Int64 => f.Invoke<long>(),
        DataType.UInt8 => f.Invoke<byte>(),
        DataType.UInt16 => f.Invoke<ushort>(),
        DataType.UInt32 => f.Invoke<uint>(),
        DataType.UInt64 => f.Invoke<ulong>(),
        _ => throw new NotSupportedException($"Element type {DataTypes.Name(type)} is not supported here."),
    };

    /// <summary>Every stored element type, for data movement that needs no arithmetic.</summary>
    public static TResult Any<TFunc, TResult>(DataType type, TFunc f) where TFunc : IAnyFunc<TResult> => type switch
    {
        DataType.Float => f.Invoke<float>(),
        DataType.Double => f.Invoke<double>(),
        DataType.Float16 => f.Invoke<Half>(),
        DataType.BFloat16 => f.Invoke<BFloat16>(),
        DataType.Int8 => f.Invoke<sbyte>(),
        DataType.Int16 => f.Invoke<short>(),
        DataType.Int32 => f.Invoke<int>(),
        DataType.Int64 => f.Invoke<long>(),
        DataType.UInt8 => f.Invoke<byte>(),
        DataType.UInt16 => f.Invoke<ushort>(),
        DataType.UInt32 => f.Invoke<uint>(),
        DataType.UInt64 => f.Invoke<ulong>(),
        DataType.Bool => f.Invoke<bool>(),
        DataType.String => f.Invoke<string>(),
        DataType.Float8E4M3FN => f.Invoke<Float8E4M3FN>(),
        DataType.Float8E4M3FNUZ => f.Invoke<Float8E4M3FNUZ>(),
        DataType.Float8E5M2 => f.Invoke<Float8E5M2>(),
        DataType.Float8E5M2FNUZ => f.Invoke<Float8E5M2FNUZ>(),
        DataType.Float8E8M0 => f.Invoke<Float8E8M0>(),
        DataType.Float4E2M1 => f.Invoke<Float4E2M1>(),
        DataType.Int4 => f.Invoke<Int4>(),
        DataType.UInt4 => f.Invoke<UInt4>(),
        DataType.Int2 => f.Invoke<Int2>(),
        DataType.UInt2 => f.Invoke<UInt2>(),
        _ => throw new NotSupportedException($"Element type {DataTypes.Name(type)} is not supported by NativeInfer."),
    };
}
