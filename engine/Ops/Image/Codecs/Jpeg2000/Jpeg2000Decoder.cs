using static NativeInfer.Ops.Image.Codecs.ImageBytes;

namespace NativeInfer.Ops.Image.Codecs.Jpeg2000;

/// <summary>
/// JPEG 2000 Part 1 decoder for JP2 files and raw codestreams: any tiling, 5/3 reversible or 9/7 irreversible
/// wavelets, all progression orders without POC, precincts, every code-block style, RCT/ICT colour transforms.
/// 1–4 components of equal size and 1–16 bits; gray (and gray + alpha) decode to one channel, colour to RGB.
/// </summary>
internal sealed class Jpeg2000Decoder
{
    private const string Format = "JPEG 2000";
    private static ReadOnlySpan<byte> Jp2Signature => [0, 0, 0, 0x0C, (byte)'j', (byte)'P', 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];

    private sealed class TileState
    {
        public J2kCodingStyle?[] Styles = [];
        public J2kQuantization?[] Quants = [];
        public bool[] CocSet = [], QccSet = [];
        public int? Progression, Layers, Mct;
        public bool? Sop, Eph;
        public MemoryStream Data = new();
        public bool Seen;
    }

    private readonly byte[] _data;
    private int _x0, _y0, _x1, _y1, _tx0, _ty0, _tw, _th, _tilesX, _tilesY;
    private int[] _precision = [];
    private J2kCodingStyle?[] _styles = [];
    private J2kQuantization?[] _quants = [];
    private int _progression, _layers, _mct;
    private bool _sop, _eph;

    private Jpeg2000Decoder(byte[] data) => _data = data;

    public static bool Matches(ReadOnlySpan<byte> d) =>
        d.StartsWith(Jp2Signature) || (d.Length >= 4 && d[0] == 0xFF && d[1] == 0x4F && d[2] == 0xFF && d[3] == 0x51);

    public static DecodedImage Decode(ReadOnlySpan<byte> d)
    {
        var bytes = d.ToArray();
        var (start, end) = d.StartsWith(Jp2Signature) ? FindCodestream(bytes) : (0, bytes.Length);
        return new Jpeg2000Decoder(bytes).Run(start, end);
    }

    /// <summary>The contiguous codestream box ('jp2c') of a JP2 file.</summary>
    private static (int Start, int End) FindCodestream(byte[] d)
    {
        long pos = 0;
        while (pos + 8 <= d.Length)
        {
            long length = U32BE(d, pos, Format), header = 8;
            if (length == 1) { length = (long)U32BE(d, pos + 8, Format) << 32 | U32BE(d, pos + 12, Format); header = 16; }
            else if (length == 0) length = d.Length - pos;
            if (length < header || length > d.Length - pos) throw new ImageDecodeException($"{Format}: invalid box length (truncated file).");
            if (d.AsSpan((int)pos + 4, 4).SequenceEqual("jp2c"u8)) return ((int)(pos + header), (int)(pos + length));
            pos += length;
        }
        throw new ImageDecodeException($"{Format}: no codestream box in the JP2 file.");
    }

    private DecodedImage Run(int start, int end)
    {
        var d = _data.AsSpan(0, end);
        if (U16BE(d, start, Format) != 0xFF4F) throw new ImageDecodeException($"{Format}: missing SOC marker.");
        int pos = start + 2;
        TileState[]? tiles = null;
        TileState? current = null;
        while (pos + 2 <= end)
        {
            int marker = U16BE(d, pos, Format);
            if (marker == 0xFFD9) break; // EOC
            if (marker >> 8 != 0xFF) throw new ImageDecodeException($"{Format}: expected a marker at byte {pos}.");
            int length = U16BE(d, pos + 2, Format);
            if (length < 2) throw new ImageDecodeException($"{Format}: invalid marker segment length.");
            var body = Slice(d, pos + 4, length - 2, Format);
            if (marker == 0xFF90)
            {
                tiles ??= CreateTiles();
                int index = U16BE(body, 0, Format);
                long psot = U32BE(body, 2, Format);
                if (index >= tiles.Length) throw new ImageDecodeException($"{Format}: tile index {index} out of range.");
                current = tiles[index];
                bool firstPart = !current.Seen;
                current.Seen = true;
                long partEnd = psot == 0 ? end : pos + psot;
                if (partEnd > end || partEnd < pos + 14) throw new ImageDecodeException($"{Format}: tile-part length runs past the end of the file (truncated).");
                int p = pos + 2 + length;
                while (true)
                {
                    int m = U16BE(d, p, Format);
                    if (m == 0xFF93) { p += 2; break; } // SOD
                    int l = U16BE(d, p + 2, Format);
                    if (l < 2) throw new ImageDecodeException($"{Format}: invalid marker segment length.");
                    ReadHeaderSegment(m, Slice(d, p + 4, l - 2, Format), firstPart ? current : null, inTile: true);
                    p += 2 + l;
                }
                if (p > partEnd) throw new ImageDecodeException($"{Format}: tile-part header overruns the tile-part.");
                int dataEnd = (int)partEnd;
                if (psot == 0 && dataEnd >= 2 && d[dataEnd - 2] == 0xFF && d[dataEnd - 1] == 0xD9) dataEnd -= 2;
                current.Data.Write(_data, p, dataEnd - p);
                pos = (int)partEnd;
                continue;
            }
            if (tiles is not null) throw new ImageDecodeException($"{Format}: unexpected marker 0x{marker:X4} between tile-parts.");
            ReadHeaderSegment(marker, body, null, inTile: false);
            pos += 2 + length;
        }
        if (tiles is null) throw new ImageDecodeException($"{Format}: the codestream has no tiles (truncated file).");
        return Assemble(tiles);
    }

