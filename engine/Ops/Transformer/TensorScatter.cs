using NativeInfer.Kernels.Numerics;
using NativeInfer.IR;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Transformer;

/// <summary>
/// ONNX TensorScatter (opset 24): a KV-cache update. present = past_cache with, for every batch b, the update's slices
/// along <c>axis</c> (default −2, never the batch axis) written at positions write_indices[b] + i (mod the cache length
/// in circular mode). write_indices defaults to zeros; in linear mode the write must fit inside the cache.
/// </summary>
internal sealed class TensorScatter : TensorOp
{
    private const string Op = "TensorScatter";
    private readonly bool _circular;
    private readonly long _axis;

    public TensorScatter(OpBuildContext ctx)
    {
        var mode = ctx.Attributes.String("mode", "linear");
        _circular = mode switch
        {
            "linear" => false,
            "circular" => true,
            _ => throw new NotSupportedException($"{Op}: mode '{mode}' is not 'linear' or 'circular'."),
        };
        _axis = ctx.Attributes.Int("axis", -2);
    }

    /// <summary>The output has the type and shape of the first input.</summary>
    public override TypeInfo?[]? InferOutputs(OpBuildContext node, TypeInfo?[] inputs) =>
        inputs.Length > 0 && inputs[0] is { } x ? [x] : null;

    protected override Tensor?[] Compute(OpContext ctx, Tensor?[] inputs)
    {
        Tensor cache = inputs.Req(0), update = inputs.Req(1);
        Tensor? indices = inputs.Opt(2);
        int rank = cache.Rank;
        if (rank < 2 || update.Rank != rank || update.DataType != cache.DataType)
            throw new ShapeMismatchException($"{Op}: past_cache {cache} and update {update} must share rank (≥ 2) and element type.");
        int axis = ShapeUtil.NormalizeAxis(_axis, rank);
        if (axis == 0) throw new ArgumentException($"{Op}: axis must not be the batch axis 0.");
        for (int d = 0; d < rank; d++)
            if (d == axis ? update.Shape[d] > cache.Shape[d] : update.Shape[d] != cache.Shape[d])
                throw new ShapeMismatchException($"{Op}: update {update} does not fit past_cache {cache} along axis {axis}.");

        int batch = cache.Shape[0], maxLen = cache.Shape[axis], len = update.Shape[axis];
        long[] writeAt = new long[batch];
        if (indices is not null)
        {
            if (indices.Rank != 1 || indices.Shape[0] != batch || !DataTypes.IsInteger(indices.DataType))
                throw new ShapeMismatchException($"{Op}: write_indices must be an integer tensor of shape [{batch}], got {indices}.");
            writeAt = indices.ToInt64Array();
        }
        foreach (long w in writeAt)
            if (w < 0 || !_circular && w + len > maxLen || _circular && w >= maxLen)
                throw new ArgumentOutOfRangeException(nameof(inputs),
                    $"{Op}: write index {w} with {len} updates does not fit a cache of length {maxLen} ({(_circular ? "circular" : "linear")}).");

        var present = cache.Clone();
        int inner = 1;
        for (int d = axis + 1; d < rank; d++) inner *= cache.Shape[d];
        int outerPerBatch = 1;
        for (int d = 1; d < axis; d++) outerPerBatch *= cache.Shape[d];
        var copier = new SliceCopier(update, present);
        for (int b = 0; b < batch; b++)
        for (int o = 0; o < outerPerBatch; o++)
        {
            int block = b * outerPerBatch + o;
            for (int i = 0; i < len; i++)
            {
                long at = writeAt[b] + i;
                if (_circular) at %= maxLen;
                copier.Copy(((long)block * len + i) * inner, ((long)block * maxLen + at) * inner, inner);
            }
        }
        return [present];
    }

    /// <summary>Copies element runs between two tensors of one element type (any type, strings included).</summary>
    private readonly struct SliceCopier(Tensor from, Tensor to)
    {
        public void Copy(long fromOffset, long toOffset, int count)
        {
            switch (from)
            {
                case Tensor<float>: Run<float>(fromOffset, toOffset, count); break;
                case Tensor<double>: Run<double>(fromOffset, toOffset, count); break;
                case Tensor<Half>: Run<Half>(fromOffset, toOffset, count); break;
                case Tensor<BFloat16>: Run<BFloat16>(fromOffset, toOffset, count); break;
                case Tensor<sbyte>: Run<sbyte>(fromOffset, toOffset, count); break;
                case Tensor<short>: Run<short>(fromOffset, toOffset, count); break;
                case Tensor<int>: Run<int>(fromOffset, toOffset, count); break;
                case Tensor<long>: Run<long>(fromOffset, toOffset, count); break;
                case Tensor<byte>: Run<byte>(fromOffset, toOffset, count); break;
                case Tensor<ushort>: Run<ushort>(fromOffset, toOffset, count); break;
                case Tensor<uint>: Run<uint>(fromOffset, toOffset, count); break;
                case Tensor<ulong>: Run<ulong>(fromOffset, toOffset, count); break;
                case Tensor<bool>: Run<bool>(fromOffset, toOffset, count); break;
                case Tensor<string>: Run<string>(fromOffset, toOffset, count); break;
                default: throw new NotSupportedException($"{Op}: element type {DataTypes.Name(from.DataType)} is not supported.");
            }
        }

        private void Run<T>(long fromOffset, long toOffset, int count) =>
            from.As<T>().Span.Slice((int)fromOffset, count).CopyTo(to.As<T>().Span.Slice((int)toOffset, count));
    }
}
