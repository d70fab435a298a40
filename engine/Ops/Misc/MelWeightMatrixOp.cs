using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// MelWeightMatrix (opset 17): a [dft_length/2+1, num_mel_bins] matrix of triangular mel filters. num_mel_bins + 2
/// points equally spaced on the mel scale (2595·log10(1 + f/700)) between lower_edge_hertz and upper_edge_hertz are
/// mapped to spectrogram bins floor((dft_length + 1)·f / sample_rate); filter i rises from point i to point i+1 and
/// falls to point i+2. The output element type is output_datatype (default float).
/// </summary>
internal sealed class MelWeightMatrixOp : TensorOp
{
    private readonly DataType _outputType;

    public MelWeightMatrixOp(OpBuildContext ctx)
    {
        _outputType = (DataType)ctx.Attributes.Int("output_datatype", (long)DataType.Float);
        if (!DataTypes.IsSupported(_outputType) || _outputType is DataType.String or DataType.Bool)
            throw new NotSupportedException($"MelWeightMatrix: output_datatype {_outputType} is not supported.");
    }

    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.OfRank(_outputType, 2)];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        const string op = "MelWeightMatrix";
        long melBins = MiscTensors.ScalarInt(inputs.Req(0), op, "num_mel_bins");
        long dftLength = MiscTensors.ScalarInt(inputs.Req(1), op, "dft_length");
        long sampleRate = MiscTensors.ScalarInt(inputs.Req(2), op, "sample_rate");
        double lower = MiscTensors.ScalarDouble(inputs.Req(3), op, "lower_edge_hertz");
        double upper = MiscTensors.ScalarDouble(inputs.Req(4), op, "upper_edge_hertz");
        if (melBins < 1 || dftLength < 1 || sampleRate < 1 || melBins > Array.MaxLength || dftLength > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(inputs), $"{op}: num_mel_bins, dft_length and sample_rate must be positive.");
        if (!(lower >= 0) || !(upper > lower))
            throw new ArgumentOutOfRangeException(nameof(inputs), $"{op}: need 0 <= lower_edge_hertz < upper_edge_hertz, got {lower} and {upper}.");
        int spectrogramBins = (int)(dftLength / 2 + 1);
        var outShape = new[] { spectrogramBins, (int)melBins };
        var result = Tensor.Create(_outputType, outShape);

        int points = (int)melBins + 2;
        double lowMel = Mel(lower), highMel = Mel(upper);
        double step = (highMel - lowMel) / points;
        var bin = new long[points];
        for (int i = 0; i < points; i++)
        {
            double hz = 700 * (Math.Pow(10, (i * step + lowMel) / 2595) - 1);
            bin[i] = (long)Math.Floor((dftLength + 1) * hz / sampleRate);
            if (bin[i] < 0 || bin[i] >= spectrogramBins)
                throw new ArgumentOutOfRangeException(nameof(inputs),
                    $"{op}: upper_edge_hertz {upper} maps past the {spectrogramBins} spectrogram bins (sample_rate {sampleRate}).");
        }
        for (int i = 0; i < melBins; i++)
        {
            long left = bin[i], center = bin[i + 1], right = bin[i + 2];
            if (center == left) Set(result, center, i, 1, melBins);
            else
                for (long j = left; j <= center; j++) Set(result, j, i, (double)(j - left) / (center - left), melBins);
            for (long j = center; j < right; j++) Set(result, j, i, (double)(right - j) / (right - center), melBins);
        }
        return [result];
    }

    private static double Mel(double hz) => 2595 * Math.Log10(1 + hz / 700);

    private static void Set(Tensor t, long row, int col, double v, long cols) => t.SetDouble((int)(row * cols + col), v);
}