    private TileState[] CreateTiles()
    {
        if (_precision.Length == 0) throw new ImageDecodeException($"{Format}: tile before the SIZ marker.");
        var tiles = new TileState[(long)_tilesX * _tilesY];
        for (int i = 0; i < tiles.Length; i++)
            tiles[i] = new TileState
            {
                Styles = new J2kCodingStyle?[_precision.Length], Quants = new J2kQuantization?[_precision.Length],
                CocSet = new bool[_precision.Length], QccSet = new bool[_precision.Length],
            };
        return tiles;
    }

    private void ReadHeaderSegment(int marker, ReadOnlySpan<byte> b, TileState? tile, bool inTile)
    {
        int csiz = _precision.Length;
        switch (marker)
        {
            case 0xFF51 when !inTile: ReadSiz(b); break;
            case 0xFF52:
            {
                if (b.Length < 10) throw new ImageDecodeException($"{Format}: COD segment too short.");
                int scod = b[0];
                var style = J2kCodingStyle.Parse(b, 5, (scod & 1) != 0);
                int progression = b[1], layers = U16BE(b, 2, Format), mct = b[4];
                if (layers == 0) throw new ImageDecodeException($"{Format}: zero quality layers.");
                if (tile is not null)
                {
                    (tile.Progression, tile.Layers, tile.Mct, tile.Sop, tile.Eph) = (progression, layers, mct, (scod & 2) != 0, (scod & 4) != 0);
                    for (int c = 0; c < csiz; c++) if (!tile.CocSet[c]) tile.Styles[c] = style; // tile COD beats main COC
                }
                else if (!inTile)
                {
                    (_progression, _layers, _mct, _sop, _eph) = (progression, layers, mct, (scod & 2) != 0, (scod & 4) != 0);
                    for (int c = 0; c < csiz; c++) _styles[c] ??= style;
                    _defaultStyle = style;
                }
                break;
            }
            case 0xFF53:
            {
                int c = csiz < 257 ? Slice(b, 0, 1, Format)[0] : U16BE(b, 0, Format), at = csiz < 257 ? 1 : 2;
                if (c >= csiz) throw new ImageDecodeException($"{Format}: COC for component {c} of {csiz}.");
                var style = J2kCodingStyle.Parse(b, at + 1, (Slice(b, at, 1, Format)[0] & 1) != 0);
                if (tile is not null) { tile.Styles[c] = style; tile.CocSet[c] = true; }
                else if (!inTile) { _styles[c] = style; _cocSet[c] = true; }
                break;
            }
            case 0xFF5C:
            {
                var q = J2kQuantization.Parse(b);
                if (tile is not null) { for (int c = 0; c < csiz; c++) if (!tile.QccSet[c]) tile.Quants[c] = q; }
                else if (!inTile) { for (int c = 0; c < csiz; c++) if (!_qccSet[c]) _quants[c] = q; }
                break;
            }
            case 0xFF5D:
            {
                int c = csiz < 257 ? Slice(b, 0, 1, Format)[0] : U16BE(b, 0, Format);
                if (c >= csiz) throw new ImageDecodeException($"{Format}: QCC for component {c} of {csiz}.");
                var q = J2kQuantization.Parse(b[(csiz < 257 ? 1 : 2)..]);
                if (tile is not null) { tile.Quants[c] = q; tile.QccSet[c] = true; }
                else if (!inTile) { _quants[c] = q; _qccSet[c] = true; }
                break;
            }
            case 0xFF5E: throw new NotSupportedException($"{Format}: region-of-interest (RGN) coding is not supported.");
            case 0xFF5F: throw new NotSupportedException($"{Format}: progression order changes (POC) are not supported.");
            case 0xFF60 or 0xFF61: throw new NotSupportedException($"{Format}: packed packet headers (PPM/PPT) are not supported.");
            default:
                if (_precision.Length == 0 && !inTile) throw new ImageDecodeException($"{Format}: the first marker after SOC must be SIZ.");
                break; // COM, TLM, PLM, PLT, CRG, CAP, ...: informational
        }
    }

