using static NativeInfer.Ops.Image.Codecs.ImageBytes;

namespace NativeInfer.Ops.Image.Codecs.Jpeg;

/// <summary>
/// JPEG (JFIF/Exif/Adobe) decoder for 8-bit Huffman-coded baseline, extended sequential and progressive images with
/// 1 (gray) or 3 (YCbCr or RGB) components, any integral sampling factors and restart intervals. Output matches
/// libjpeg-turbo's defaults bit for bit: islow IDCT, fancy (triangular) chroma upsampling, fixed-point YCbCr→RGB.
/// </summary>
internal sealed class JpegDecoder
{
    private const string Format = "JPEG";

    private readonly byte[] _data;
    private readonly ushort[]?[] _quant = new ushort[4][];
    private readonly JpegHuffmanTable?[] _dcTables = new JpegHuffmanTable[4], _acTables = new JpegHuffmanTable[4];
    private JpegComponent[] _components = [];
    private int _width, _height, _hmax, _vmax, _mcusX, _mcusY, _restartInterval;
    private bool _progressive, _sawJfif, _sawAdobe;
    private int _adobeTransform;
    private int _eobRun;

    private JpegDecoder(byte[] data) => _data = data;

    public static bool Matches(ReadOnlySpan<byte> d) => d.Length >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF;

    public static DecodedImage Decode(ReadOnlySpan<byte> d) => new JpegDecoder(d.ToArray()).Run();

