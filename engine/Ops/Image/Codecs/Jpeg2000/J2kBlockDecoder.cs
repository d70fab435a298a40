namespace NativeInfer.Ops.Image.Codecs.Jpeg2000;

/// <summary>
/// Tier-1 (EBCOT) decoding of one code-block (T.800 Annex D): significance propagation, magnitude refinement and
/// cleanup passes over stripes of four rows, with the MQ coder or raw bits (bypass), and every code-block style.
/// Coefficients come out at twice their magnitude plus a half step below the last decoded bit-plane.
/// </summary>
internal sealed class J2kBlockDecoder
{
    private const int Sig = 1, Negative = 2, Refined = 4, Visited = 8;
    private const int CtxRunLength = 17, CtxUniform = 18;

    private readonly J2kMqDecoder _mq = new(19);
    private byte[] _flags = [];
    private int[] _mag = [];
    private int _w, _h, _stride;
    private bool _causal;
    private int _orientation;

    // Raw (bypass) bit reader state.
    private byte[] _raw = [];
    private int _rawPos, _rawEnd, _rawByte, _rawLeft;

    public void Decode(J2kCodeBlock cb, J2kSubband band, int style)
    {
        _w = cb.Bounds.Width;
        _h = cb.Bounds.Height;
        _stride = _w + 2;
        int n = _stride * (_h + 2);
        if (_flags.Length < n) { _flags = new byte[n]; _mag = new int[n]; }
        else { Array.Clear(_flags, 0, n); Array.Clear(_mag, 0, n); }
        _causal = (style & J2kCodingStyle.VerticallyCausal) != 0;
        _orientation = band.Orientation;
        ResetContexts();

        int plane = band.MagnitudeBits - 1 - cb.ZeroBitplanes;
        int passIndex = 0;
        foreach (var seg in cb.Segments)
        {
            if (seg.Passes == 0) continue;
            var data = seg.Data.GetBuffer();
            int length = (int)seg.Data.Length;
            bool raw = IsRawPass(passIndex, style);
            if (raw) { _raw = data; _rawPos = 0; _rawEnd = length; _rawLeft = 0; _rawByte = 0; }
            else _mq.Init(data, 0, length);
            for (int k = 0; k < seg.Passes; k++, passIndex++)
            {
                if (plane < 0) return; // more passes than bit-planes: ignore the excess (corrupt or padded data)
                int type = (passIndex + 2) % 3;
                if ((style & J2kCodingStyle.ResetContexts) != 0 && passIndex > 0) ResetContexts();
                switch (type)
                {
                    case 0: SignificancePass(plane, raw); break;
                    case 1: RefinementPass(plane, raw); break;
                    default:
                        CleanupPass(plane);
                        if ((style & J2kCodingStyle.SegmentationSymbols) != 0)
                            for (int s = 0; s < 4; s++) _mq.Decode(CtxUniform);
                        plane--;
                        break;
                }
            }
        }

        var coef = band.Coefficients;
        int bw = band.Bounds.Width;
        for (int y = 0; y < _h; y++)
        {
            int row = (cb.Bounds.Y0 - band.Bounds.Y0 + y) * bw + cb.Bounds.X0 - band.Bounds.X0;
            for (int x = 0; x < _w; x++)
            {
                int i = (y + 1) * _stride + x + 1;
                coef[row + x] = (_flags[i] & Negative) != 0 ? -_mag[i] : _mag[i];
            }
        }
    }

    /// <summary>In bypass mode, significance and refinement passes after the first ten passes are raw-coded.</summary>
    private static bool IsRawPass(int passIndex, int style) =>
        (style & J2kCodingStyle.Bypass) != 0 && passIndex >= 10 && (passIndex + 2) % 3 != 2;

    private void ResetContexts()
    {
        for (int i = 0; i < 19; i++) _mq.SetContext(i, 0);
        _mq.SetContext(0, 4);
        _mq.SetContext(CtxRunLength, 3);
        _mq.SetContext(CtxUniform, 46);
    }

    private bool IsSig(int i) => (_flags[i] & Sig) != 0;

    /// <summary>Whether the neighbour below (row y + 1) is visible: not in vertically causal mode at a stripe's last row.</summary>
    private bool BelowVisible(int y) => !_causal || (y & 3) != 3;

    private int ZeroCodingContext(int i, int y)
    {
        bool below = BelowVisible(y);
        int s = _stride;
        int h = (IsSig(i - 1) ? 1 : 0) + (IsSig(i + 1) ? 1 : 0);
        int v = (IsSig(i - s) ? 1 : 0) + (below && IsSig(i + s) ? 1 : 0);
        int d = (IsSig(i - s - 1) ? 1 : 0) + (IsSig(i - s + 1) ? 1 : 0) + (below && IsSig(i + s - 1) ? 1 : 0) + (below && IsSig(i + s + 1) ? 1 : 0);
        if (_orientation == 3)
        {
            int hv = h + v;
            return d >= 3 ? 8 : d == 2 ? (hv >= 1 ? 7 : 6) : d == 1 ? (hv >= 2 ? 5 : hv == 1 ? 4 : 3) : (hv >= 2 ? 2 : hv);
        }
        if (_orientation == 1) (h, v) = (v, h);
        if (h == 2) return 8;
        if (h == 1) return v >= 1 ? 7 : d >= 1 ? 6 : 5;
        return v == 2 ? 4 : v == 1 ? 3 : d >= 2 ? 2 : d;
    }

