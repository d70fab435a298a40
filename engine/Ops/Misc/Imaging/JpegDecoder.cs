namespace NativeInfer.Ops.Misc.Imaging;

/// <summary>
/// Baseline and extended sequential Huffman JPEG (SOF0/SOF1; interleaved or per-component scans, restart markers) with
/// 1 (gray) or 3 (YCbCr, or RGB per Adobe/ids) components, decoded the way libjpeg does by default: islow IDCT, "fancy"
/// triangle upsampling of subsampled chroma and its fixed-point YCbCr → RGB tables. Progressive, arithmetic-coded,
/// 12-bit and CMYK files are refused.
/// </summary>
internal sealed class JpegDecoder
{
    private static readonly byte[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    private sealed class Component
    {
        public int Id, H, V, Quant, DcTable, AcTable, Pred;
        public int BlocksW, BlocksH;   // blocks covering the padded MCU grid
        public int Stride;             // BlocksW * 8
        public byte[] Plane = [];
    }

    private sealed class Huffman
    {
        public readonly int[] MaxCode = new int[18], ValPtr = new int[17], MinCode = new int[17];
        public byte[] Values = [];
    }

    private readonly byte[] _d;
    private int _pos;
    private readonly int[][] _quant = new int[4][];
    private readonly Huffman?[] _dc = new Huffman?[4], _ac = new Huffman?[4];
    private Component[] _components = [];
    private int _width, _height, _maxH, _maxV, _mcusX, _mcusY, _restartInterval;
    private int _adobeTransform = -1;
    private bool _sawFrame;
    // Entropy bit reader.
    private int _bitBuffer, _bitCount;
    private bool _hitMarker;

    private JpegDecoder(byte[] data) => _d = data;

    public static bool Matches(byte[] d) => d.Length >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF;

    public static DecodedImage Decode(byte[] data) => new JpegDecoder(data).Run();

    private DecodedImage Run()
    {
        _pos = 2;
        while (true)
        {
            int marker = NextMarker();
            if (marker == 0xD9) break;
            int length = U16(_pos);
            int segment = _pos + 2, end = _pos + length;
            if (length < 2 || end > _d.Length) throw Corrupt("segment length out of range");
            switch (marker)
            {
                case 0xC0 or 0xC1: ReadFrame(segment); break;
                case 0xC2 or 0xC3 or >= 0xC5 and <= 0xC7 or >= 0xC9 and <= 0xCB or >= 0xCD and <= 0xCF:
                    throw new NotSupportedException($"JPEG: SOF{marker - 0xC0} (progressive, lossless or arithmetic) is not supported.");
                case 0xC4: ReadHuffman(segment, end); break;
                case 0xDB: ReadQuant(segment, end); break;
                case 0xDD: _restartInterval = U16(segment); break;
                case 0xEE when end - segment >= 12 && _d[segment] == 'A' && _d[segment + 1] == 'd': _adobeTransform = _d[segment + 11]; break;
                case 0xDA:
                    _pos = ReadScan(segment);
                    continue;
            }
            _pos = end;
        }
        if (!_sawFrame) throw Corrupt("no frame header");
        return Output();
    }

    private int NextMarker()
    {
        while (_pos < _d.Length && _d[_pos] != 0xFF) _pos++;
        while (_pos < _d.Length && _d[_pos] == 0xFF) _pos++;
        if (_pos >= _d.Length) return 0xD9; // a missing EOI ends the image
        return _d[_pos++];
    }

    private void ReadFrame(int at)
    {
        if (_d[at] != 8) throw new NotSupportedException($"JPEG: {_d[at]}-bit samples are not supported.");
        _height = U16(at + 1);
        _width = U16(at + 3);
        int n = _d[at + 5];
        if (_width == 0 || _height == 0) throw new NotSupportedException("JPEG: images whose height is set by DNL are not supported.");
        if (n is not (1 or 3)) throw new NotSupportedException($"JPEG: {n} color components are not supported.");
        _components = new Component[n];
        for (int i = 0; i < n; i++)
        {
            int p = at + 6 + 3 * i;
            _components[i] = new Component { Id = _d[p], H = _d[p + 1] >> 4, V = _d[p + 1] & 15, Quant = _d[p + 2] };
            if (_components[i].H is < 1 or > 4 || _components[i].V is < 1 or > 4 || _components[i].Quant > 3)
                throw Corrupt("bad component parameters");
        }
        _maxH = _components.Max(c => c.H);
        _maxV = _components.Max(c => c.V);
        _mcusX = (_width + 8 * _maxH - 1) / (8 * _maxH);
        _mcusY = (_height + 8 * _maxV - 1) / (8 * _maxV);
        long total = 0;
        foreach (var c in _components)
        {
            c.BlocksW = _mcusX * c.H;
            c.BlocksH = _mcusY * c.V;
            c.Stride = c.BlocksW * 8;
            total += (long)c.Stride * c.BlocksH * 8;
        }
        Tensors.TensorLimits.CheckAllocation(total, Tensors.DataType.UInt8);
        foreach (var c in _components) c.Plane = new byte[c.Stride * c.BlocksH * 8];
        _sawFrame = true;
    }

    private void ReadQuant(int at, int end)
    {
        while (at < end)
        {
            int pq = _d[at] >> 4, tq = _d[at] & 15;
            if (tq > 3) throw Corrupt("bad quantization table id");
            var q = new int[64];
            for (int k = 0; k < 64; k++) q[ZigZag[k]] = pq == 0 ? _d[at + 1 + k] : U16(at + 1 + 2 * k);
            _quant[tq] = q;
            at += 1 + 64 * (pq == 0 ? 1 : 2);
        }
    }

    private void ReadHuffman(int at, int end)
    {
        while (at < end)
        {
            int tc = _d[at] >> 4, th = _d[at] & 15;
            if (tc > 1 || th > 3) throw Corrupt("bad Huffman table id");
            var t = new Huffman();
            int total = 0, code = 0;
            for (int len = 1; len <= 16; len++)
            {
                int count = _d[at + len];
                t.ValPtr[len] = total;
                t.MinCode[len] = code;
                code += count;
                total += count;
                t.MaxCode[len] = count > 0 ? code - 1 : -1;
                code <<= 1;
            }
            t.MaxCode[17] = int.MaxValue;
            if (at + 17 + total > end) throw Corrupt("Huffman table overruns its segment");
            t.Values = _d.AsSpan(at + 17, total).ToArray();
            (tc == 0 ? _dc : _ac)[th] = t;
            at += 17 + total;
        }
    }

    private int ReadScan(int at)
    {
        if (!_sawFrame) throw Corrupt("scan before frame");
        int n = _d[at];
        var scan = new Component[n];
        for (int i = 0; i < n; i++)
        {
            int id = _d[at + 1 + 2 * i];
            var c = _components.FirstOrDefault(x => x.Id == id) ?? throw Corrupt($"scan names unknown component {id}");
            c.DcTable = _d[at + 2 + 2 * i] >> 4;
            c.AcTable = _d[at + 2 + 2 * i] & 15;
            if (c.DcTable > 3 || c.AcTable > 3 || _dc[c.DcTable] is null || _ac[c.AcTable] is null || _quant[c.Quant] is null)
                throw Corrupt("scan uses a missing table");
            c.Pred = 0;
            scan[i] = c;
        }
        _pos = at + 1 + 2 * n + 3;
        _bitBuffer = _bitCount = 0;
        _hitMarker = false;
        Span<int> coef = stackalloc int[64];
        Span<int> work = stackalloc int[64];

        bool single = n == 1;
        int unitsX = single ? (_width * scan[0].H + 8 * _maxH - 1) / (8 * _maxH) : _mcusX;
        int unitsY = single ? (_height * scan[0].V + 8 * _maxV - 1) / (8 * _maxV) : _mcusY;
        int units = unitsX * unitsY, restarts = 0;
        for (int u = 0; u < units; u++)
        {
            if (_restartInterval > 0 && u > 0 && u % _restartInterval == 0) Restart(scan, ref restarts);
            int ux = u % unitsX, uy = u / unitsX;
            foreach (var c in scan)
            {
                int bh = single ? 1 : c.H, bv = single ? 1 : c.V;
                for (int by = 0; by < bv; by++)
                    for (int bx = 0; bx < bh; bx++)
                    {
                        DecodeBlock(c, coef);
                        int blockX = ux * bh + bx, blockY = uy * bv + by;
                        JpegIdct.Transform(coef, c.Plane, blockY * 8 * c.Stride + blockX * 8, c.Stride, work);
                    }
            }
        }
        // Skip to the marker after the entropy-coded data.
        while (_pos < _d.Length - 1 && !(_d[_pos] == 0xFF && _d[_pos + 1] != 0 && (_d[_pos + 1] < 0xD0 || _d[_pos + 1] > 0xD7))) _pos++;
        return _pos;
    }

    private void Restart(Component[] scan, ref int restarts)
    {
        _bitBuffer = _bitCount = 0;
        _hitMarker = false;
        while (_pos < _d.Length - 1 && !(_d[_pos] == 0xFF && _d[_pos + 1] >= 0xD0 && _d[_pos + 1] <= 0xD7)) _pos++;
        if (_pos < _d.Length - 1) _pos += 2;
        foreach (var c in scan) c.Pred = 0;
        restarts++;
    }

    private void DecodeBlock(Component c, Span<int> coef)
    {
        coef.Clear();
        var q = _quant[c.Quant];
        int t = DecodeSymbol(_dc[c.DcTable]!);
        if (t > 16) throw Corrupt("bad DC difference");
        c.Pred += t == 0 ? 0 : Extend(Receive(t), t);
        coef[0] = c.Pred * q[0];
        var ac = _ac[c.AcTable]!;
        for (int k = 1; k < 64;)
        {
            int rs = DecodeSymbol(ac);
            int r = rs >> 4, s = rs & 15;
            if (s == 0)
            {
                if (r != 15) break;
                k += 16;
                continue;
            }
            k += r;
            if (k > 63) throw Corrupt("AC coefficient index out of range");
            int z = ZigZag[k];
            coef[z] = Extend(Receive(s), s) * q[z];
            k++;
        }
    }

    private int DecodeSymbol(Huffman h)
    {
        int code = Bit(), len = 1;
        while (code > h.MaxCode[len])
        {
            code = code << 1 | Bit();
            if (++len > 16) throw Corrupt("bad Huffman code");
        }
        int index = h.ValPtr[len] + code - h.MinCode[len];
        if (index < 0 || index >= h.Values.Length) throw Corrupt("bad Huffman code");
        return h.Values[index];
    }

    private int Receive(int n)
    {
        int v = 0;
        for (int i = 0; i < n; i++) v = v << 1 | Bit();
        return v;
    }

    private static int Extend(int v, int n) => v < 1 << (n - 1) ? v - (1 << n) + 1 : v;

    /// <summary>The next entropy-coded bit; past a marker (or the end) the data reads as zeros, as in libjpeg.</summary>
    private int Bit()
    {
        if (_bitCount == 0)
        {
            int b = 0;
            if (!_hitMarker && _pos < _d.Length)
            {
                b = _d[_pos];
                if (b == 0xFF)
                {
                    int next = _pos + 1 < _d.Length ? _d[_pos + 1] : 0xD9;
                    if (next == 0) _pos += 2;
                    else
                    {
                        _hitMarker = true;
                        b = 0;
                    }
                }
                else _pos++;
            }
            _bitBuffer = b;
            _bitCount = 8;
        }
        _bitCount--;
        return _bitBuffer >> _bitCount & 1;
    }

    private DecodedImage Output()
    {
        if (_components.Length == 1)
        {
            var g = new DecodedImage(_width, _height, 1);
            var c = _components[0];
            for (int y = 0; y < _height; y++) c.Plane.AsSpan(y * c.Stride, _width).CopyTo(g.Pixels.AsSpan(y * _width));
            return g;
        }
        var planes = _components.Select(Upsample).ToArray();
        bool rgb = _adobeTransform == 0 || _adobeTransform < 0 && _components[0].Id == 'R' && _components[1].Id == 'G' && _components[2].Id == 'B';
        var img = new DecodedImage(_width, _height, 3);
        int fullStride = _mcusX * _maxH * 8;
        for (int y = 0; y < _height; y++)
            for (int x = 0; x < _width; x++)
            {
                int s = y * fullStride + x, o = (y * _width + x) * 3;
                int c0 = planes[0][s], c1 = planes[1][s], c2 = planes[2][s];
                if (rgb)
                {
                    (img.Pixels[o], img.Pixels[o + 1], img.Pixels[o + 2]) = ((byte)c0, (byte)c1, (byte)c2);
                    continue;
                }
                img.Pixels[o] = Clamp(c0 + YccTables.CrR[c2]);
                img.Pixels[o + 1] = Clamp(c0 + ((YccTables.CbG[c1] + YccTables.CrG[c2]) >> 16));
                img.Pixels[o + 2] = Clamp(c0 + YccTables.CbB[c1]);
            }
        return img;
    }

    /// <summary>A component brought to full resolution (stride = MCU columns · maxH · 8) with libjpeg's fancy filters.</summary>
    private byte[] Upsample(Component c)
    {
        int fx = _maxH / c.H, fy = _maxV / c.V;
        if (fx == 1 && fy == 1) return c.Plane;
        if (_maxH % c.H != 0 || _maxV % c.V != 0) throw new NotSupportedException("JPEG: fractional sampling factors are not supported.");
        int outStride = _mcusX * _maxH * 8, outRows = _mcusY * _maxV * 8;
        var result = new byte[outStride * outRows];
        int dw = (_width * c.H + _maxH - 1) / _maxH, dh = (_height * c.V + _maxV - 1) / _maxV;
        var p = c.Plane;
        for (int y = 0; y < dh; y++)
        {
            int row = y * c.Stride;
            if (fx == 2 && fy == 2)
            {
                for (int half = 0; half < 2; half++)
                {
                    int other = Math.Clamp(half == 0 ? y - 1 : y + 1, 0, dh - 1) * c.Stride;
                    int o = (2 * y + half) * outStride;
                    int Col(int i) => p[row + i] * 3 + p[other + i];
                    int last = Col(0), cur = last;
                    for (int i = 0; i < dw; i++)
                    {
                        int next = i + 1 < dw ? Col(i + 1) : cur;
                        result[o + 2 * i] = (byte)(i == 0 ? (cur * 4 + 8) >> 4 : (cur * 3 + last + 8) >> 4);
                        result[o + 2 * i + 1] = (byte)(i == dw - 1 ? (cur * 4 + 7) >> 4 : (cur * 3 + next + 7) >> 4);
                        last = cur;
                        cur = next;
                    }
                }
            }
            else if (fx == 2 && fy == 1)
            {
                int o = y * outStride;
                for (int i = 0; i < dw; i++)
                {
                    int v = p[row + i];
                    result[o + 2 * i] = (byte)(i == 0 ? v : (v * 3 + p[row + i - 1] + 1) >> 2);
                    result[o + 2 * i + 1] = (byte)(i == dw - 1 ? v : (v * 3 + p[row + i + 1] + 2) >> 2);
                }
            }
            else if (fx == 1 && fy == 2)
            {
                for (int half = 0; half < 2; half++)
                {
                    int other = Math.Clamp(half == 0 ? y - 1 : y + 1, 0, dh - 1) * c.Stride;
                    int o = (2 * y + half) * outStride;
                    for (int i = 0; i < dw; i++) result[o + i] = (byte)((p[row + i] * 3 + p[other + i] + 1 + half) >> 2);
                }
            }
            else
            {
                for (int dy = 0; dy < fy; dy++)
                    for (int i = 0; i < dw; i++)
                        for (int dx = 0; dx < fx; dx++) result[(y * fy + dy) * outStride + i * fx + dx] = p[row + i];
            }
        }
        return result;
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);

    private int U16(int at) => at + 1 < _d.Length ? _d[at] << 8 | _d[at + 1] : throw BinaryCursor.Truncated();

    private static InvalidDataException Corrupt(string why) => new($"JPEG: {why}.");

    /// <summary>libjpeg's fixed-point (16-bit) YCbCr → RGB lookup tables.</summary>
    private static class YccTables
    {
        public static readonly int[] CrR = new int[256], CbB = new int[256], CrG = new int[256], CbG = new int[256];

        static YccTables()
        {
            static int Fix(double v) => (int)(v * 65536 + 0.5);
            const int half = 1 << 15;
            for (int i = 0; i < 256; i++)
            {
                int x = i - 128;
                CrR[i] = (Fix(1.40200) * x + half) >> 16;
                CbB[i] = (Fix(1.77200) * x + half) >> 16;
                CrG[i] = -Fix(0.71414) * x;
                CbG[i] = -Fix(0.34414) * x + half;
            }
        }
    }
}