    private DecodedImage Run()
    {
        int pos = 2;
        bool sawScan = false;
        while (true)
        {
            while (pos < _data.Length && _data[pos] != 0xFF) pos++; // tolerate junk between segments, as libjpeg does
            while (pos < _data.Length && _data[pos] == 0xFF) pos++;
            if (pos >= _data.Length) throw new ImageDecodeException($"{Format}: the file is truncated (no end-of-image marker).");
            int marker = _data[pos++];
            if (marker == 0xD9) break;
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) continue;
            int length = U16BE(_data, pos, Format);
            if (length < 2) throw new ImageDecodeException($"{Format}: invalid segment length {length}.");
            var body = Slice(_data, pos + 2, length - 2, Format);
            int next = pos + length;
            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC2: ReadFrame(body, marker == 0xC2); break;
                case 0xC3 or >= 0xC5 and <= 0xC7 or >= 0xC9 and <= 0xCB or >= 0xCD and <= 0xCF:
                    throw new NotSupportedException($"{Format}: SOF{marker - 0xC0} (lossless, hierarchical or arithmetic-coded) is not supported.");
                case 0xC4: ReadHuffmanTables(body); break;
                case 0xDB: ReadQuantTables(body); break;
                case 0xDD: _restartInterval = U16BE(body, 0, Format); break;
                case 0xDC: throw new NotSupportedException($"{Format}: DNL markers are not supported.");
                case 0xE0 when body.StartsWith("JFIF\0"u8): _sawJfif = true; break;
                case 0xEE when body.Length >= 12 && body.StartsWith("Adobe"u8):
                    _sawAdobe = true;
                    _adobeTransform = body[11];
                    break;
                case 0xDA:
                    next = ReadScan(body, next);
                    sawScan = true;
                    break;
            }
            pos = next;
        }
        if (!sawScan) throw new ImageDecodeException($"{Format}: the file has no image data (no scan).");
        return Output();
    }

    private void ReadFrame(ReadOnlySpan<byte> b, bool progressive)
    {
        if (_components.Length > 0) throw new ImageDecodeException($"{Format}: more than one frame.");
        if (b.Length < 6) throw new ImageDecodeException($"{Format}: SOF segment is too short.");
        if (b[0] != 8) throw new NotSupportedException($"{Format}: {b[0]}-bit samples are not supported (only 8-bit).");
        _height = U16BE(b, 1, Format);
        _width = U16BE(b, 3, Format);
        if (_height == 0) throw new NotSupportedException($"{Format}: images with the height defined by a DNL marker are not supported.");
        DecodedImage.CheckDimensions(_width, _height, Format);
        int n = b[5];
        if (n is not (1 or 3)) throw new NotSupportedException($"{Format}: {n}-component images are not supported (only gray and 3-component colour).");
        var parts = Slice(b, 6, 3 * n, Format);
        _components = new JpegComponent[n];
        for (int i = 0; i < n; i++)
        {
            int h = parts[3 * i + 1] >> 4, v = parts[3 * i + 1] & 15, tq = parts[3 * i + 2];
            if (h is < 1 or > 4 || v is < 1 or > 4 || tq > 3)
                throw new ImageDecodeException($"{Format}: invalid sampling factors {h}x{v} or quantisation table {tq}.");
            _components[i] = new JpegComponent(parts[3 * i], h, v, tq);
        }
        _progressive = progressive;
        _hmax = _components.Max(c => c.H);
        _vmax = _components.Max(c => c.V);
        _mcusX = (_width + 8 * _hmax - 1) / (8 * _hmax);
        _mcusY = (_height + 8 * _vmax - 1) / (8 * _vmax);
        long coefficients = 0;
        foreach (var c in _components)
        {
            if (_hmax % c.H != 0 || _vmax % c.V != 0)
                throw new NotSupportedException($"{Format}: fractional sampling factors are not supported.");
            c.Width = (int)(((long)_width * c.H + _hmax - 1) / _hmax);
            c.Height = (int)(((long)_height * c.V + _vmax - 1) / _vmax);
            c.BlocksWide = (c.Width + 7) / 8;
            c.BlocksHigh = (c.Height + 7) / 8;
            c.BlocksPerLine = _mcusX * c.H;
            c.BlocksPerColumn = _mcusY * c.V;
            coefficients += (long)c.BlocksPerLine * c.BlocksPerColumn * 64;
        }
        // The whole working set: coefficients (2 bytes each), decoded planes (1 byte per coefficient), the
        // full-resolution planes and the output image.
        long pixels = (long)_width * _height;
        NativeInfer.Tensors.TensorLimits.CheckAllocation(coefficients * 3 + pixels * n + pixels * (n == 1 ? 1 : 3), NativeInfer.Tensors.DataType.UInt8);
        foreach (var c in _components) c.Coefficients = new short[(long)c.BlocksPerLine * c.BlocksPerColumn * 64];
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> b)
    {
        int p = 0;
        while (p < b.Length)
        {
            int tc = b[p] >> 4, th = b[p] & 15;
            if (tc > 1 || th > 3) throw new ImageDecodeException($"{Format}: invalid Huffman table class {tc} or index {th}.");
            var counts = Slice(b, p + 1, 16, Format);
            int total = 0;
            foreach (byte c in counts) total += c;
            if (total > 256) throw new ImageDecodeException($"{Format}: Huffman table with {total} symbols.");
            var table = new JpegHuffmanTable(counts, Slice(b, p + 17, total, Format));
            (tc == 0 ? _dcTables : _acTables)[th] = table;
            p += 17 + total;
        }
    }

    private void ReadQuantTables(ReadOnlySpan<byte> b)
    {
        int p = 0;
        while (p < b.Length)
        {
            int pq = b[p] >> 4, tq = b[p] & 15;
            if (pq > 1 || tq > 3) throw new ImageDecodeException($"{Format}: invalid quantisation table precision {pq} or index {tq}.");
            var q = new ushort[64];
            var src = Slice(b, p + 1, 64 << pq, Format);
            for (int k = 0; k < 64; k++)
                q[JpegScan.ZigZag[k]] = pq == 0 ? src[k] : (ushort)(src[2 * k] << 8 | src[2 * k + 1]);
            _quant[tq] = q;
            p += 1 + (64 << pq);
        }
    }

    /// <summary>Decodes one scan whose header is <paramref name="b"/> and entropy data starts at <paramref name="pos"/>; returns where it ends.</summary>
    private int ReadScan(ReadOnlySpan<byte> b, int pos)
    {
        if (_components.Length == 0) throw new ImageDecodeException($"{Format}: scan before the frame header.");
        int n = b.Length > 0 ? b[0] : 0;
        if (n is < 1 or > 4 || b.Length < 4 + 2 * n) throw new ImageDecodeException($"{Format}: invalid scan header.");
        var comps = new JpegComponent[n];
        var dc = new JpegHuffmanTable?[n];
        var ac = new JpegHuffmanTable?[n];
        for (int i = 0; i < n; i++)
        {
            int id = b[1 + 2 * i];
            comps[i] = _components.FirstOrDefault(c => c.Id == id)
                ?? throw new ImageDecodeException($"{Format}: scan refers to unknown component {id}.");
            dc[i] = _dcTables[b[2 + 2 * i] >> 4 & 3];
            ac[i] = _acTables[b[2 + 2 * i] & 3];
            comps[i].Quant ??= (ushort[]?)_quant[comps[i].QuantIndex]?.Clone()
                ?? throw new ImageDecodeException($"{Format}: quantisation table {comps[i].QuantIndex} is not defined.");
        }
        int ss = b[1 + 2 * n], se = b[2 + 2 * n], ah = b[3 + 2 * n] >> 4, al = b[3 + 2 * n] & 15;
        var scan = new JpegScan(_progressive, ss, se, ah, al);
        scan.Validate(n, dc, ac, Format);

        var reader = new JpegBitReader(_data, pos);
        bool single = n == 1;
        int mcusX = single ? comps[0].BlocksWide : _mcusX, mcusY = single ? comps[0].BlocksHigh : _mcusY;
        long total = (long)mcusX * mcusY;
        int untilRestart = _restartInterval;
        _eobRun = 0;
        foreach (var c in comps) c.DcPredictor = 0;
        for (long m = 0; m < total; m++)
        {
            if (_restartInterval > 0)
            {
                if (untilRestart == 0)
                {
                    reader.Reset();
                    int p = reader.Position;
                    if (p + 1 < _data.Length && _data[p + 1] is >= 0xD0 and <= 0xD7) p += 2;
                    reader = new JpegBitReader(_data, p);
                    foreach (var c in comps) c.DcPredictor = 0;
                    _eobRun = 0;
                    untilRestart = _restartInterval;
                }
                untilRestart--;
            }
            int mx = (int)(m % mcusX), my = (int)(m / mcusX);
            if (single)
            {
                scan.DecodeBlock(reader, comps[0], comps[0].Block(my, mx), dc[0], ac[0], ref _eobRun);
                continue;
            }
            for (int i = 0; i < n; i++)
            {
                var c = comps[i];
                for (int v = 0; v < c.V; v++)
                    for (int h = 0; h < c.H; h++)
                        scan.DecodeBlock(reader, c, c.Block(my * c.V + v, mx * c.H + h), dc[i], ac[i], ref _eobRun);
            }
        }
        if (reader.PastEnd) throw new ImageDecodeException($"{Format}: the file is truncated (image data ends early).");
        reader.Reset();
        return reader.Position;
    }

    private DecodedImage Output()
    {
        var planes = new byte[_components.Length][];
        Span<int> ws = stackalloc int[64];
        for (int i = 0; i < _components.Length; i++)
        {
            var c = _components[i];
            var q = c.Quant ?? throw new ImageDecodeException($"{Format}: component {c.Id} has no image data.");
            int stride = c.BlocksPerLine * 8;
            var plane = planes[i] = new byte[(long)stride * c.BlocksPerColumn * 8];
            for (int by = 0; by < c.BlocksHigh; by++)
                for (int bx = 0; bx < c.BlocksWide; bx++)
                    JpegIdct.Transform(c.Block(by, bx), q, ws, plane, by * 8 * stride + bx * 8, stride);
        }
        bool rgb = _components.Length == 3 && (_sawJfif ? false
            : _sawAdobe ? _adobeTransform == 0
            : _components[0].Id == 'R' && _components[1].Id == 'G' && _components[2].Id == 'B');
        return JpegColor.ToImage(_components, planes, _width, _height, _hmax, _vmax, rgb);
    }
}
