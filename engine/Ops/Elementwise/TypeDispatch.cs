using System.Numerics;
using NativeInfer.Kernels.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Elementwise;

/// <summary>
/// Runtime element type to generic instantiation, for the type sets core's <see cref="Dispatch"/> lacks.
/// </summary>
internal static class TypeDispatch
{
    /// <summary>The eight integer types.</summary>
    public static TResult Integer<TFunc, TResult>(DataType type, TFunc f, string op) where TFunc : IIntegerFunc<TResult> =>
        type switch
    {
        DataType.Int8 => f.Invoke<sbyte>(),
        DataType.Int16 => f.Invoke<short>(),
        DataType.Int32 => f.Invoke<int>(),
        DataType.Int64 => f.Invoke<long>(),
        DataType.UInt8 => f.Invoke<byte>(),
        DataType.UInt16 => f.Invoke<ushort>(),
        DataType.UInt32 => f.Invoke<uint>(),
        DataType.UInt64 => f.Invoke<ulong>(),
        _ => throw new NotSupportedException($"{op} takes integer tensors, not {DataTypes.Name(type)}."),
    };

    /// <summary>Numeric types, with the op named in the error for anything else.</summary>
    public static TResult Numeric<TFunc, TResult>(DataType type, TFunc f, string op) where TFunc : INumericFunc<TResult> =>
        type is DataType.Bool or DataType.String or DataType.BFloat16 || !DataTypes.IsSupported(type)
            ? throw new NotSupportedException($"{op} does not take {DataTypes.Name(type)} tensors.")
            : Dispatch.Numeric<TFunc, TResult>(type, f);

    /// <summary>Throws unless both inputs have the same element type.</summary>
    public static void RequireSameType(string op, Tensor a, Tensor b)
    {
        if (a.DataType != b.DataType)
            throw new ArgumentException(
                $"{op}: input element types differ ({DataTypes.Name(a.DataType)} and {DataTypes.Name(b.DataType)}).");
    }
}

/// <summary>A computation generic over an integer element type; see <see cref="TypeDispatch.Integer"/>.</summary>
internal interface IIntegerFunc<out TResult>
{
    TResult Invoke<T>() where T : unmanaged, IBinaryInteger<T>;
}
