using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.TensorManip;

/// <summary>
/// Constant: outputs the tensor held by exactly one of its attributes: value (a tensor), value_float / value_int /
/// value_string (a scalar) or value_floats / value_ints / value_strings (a 1-D tensor). sparse_value is not supported.
/// </summary>
internal sealed class Constant : TensorOp
{
    private readonly Tensor _value;

    private Constant(Tensor value) => _value = value;

    public static Constant Create(OpBuildContext ctx)
    {
        var a = ctx.Attributes;
        if (a.Has("sparse_value")) throw new NotSupportedException("Constant with a sparse_value attribute is not supported.");
        Tensor? value = null;
        int found = 0;
        void Take(Tensor? t)
        {
            if (t is null) return;
            value = t;
            found++;
        }
        Take(a.Tensor("value"));
        if (a.Has("value_float")) Take(Tensor<float>.Scalar(a.Float("value_float")));
        if (a.Ints("value_ints") is { } ints) Take(new Tensor<long>(ints, [ints.Length]));
        if (a.Has("value_int")) Take(Tensor<long>.Scalar(a.Int("value_int")));
        if (a.Floats("value_floats") is { } floats) Take(new Tensor<float>(floats, [floats.Length]));
        if (a.Has("value_string")) Take(Tensor<string>.Scalar(a.String("value_string")));
        if (a.Strings("value_strings") is { } strings) Take(new Tensor<string>(strings, [strings.Length]));
        if (found != 1)
            throw new ArgumentException($"Constant needs exactly one value attribute, got {found}.");
        return new Constant(value!);
    }

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs) => [_value];

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [TypeInfo.Tensor(_value.DataType, _value.Shape.Select(d => Dim.Known(d)).ToArray())];
}
