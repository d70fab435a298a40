using System.Numerics;

namespace NativeInfer.Tensors;

/// <summary>A computation generic over a numeric element type; see <see cref="Dispatch"/>.</summary>
public interface INumericFunc<out TResult>
{
    TResult Invoke<T>() where T : unmanaged, INumber<T>;
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
}
