namespace NativeInfer.Ops.Misc;

/// <summary>
/// A complex FFT plan for one length: iterative radix-2 for powers of two, Bluestein's chirp-z (through a radix-2
/// transform) for every other length, so any length costs O(n log n). Not thread-safe: one plan per call.
/// </summary>
internal sealed class Fourier
{
    private readonly int _n;
    private readonly double[] _cos, _sin;          // radix-2 twiddles of length _m / 2
    private readonly int _m;                         // radix-2 length (n itself, or the Bluestein convolution length)
    private readonly double[]? _chirpRe, _chirpIm;   // Bluestein: w[k] = exp(-iπk²/n)
    private readonly double[]? _kernelRe, _kernelIm; // Bluestein: FFT of the conjugate chirp
    private readonly double[]? _bufRe, _bufIm;

    public Fourier(int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), $"DFT length {n} must be positive.");
        _n = n;
        bool pow2 = (n & (n - 1)) == 0;
        _m = pow2 ? n : (int)Math.Min(1L << (64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(2L * n - 2))), int.MaxValue);
        if (!pow2 && _m < 2 * n - 1) throw new ArgumentOutOfRangeException(nameof(n), $"DFT length {n} is too large.");
        // Working memory: the caller's two lines plus, for Bluestein, four buffers of the convolution length.
        Tensors.TensorLimits.CheckAllocation(2L * n + (pow2 ? 0 : 4L * _m), Tensors.DataType.Double);
        _cos = new double[Math.Max(_m / 2, 1)];
        _sin = new double[_cos.Length];
        for (int i = 0; i < _m / 2; i++)
        {
            double a = -2 * Math.PI * i / _m;
            _cos[i] = Math.Cos(a);
            _sin[i] = Math.Sin(a);
        }
        if (pow2) return;
        _chirpRe = new double[n];
        _chirpIm = new double[n];
        for (int k = 0; k < n; k++)
        {
            // k² mod 2n keeps the angle exact for large k.
            long k2 = (long)k * k % (2L * n);
            double a = -Math.PI * k2 / n;
            _chirpRe[k] = Math.Cos(a);
            _chirpIm[k] = Math.Sin(a);
        }
        _kernelRe = new double[_m];
        _kernelIm = new double[_m];
        _kernelRe[0] = _chirpRe[0];
        _kernelIm[0] = -_chirpIm[0];
        for (int k = 1; k < n; k++)
        {
            _kernelRe[k] = _kernelRe[_m - k] = _chirpRe[k];
            _kernelIm[k] = _kernelIm[_m - k] = -_chirpIm[k];
        }
        Radix2(_kernelRe, _kernelIm, false);
        _bufRe = new double[_m];
        _bufIm = new double[_m];
    }

    public int Length => _n;

    /// <summary>In-place DFT of (re, im), both of length n. The inverse is unnormalized (no 1/n).</summary>
    public void Transform(Span<double> re, Span<double> im, bool inverse)
    {
        if (_chirpRe is null)
        {
            Radix2(re, im, inverse);
            return;
        }
        // The inverse is the conjugate of the forward transform of the conjugate.
        double sign = inverse ? -1 : 1;
        var br = _bufRe!;
        var bi = _bufIm!;
        Array.Clear(br);
        Array.Clear(bi);
        for (int k = 0; k < _n; k++)
        {
            double xr = re[k], xi = sign * im[k];
            br[k] = xr * _chirpRe[k] - xi * _chirpIm![k];
            bi[k] = xr * _chirpIm![k] + xi * _chirpRe[k];
        }
        Radix2(br, bi, false);
        for (int k = 0; k < _m; k++)
        {
            double r = br[k] * _kernelRe![k] - bi[k] * _kernelIm![k];
            double i = br[k] * _kernelIm[k] + bi[k] * _kernelRe[k];
            br[k] = r;
            bi[k] = i;
        }
        Radix2(br, bi, true);
        for (int k = 0; k < _n; k++)
        {
            double cr = br[k] / _m, ci = bi[k] / _m;
            re[k] = cr * _chirpRe[k] - ci * _chirpIm![k];
            im[k] = sign * (cr * _chirpIm[k] + ci * _chirpRe[k]);
        }
    }

    private void Radix2(Span<double> re, Span<double> im, bool inverse)
    {
        int n = _m;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        double sign = inverse ? -1 : 1;
        for (int len = 2; len <= n; len <<= 1)
        {
            int half = len >> 1, step = n / len;
            for (int start = 0; start < n; start += len)
                for (int k = 0; k < half; k++)
                {
                    double wr = _cos[k * step], wi = sign * _sin[k * step];
                    int a = start + k, b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
        }
    }
}
