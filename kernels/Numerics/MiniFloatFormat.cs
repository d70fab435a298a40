using System.Runtime.CompilerServices;

namespace NativeInfer.Kernels.Numerics;

/// <summary>
/// Bit layout and special values of a float narrower than 16 bits (sign, exponent, mantissa; subnormals when the
/// exponent field is 0). Decodes through a table and encodes with round-to-nearest-even, following the ONNX Cast
/// rules: with <c>saturate</c> an out-of-range value becomes the largest finite value of its sign, without it the
/// format's infinity, or NaN when it has none. A format with neither infinity nor NaN always saturates.
/// </summary>
internal sealed class MiniFloatFormat
{
    /// <summary>float8 e4m3fn: bias 7, no infinity, NaN = S.1111.111, max 448.</summary>
    public static readonly MiniFloatFormat E4M3FN = new(4, 3, 7, nanBits: 0x7F, signedNaN: true, infBits: null, negativeZero: true);

    /// <summary>float8 e4m3fnuz: bias 8, no infinity, no negative zero, the single NaN is 0x80, max 240.</summary>
    public static readonly MiniFloatFormat E4M3FNUZ = new(4, 3, 8, nanBits: 0x80, signedNaN: false, infBits: null, negativeZero: false);

    /// <summary>float8 e5m2: IEEE-like, bias 15, infinity S.11111.00, NaN S.11111.xx, max 57344.</summary>
    public static readonly MiniFloatFormat E5M2 = new(5, 2, 15, nanBits: 0x7E, signedNaN: true, infBits: 0x7C, negativeZero: true);

    /// <summary>float8 e5m2fnuz: bias 16, no infinity, no negative zero, the single NaN is 0x80, max 57344.</summary>
    public static readonly MiniFloatFormat E5M2FNUZ = new(5, 2, 16, nanBits: 0x80, signedNaN: false, infBits: null, negativeZero: false);

    /// <summary>float4 e2m1: bias 1, values ±{0, 0.5, 1, 1.5, 2, 3, 4, 6}, no infinity or NaN (NaN encodes as 0x8).</summary>
    public static readonly MiniFloatFormat E2M1 = new(2, 1, 1, nanBits: 0x8, signedNaN: false, infBits: null, negativeZero: true, hasNaN: false);

    private readonly int _mantissaBits;
    private readonly int _minExponent;
    private readonly int _signMask;
    private readonly int _maxFiniteCode;
    private readonly byte _nanBits;
    private readonly bool _signedNaN;
    private readonly byte? _infBits;
    private readonly bool _hasNaN;
    private readonly bool _negativeZero;
    private readonly float[] _decode;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private MiniFloatFormat(int exponentBits, int mantissaBits, int bias, byte nanBits, bool signedNaN, byte? infBits,
        bool negativeZero, bool hasNaN = true)
    {
        _mantissaBits = mantissaBits;
        _minExponent = 1 - bias;
        _signMask = 1 << (exponentBits + mantissaBits);
        _nanBits = nanBits;
        _signedNaN = signedNaN;
        _infBits = infBits;
        _hasNaN = hasNaN;
        _negativeZero = negativeZero;
        _decode = new float[_signMask << 1];
        for (int bits = 0; bits < _decode.Length; bits++) _decode[bits] = DecodeSlow(bits, exponentBits, bias);
        int max = _signMask - 1;
        while (float.IsNaN(_decode[max]) || float.IsInfinity(_decode[max])) max--;
        _maxFiniteCode = max;
    }

    /// <summary>Number of distinct bit patterns (256 for float8, 16 for float4).</summary>
    public int CodeCount => _decode.Length;

    public float Decode(byte bits) => _decode[bits & (_decode.Length - 1)];

    public bool IsNaN(byte bits) => float.IsNaN(Decode(bits));

    /// <summary>Rounds <paramref name="value"/> to nearest even and returns its bit pattern.</summary>
    public byte Encode(double value, bool saturate)
    {
        if (double.IsNaN(value)) return _nanBits;
        int sign = double.IsNegative(value) ? _signMask : 0;
        double a = Math.Abs(value);
        int code;
        if (double.IsInfinity(a))
        {
            code = int.MaxValue;
        }
        else
        {
            // Quantum of the binade holding a (the subnormal quantum below the normal range): a / q is exact, and
            // (binade offset << mantissa bits) + rounded multiple is the magnitude code, carries included.
            int e = a == 0 ? _minExponent : Math.Max(Math.ILogB(a), _minExponent);
            if (e - _minExponent > 64) code = int.MaxValue;
            else
            {
                double n = Math.Round(a / Math.ScaleB(1.0, e - _mantissaBits), MidpointRounding.ToEven);
                code = ((e - _minExponent) << _mantissaBits) + (int)n;
            }
        }
        if (code > _maxFiniteCode)
        {
            if (saturate || (!_hasNaN && _infBits is null)) code = _maxFiniteCode;
            else if (_infBits is { } inf) return (byte)(inf | sign);
            else return (byte)(_signedNaN ? _nanBits | sign : _nanBits);
        }
        if (code == 0 && !_negativeZero) return 0;
        return (byte)(code | sign);
    }

    private float DecodeSlow(int bits, int exponentBits, int bias)
    {
        bool negative = (bits & _signMask) != 0;
        int magnitude = bits & (_signMask - 1);
        int exponent = magnitude >> _mantissaBits;
        int mantissa = magnitude & ((1 << _mantissaBits) - 1);
        int maxExponent = (1 << exponentBits) - 1;
        if (_hasNaN && (bits == _nanBits || _signedNaN && magnitude == (_nanBits & (_signMask - 1))))
            return float.NaN;
        if (_infBits is { } inf && exponent == maxExponent)
            return mantissa == 0 && magnitude == inf ? (negative ? float.NegativeInfinity : float.PositiveInfinity) : float.NaN;
        double v = exponent == 0
            ? Math.ScaleB(mantissa, _minExponent - _mantissaBits)
            : Math.ScaleB((1 << _mantissaBits) + mantissa, exponent - bias - _mantissaBits);
        return (float)(negative ? -v : v);
    }
}
