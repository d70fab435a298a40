using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// Shared body of the cosine-sum window ops (HannWindow, HammingWindow, BlackmanWindow, opset 17):
/// w[k] = a0 − a1·cos(2πk/N) + a2·cos(4πk/N) for k in [0, size), with N = size when periodic (default) and size − 1
/// when symmetric. The output element type is output_datatype (default float).
/// </summary>
internal abstract class WindowFunction : TensorOp
{
    private readonly bool _periodic;
    private readonly DataType _outputType;
    private readonly string _name;

    protected WindowFunction(OpBuildContext ctx, string name)
    {
        _name = name;
        _periodic = ctx.Attributes.Int("periodic", 1) != 0;
        _outputType = (DataType)ctx.Attributes.Int("output_datatype", (long)DataType.Float);
        if (!DataTypes.IsSupported(_outputType) || _outputType is DataType.String or DataType.Bool)
            throw new NotSupportedException($"{name}: output_datatype {_outputType} is not supported.");
    }

    /// <summary>The cosine-sum coefficients (a0, a1, a2).</summary>
    protected abstract (double A0, double A1, double A2) Coefficients { get; }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.OfRank(_outputType, 1)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        long size = MiscTensors.ScalarInt(inputs.Req(0), _name, "size");
        if (size < 0 || size > Array.MaxLength) throw new TensorSizeException($"{_name}: size {size} is out of range.");
        var (a0, a1, a2) = Coefficients;
        var t = Tensor.Create(_outputType, [(int)size]);
        double denom = _periodic ? size : size - 1;
        for (int k = 0; k < t.Length; k++)
        {
            double phase = denom <= 0 ? 0 : 2 * Math.PI * k / denom;
            t.SetDouble(k, denom <= 0 ? 1 : a0 - a1 * Math.Cos(phase) + a2 * Math.Cos(2 * phase));
        }
        return [t];
    }
}
