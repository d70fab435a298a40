using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Misc;

/// <summary>
/// ai.onnx.ml ArrayFeatureExtractor (opset 1): selects the elements at indices Y (int64) along the last axis of X;
/// output X.shape[:-1] + [len(Y)] ([1, len(Y)] for 1-D X).
/// </summary>
internal sealed class ArrayFeatureExtractorOp : TensorOp
{
    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        [MiscTypes.ElementType(inputs, 0) is { } t ? TypeInfo.Tensor(t) : null];

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        var x = inputs.Req(0);
        var y = inputs.Req(1).ToInt64Array();
        if (x.Rank == 0) throw new ShapeMismatchException("ArrayFeatureExtractor: X must have rank 1 or more.");
        int width = x.Shape[^1];
        foreach (long i in y)
            if (i < 0 || i >= width)
                throw new ArgumentOutOfRangeException(nameof(inputs), $"ArrayFeatureExtractor: index {i} is out of range for a last axis of {width}.");
        int[] shape = x.Rank == 1 ? [1, y.Length] : [.. x.Shape[..^1], y.Length];
        int rows = ShapeUtil.ElementCount(x.Shape.AsSpan(0, x.Rank - 1));
        var map = new int[rows * y.Length];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < y.Length; j++) map[r * y.Length + j] = r * width + (int)y[j];
        return [Take(x, map, shape)];
    }

    private static Tensor Take(Tensor x, int[] map, int[] shape) => x switch
    {
        Tensor<float> t => Take(t, map, shape),
        Tensor<double> t => Take(t, map, shape),
        Tensor<long> t => Take(t, map, shape),
        Tensor<int> t => Take(t, map, shape),
        Tensor<string> t => Take(t, map, shape),
        _ => throw new NotSupportedException($"ArrayFeatureExtractor: element type {DataTypes.Name(x.DataType)} is not supported."),
    };

    private static Tensor<T> Take<T>(Tensor<T> x, int[] map, int[] shape)
    {
        var r = new Tensor<T>(shape);
        var rs = r.Span;
        var xs = x.Span;
        for (int i = 0; i < map.Length; i++) rs[i] = xs[map[i]];
        return r;
    }
}