    private int Contribution(int i) => (_flags[i] & Sig) == 0 ? 0 : (_flags[i] & Negative) != 0 ? -1 : 1;

    private int DecodeSign(int i, int y)
    {
        int s = _stride;
        int hc = Math.Clamp(Contribution(i - 1) + Contribution(i + 1), -1, 1);
        int vc = Math.Clamp(Contribution(i - s) + (BelowVisible(y) ? Contribution(i + s) : 0), -1, 1);
        // Table D.3: context and XOR bit from the horizontal and vertical contributions.
        int ctx, xor = 0;
        if (hc == 0 && vc == 0) ctx = 9;
        else if (hc == 0) { ctx = 10; xor = vc < 0 ? 1 : 0; }
        else
        {
            ctx = vc == 0 ? 12 : hc == vc ? 13 : 11;
            xor = hc < 0 ? 1 : 0;
        }
        return _mq.Decode(ctx) ^ xor;
    }

    private bool HasSignificantNeighbour(int i, int y)
    {
        int s = _stride;
        if (IsSig(i - 1) || IsSig(i + 1) || IsSig(i - s) || IsSig(i - s - 1) || IsSig(i - s + 1)) return true;
        return BelowVisible(y) && (IsSig(i + s) || IsSig(i + s - 1) || IsSig(i + s + 1));
    }

    private void BecomeSignificant(int i, int negative, int plane)
    {
        _flags[i] |= (byte)(Sig | (negative != 0 ? Negative : 0));
        _mag[i] = 3 << plane; // 1.5 × 2^plane, at twice the scale
    }

    private void SignificancePass(int plane, bool raw)
    {
        for (int y0 = 0; y0 < _h; y0 += 4)
            for (int x = 0; x < _w; x++)
                for (int y = y0; y < Math.Min(y0 + 4, _h); y++)
                {
                    int i = (y + 1) * _stride + x + 1;
                    if (IsSig(i) || !HasSignificantNeighbour(i, y)) continue;
                    int bit = raw ? RawBit() : _mq.Decode(ZeroCodingContext(i, y));
                    if (bit != 0) BecomeSignificant(i, raw ? RawBit() : DecodeSign(i, y), plane);
                    _flags[i] |= Visited;
                }
    }

    private void RefinementPass(int plane, bool raw)
    {
        for (int y0 = 0; y0 < _h; y0 += 4)
            for (int x = 0; x < _w; x++)
                for (int y = y0; y < Math.Min(y0 + 4, _h); y++)
                {
                    int i = (y + 1) * _stride + x + 1;
                    if ((_flags[i] & (Sig | Visited)) != Sig) continue;
                    int ctx = (_flags[i] & Refined) != 0 ? 16 : HasSignificantNeighbour(i, y) ? 15 : 14;
                    int bit = raw ? RawBit() : _mq.Decode(ctx);
                    _mag[i] += bit != 0 ? 1 << plane : -(1 << plane);
                    _flags[i] |= Refined;
                }
    }

    private void CleanupPass(int plane)
    {
        for (int y0 = 0; y0 < _h; y0 += 4)
            for (int x = 0; x < _w; x++)
            {
                int y = y0, yEnd = Math.Min(y0 + 4, _h);
                if (yEnd - y0 == 4 && RunEligible(x, y0))
                {
                    if (_mq.Decode(CtxRunLength) == 0) continue; // all four stay insignificant
                    y = y0 + (_mq.Decode(CtxUniform) << 1 | _mq.Decode(CtxUniform));
                    int i = (y + 1) * _stride + x + 1;
                    BecomeSignificant(i, DecodeSign(i, y), plane);
                    y++;
                }
                for (; y < yEnd; y++)
                {
                    int i = (y + 1) * _stride + x + 1;
                    if ((_flags[i] & (Sig | Visited)) != 0) continue;
                    if (_mq.Decode(ZeroCodingContext(i, y)) != 0) BecomeSignificant(i, DecodeSign(i, y), plane);
                }
            }
        for (int y = 0; y < _h; y++)
            for (int x = 0; x < _w; x++) _flags[(y + 1) * _stride + x + 1] &= unchecked((byte)~Visited);
    }

    /// <summary>Run-length mode: four rows all insignificant, unvisited and with no significant neighbours.</summary>
    private bool RunEligible(int x, int y0)
    {
        for (int y = y0; y < y0 + 4; y++)
        {
            int i = (y + 1) * _stride + x + 1;
            if ((_flags[i] & (Sig | Visited)) != 0 || HasSignificantNeighbour(i, y)) return false;
        }
        return true;
    }

    private int RawBit()
    {
        if (_rawLeft == 0)
        {
            bool afterFF = _rawByte == 0xFF;
            int next = _rawPos < _rawEnd ? _raw[_rawPos] : 0xFF;
            if (afterFF && next > 0x8F) { _rawByte = 0xFF; _rawLeft = 8; }
            else
            {
                _rawByte = next;
                _rawPos++;
                _rawLeft = afterFF ? 7 : 8;
            }
        }
        _rawLeft--;
        return _rawByte >> _rawLeft & 1;
    }
}