    private J2kCodingStyle? _defaultStyle;
    private bool[] _cocSet = [], _qccSet = [];

    private void ReadSiz(ReadOnlySpan<byte> b)
    {
        if (_precision.Length > 0) throw new ImageDecodeException($"{Format}: more than one SIZ marker.");
        long x1 = U32BE(b, 2, Format), y1 = U32BE(b, 6, Format), x0 = U32BE(b, 10, Format), y0 = U32BE(b, 14, Format);
        long tw = U32BE(b, 18, Format), th = U32BE(b, 22, Format), tx0 = U32BE(b, 26, Format), ty0 = U32BE(b, 30, Format);
        int csiz = U16BE(b, 34, Format);
        if (x1 > int.MaxValue / 2 || y1 > int.MaxValue / 2 || x0 >= x1 || y0 >= y1)
            throw new ImageDecodeException($"{Format}: invalid image area.");
        DecodedImage.CheckDimensions(x1 - x0, y1 - y0, Format);
        if (tw == 0 || th == 0 || tx0 > x0 || ty0 > y0 || tx0 + tw <= x0 || ty0 + th <= y0)
            throw new ImageDecodeException($"{Format}: invalid tiling.");
        if (csiz is < 1 or > 4) throw new NotSupportedException($"{Format}: {csiz} components are not supported (1–4).");
        (_x0, _y0, _x1, _y1, _tx0, _ty0) = ((int)x0, (int)y0, (int)x1, (int)y1, (int)tx0, (int)ty0);
        _tw = (int)Math.Min(tw, int.MaxValue / 2);
        _th = (int)Math.Min(th, int.MaxValue / 2);
        _tilesX = J2kRect.CeilDiv(_x1 - _tx0, _tw);
        _tilesY = J2kRect.CeilDiv(_y1 - _ty0, _th);
        if ((long)_tilesX * _tilesY > 65535) throw new ImageDecodeException($"{Format}: {(long)_tilesX * _tilesY} tiles (at most 65535).");
        _precision = new int[csiz];
        for (int c = 0; c < csiz; c++)
        {
            var s = Slice(b, 36 + 3 * c, 3, Format);
            _precision[c] = (s[0] & 0x7F) + 1;
            if (_precision[c] > 16) throw new NotSupportedException($"{Format}: {_precision[c]}-bit samples are not supported.");
            if (s[1] != 1 || s[2] != 1) throw new NotSupportedException($"{Format}: subsampled components are not supported.");
        }
        _styles = new J2kCodingStyle?[csiz];
        _quants = new J2kQuantization?[csiz];
        _cocSet = new bool[csiz];
        _qccSet = new bool[csiz];
    }

