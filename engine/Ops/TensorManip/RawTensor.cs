using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Element-type-agnostic helpers of the data-movement fast paths: every element type but string is moved as raw bytes
/// (<see cref="DataTypes.SizeOf"/> bytes per element, one per low-precision element), and outputs that the copy
/// overwrites entirely skip zeroing.
/// </summary>
internal static class RawTensor
{
    /// <summary>True when the tensor's elements can be moved as bytes (everything but strings).</summary>
    public static bool IsRaw(DataType type) => type != DataType.String;

    /// <summary>A tensor whose every element the caller will overwrite (zeroed only for strings).</summary>
    public static Tensor Uninitialized(DataType type, int[] shape) =>
        IsRaw(type) ? Dispatch.Any<UninitFunc, Tensor>(type, new UninitFunc(shape)) : Tensor.Create(type, shape);

    private readonly struct UninitFunc(int[] shape) : IAnyFunc<Tensor>
    {
        public Tensor Invoke<T>() => Tensor<T>.Uninitialized(shape);
    }
}
