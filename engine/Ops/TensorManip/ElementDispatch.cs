using NativeInfer.Kernels.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>A computation generic over any element type (numeric, bool, string); see <see cref="ElementDispatch"/>.</summary>
internal interface IElementFunc<out TResult>
{
    TResult Invoke<T>();
}

/// <summary>
/// Turns a runtime <see cref="DataType"/> into a generic instantiation over every stored element type, for data
/// movement that needs no arithmetic (the numeric-only counterpart is <see cref="Dispatch"/>).
/// </summary>
internal static class ElementDispatch
{
    public static TResult Any<TFunc, TResult>(DataType type, TFunc f) where TFunc : IElementFunc<TResult> => type switch
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
        _ => throw new NotSupportedException($"Element type {DataTypes.Name(type)} is not supported by NativeInfer."),
    };
}