    private DecodedImage Assemble(TileState[] tiles)
    {
        int w = _x1 - _x0, h = _y1 - _y0, csiz = _precision.Length;
        // Working set of the largest tile (subband coefficients, reconstruction and its intermediate, 4 bytes each)
        // plus the output image.
        long tileArea = (long)Math.Min(_tw, w) * Math.Min(_th, h);
        NativeInfer.Tensors.TensorLimits.CheckAllocation(tileArea * csiz * 12 + (long)w * h * 3, NativeInfer.Tensors.DataType.UInt8);
        var img = DecodedImage.Create(w, h, csiz >= 3 ? 3 : 1, Format);
        var blockDecoder = new J2kBlockDecoder();
        for (int t = 0; t < tiles.Length; t++)
        {
            var ts = tiles[t];
            int p = t % _tilesX, q = t / _tilesX;
            var rect = new J2kRect(Math.Max(_tx0 + p * _tw, _x0), Math.Max(_ty0 + q * _th, _y0),
                Math.Min(_tx0 + (p + 1) * _tw, _x1), Math.Min(_ty0 + (q + 1) * _th, _y1));
            var comps = new J2kTileComponent[Math.Min(csiz, 3)];
            long budget = 65536 + 8 * ts.Data.Length;
            for (int c = 0; c < comps.Length; c++)
            {
                var style = ts.Styles[c] ?? _styles[c] ?? _defaultStyle ?? throw new ImageDecodeException($"{Format}: no COD marker.");
                var quant = ts.Quants[c] ?? _quants[c] ?? throw new ImageDecodeException($"{Format}: no QCD marker.");
                comps[c] = new J2kTileComponent(rect, style, quant, _precision[c], ref budget);
            }
            if (ts.Seen)
            {
                // Alpha (a 2nd or 4th component) is dropped, but its packets still have to be parsed to stay in step.
                var all = comps;
                if (csiz is 2 or 4)
                {
                    var style = ts.Styles[csiz - 1] ?? _styles[csiz - 1] ?? _defaultStyle!;
                    var quant = ts.Quants[csiz - 1] ?? _quants[csiz - 1] ?? throw new ImageDecodeException($"{Format}: no QCD marker.");
                    all = [.. comps[..(csiz == 2 ? 1 : 3)], new J2kTileComponent(rect, style, quant, _precision[csiz - 1], ref budget)];
                    comps = all[..(csiz == 2 ? 1 : 3)];
                }
                J2kPacketReader.ReadTile(ts.Data.GetBuffer(), 0, (int)ts.Data.Length, all, ts.Layers ?? _layers,
                    ts.Progression ?? _progression, ts.Sop ?? _sop, ts.Eph ?? _eph, rect);
                foreach (var tc in comps)
                    foreach (var res in tc.Resolutions)
                        foreach (var precinct in res.Precincts)
                            foreach (var pb in precinct)
                                foreach (var cb in pb.Blocks)
                                    if (cb.Passes > 0) blockDecoder.Decode(cb, pb.Band, tc.Style.BlockStyle);
            }
            WriteTile(img, comps, rect, (ts.Mct ?? _mct) == 1 && comps.Length == 3);
        }
        return img;
    }

    private void WriteTile(DecodedImage img, J2kTileComponent[] comps, J2kRect rect, bool mct)
    {
        int n = rect.Width * rect.Height, channels = img.Channels;
        var planes = new int[comps.Length][];
        bool reversible = comps[0].Style.Reversible;
        if (reversible)
        {
            for (int c = 0; c < comps.Length; c++) planes[c] = J2kWavelet.Reconstruct53(comps[c]);
            if (mct)
                for (int i = 0; i < n; i++)
                {
                    int y = planes[0][i], u = planes[1][i], v = planes[2][i];
                    int g = y - ((u + v) >> 2);
                    (planes[0][i], planes[1][i], planes[2][i]) = (v + g, g, u + g);
                }
        }
        else
        {
            var f = new float[comps.Length][];
            for (int c = 0; c < comps.Length; c++) f[c] = J2kWavelet.Reconstruct97(comps[c]);
            if (mct)
                for (int i = 0; i < n; i++)
                {
                    float y = f[0][i], u = f[1][i], v = f[2][i];
                    (f[0][i], f[1][i], f[2][i]) = (y + 1.402f * v, y - 0.34413f * u - 0.71414f * v, y + 1.772f * u);
                }
            for (int c = 0; c < comps.Length; c++)
            {
                planes[c] = new int[n];
                for (int i = 0; i < n; i++) planes[c][i] = (int)Math.Clamp(MathF.Round(f[c][i]), int.MinValue / 2, int.MaxValue / 2);
            }
        }
        for (int c = 0; c < channels; c++)
        {
            int prec = _precision[c], shift = 1 << (prec - 1), max = (1 << prec) - 1;
            for (int y = 0; y < rect.Height; y++)
                for (int x = 0; x < rect.Width; x++)
                {
                    int v = Math.Clamp(planes[c][y * rect.Width + x] + shift, 0, max);
                    v = prec > 8 ? v >> (prec - 8) : v << (8 - prec);
                    img.Pixels[((rect.Y0 - _y0 + y) * img.Width + rect.X0 - _x0 + x) * channels + c] = (byte)v;
                }
        }
    }
}
