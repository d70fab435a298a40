using System.Numerics;
using System.Runtime.CompilerServices;
using NativeInfer.Kernels.Cpu;
using NativeInfer.Tensors;

namespace NativeInfer.Ops.Reduce;

/// <summary>
/// LRN (local response normalization across channels) over X [N, C, spatial...]:
/// y = x / (bias + alpha / size · Σ x²)^beta, the sum over channels c − ⌊(size−1)/2⌋ … c + ⌈(size−1)/2⌉ clipped to
/// [0, C). size is required; alpha defaults to 1e-4, beta to 0.75, bias to 1.
/// </summary>
internal sealed class LRN : FloatOp
{
    private const string Op = "LRN";
    private readonly int _size;
    private readonly double _alpha;
    private readonly double _beta;
    private readonly double _bias;

    public LRN(OpBuildContext ctx) : base(Op)
    {
        var a = ctx.Attributes;
        _size = checked((int)a.Int("size"));
        if (_size <= 0) throw new ArgumentException($"{Op}: size must be positive, got {_size}.");
        _alpha = a.Float("alpha", 1e-4f);
        _beta = a.Float("beta", 0.75f);
        _bias = a.Float("bias", 1f);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override Tensor Run<T>(Tensor x, Tensor?[] inputs)
    {
        var (n, channels, spatial) = ChannelNorm.Dims(x, Op);
        if (typeof(T) == typeof(float))
        {
            // float32 path (float16/bfloat16 widened): the vectorized kernel
            var yf = Tensor<float>.Uninitialized(x.Shape);
            NormalizationKernels.Lrn(FloatWork.As<float>(x).Span, yf.Span, n, channels, spatial, _size, (float)_alpha, (float)_beta, (float)_bias);
            return yf;
        }
        var xs = FloatWork.As<T>(x).Span;
        var y = new Tensor<T>(x.Shape);
        if (y.Length == 0) return y;
        var ys = y.Span;
        int below = (_size - 1) / 2, above = _size - 1 - below;
        T scale = T.CreateTruncating(_alpha / _size), bias = T.CreateTruncating(_bias), beta = T.CreateTruncating(_beta);
        var sum = new T[spatial];
        for (int b = 0; b < n; b++)
        {
            int sample = b * channels * spatial;
            for (int c = 0; c < channels; c++)
            {
                Array.Clear(sum);
                for (int k = Math.Max(0, c - below); k <= Math.Min(channels - 1, c + above); k++)
                {
                    var row = xs.Slice(sample + k * spatial, spatial);
                    for (int s = 0; s < spatial; s++) sum[s] += row[s] * row[s];
                }
                int off = sample + c * spatial;
                for (int s = 0; s < spatial; s++) ys[off + s] = xs[off + s] / T.Pow(bias + scale * sum[s], beta);
            }
        }
        return y;
    }
}
