using NativeInfer.IR;
using System.Runtime.InteropServices;
using NativeInfer.Kernels.Numerics;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// BitCast (opset 26): reinterprets the bits of each element as the element type <c>to</c>, which must have the same
/// bit width as the input type (string excluded); the shape is unchanged. A byte reinterpreted as bool is true when
/// non-zero.
/// </summary>
internal sealed class BitCastOp : TensorOp
{
    private readonly DataType _to;

    public BitCastOp(OpBuildContext ctx)
    {
        _to = (DataType)ctx.Attributes.Int("to");
        if (!DataTypes.IsSupported(_to) || _to == DataType.String)
            throw new NotSupportedException($"BitCast: target type {_to} is not supported.");
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.Like(inputs, 0, _to)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        if (x.DataType == DataType.String) throw new NotSupportedException("BitCast: string tensors have no bit representation.");
        if (DataTypes.SizeOf(x.DataType) != DataTypes.SizeOf(_to))
            throw new NotSupportedException(
                $"BitCast: {DataTypes.Name(x.DataType)} and {DataTypes.Name(_to)} have different bit widths.");
        var y = Tensor.Create(_to, (int[])x.Shape.Clone());
        var dst = y.RawBytes();
        x.RawBytes().CopyTo(dst);
        if (_to == DataType.Bool)
            for (int i = 0; i < dst.Length; i++) dst[i] = dst[i] != 0 ? (byte)1 : (byte)0;
        return [y];
    }

}
