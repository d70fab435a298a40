namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>
/// Decodes a VP8 key frame (the lossy WebP bitstream, RFC 6386) to Y, U and V planes: frame header, segment and
/// loop-filter parameters, intra modes, DCT/WHT token partitions, prediction and reconstruction, then the loop filter.
/// </summary>
internal sealed partial class Vp8Decoder
{
    private const string Format = "WebP";
    private const int DcPred = 0, TmPred = 1, VPred = 2, HPred = 3;

    private readonly byte[] _data;
    private Vp8BoolDecoder _header = null!;
    private Vp8BoolDecoder[] _partitions = [];

    private int _width, _height, _mbW, _mbH;
    private bool _segmentation, _updateMap, _absoluteDeltas;
    private readonly int[] _segmentQuant = new int[4], _segmentFilter = new int[4];
    private readonly byte[] _segmentProbs = [255, 255, 255];
    private bool _simpleFilter, _useLfDelta;
    private int _filterLevel, _sharpness;
    private readonly int[] _refLfDelta = new int[4], _modeLfDelta = new int[4];
    private readonly byte[] _coeffProbs = new byte[4 * 8 * 3 * 11];
    private bool _useSkipProb;
    private int _skipProb;

    /// <summary>Per segment: Y1 DC/AC, Y2 DC/AC, UV DC/AC dequantisation factors.</summary>
    private readonly int[,] _dequant = new int[4, 6];

    /// <summary>Reconstructed planes, padded to whole macroblocks.</summary>
    public byte[] Y { get; private set; } = [];
    public byte[] U { get; private set; } = [];
    public byte[] V { get; private set; } = [];
    public int YStride => _mbW * 16;
    public int UvStride => _mbW * 8;
    public int Width => _width;
    public int Height => _height;

    private Vp8Decoder(byte[] data) => _data = data;

    /// <summary>Decodes the VP8 frame in data[start, start + length).</summary>
    public static Vp8Decoder Decode(byte[] data, int start, int length)
    {
        var d = new Vp8Decoder(data);
        d.Run(start, length);
        return d;
    }

    private void Run(int start, int length)
    {
        if (length < 10) throw new ImageDecodeException($"{Format}: the VP8 frame is truncated.");
        var b = _data.AsSpan(start, length);
        int tag = b[0] | b[1] << 8 | b[2] << 16;
        if ((tag & 1) != 0) throw new ImageDecodeException($"{Format}: the VP8 frame is not a key frame.");
        if ((tag >> 1 & 7) > 3) throw new ImageDecodeException($"{Format}: unknown VP8 profile.");
        if ((tag >> 4 & 1) == 0) throw new ImageDecodeException($"{Format}: the VP8 frame is not displayable.");
        int firstPartition = tag >> 5;
        if (b[3] != 0x9D || b[4] != 0x01 || b[5] != 0x2A) throw new ImageDecodeException($"{Format}: bad VP8 start code.");
        _width = (b[6] | b[7] << 8) & 0x3FFF;
        _height = (b[8] | b[9] << 8) & 0x3FFF;
        DecodedImage.CheckDimensions(_width, _height, Format);
        _mbW = (_width + 15) >> 4;
        _mbH = (_height + 15) >> 4;
        if (firstPartition > length - 10) throw new ImageDecodeException($"{Format}: the first VP8 partition is truncated.");
        _header = new Vp8BoolDecoder(_data, start + 10, firstPartition);
        ReadFrameHeader(start + 10 + firstPartition, length - 10 - firstPartition);

        Y = DecodedImage.Buffer((long)YStride * _mbH * 16, Format);
        U = DecodedImage.Buffer((long)UvStride * _mbH * 8, Format);
        V = DecodedImage.Buffer((long)UvStride * _mbH * 8, Format);
        DecodeMacroblocks();
        if (_filterLevel > 0) ApplyLoopFilter();
    }

    private void ReadFrameHeader(int partitionsStart, int partitionsLength)
    {
        var br = _header;
        br.Bit(128); // colour space
        br.Bit(128); // clamping type (decoders always clamp)
        _segmentation = br.Bit(128) != 0;
        if (_segmentation)
        {
            _updateMap = br.Bit(128) != 0;
            if (br.Bit(128) != 0)
            {
                _absoluteDeltas = br.Bit(128) != 0;
                for (int s = 0; s < 4; s++) _segmentQuant[s] = br.OptionalSigned(7);
                for (int s = 0; s < 4; s++) _segmentFilter[s] = br.OptionalSigned(6);
            }
            if (_updateMap)
                for (int s = 0; s < 3; s++) _segmentProbs[s] = (byte)(br.Bit(128) != 0 ? br.Literal(8) : 255);
        }
        _simpleFilter = br.Bit(128) != 0;
        _filterLevel = br.Literal(6);
        _sharpness = br.Literal(3);
        _useLfDelta = br.Bit(128) != 0;
        if (_useLfDelta && br.Bit(128) != 0)
        {
            for (int i = 0; i < 4; i++) if (br.Bit(128) != 0) _refLfDelta[i] = br.Signed(6);
            for (int i = 0; i < 4; i++) if (br.Bit(128) != 0) _modeLfDelta[i] = br.Signed(6);
        }

        // Token partitions: sizes (3 bytes each, little-endian) of all but the last, then the data.
        int last = (1 << br.Literal(2)) - 1;
        if (partitionsLength < 3 * last) throw new ImageDecodeException($"{Format}: the VP8 partition table is truncated.");
        _partitions = new Vp8BoolDecoder[last + 1];
        int pos = partitionsStart + 3 * last, left = partitionsLength - 3 * last;
        for (int p = 0; p < last; p++)
        {
            int at = partitionsStart + 3 * p;
            int size = Math.Min(_data[at] | _data[at + 1] << 8 | _data[at + 2] << 16, left);
            _partitions[p] = new Vp8BoolDecoder(_data, pos, size);
            pos += size;
            left -= size;
        }
        if (left <= 0) throw new ImageDecodeException($"{Format}: the VP8 token partitions are truncated.");
        _partitions[last] = new Vp8BoolDecoder(_data, pos, left);

        // Quantisers.
        int baseQ = br.Literal(7);
        int dqY1Dc = br.OptionalSigned(4), dqY2Dc = br.OptionalSigned(4), dqY2Ac = br.OptionalSigned(4);
        int dqUvDc = br.OptionalSigned(4), dqUvAc = br.OptionalSigned(4);
        for (int s = 0; s < 4; s++)
        {
            int q = _segmentation ? _segmentQuant[s] + (_absoluteDeltas ? 0 : baseQ) : baseQ;
            _dequant[s, 0] = Vp8Tables.DcQuant[Math.Clamp(q + dqY1Dc, 0, 127)];
            _dequant[s, 1] = Vp8Tables.AcQuant[Math.Clamp(q, 0, 127)];
            _dequant[s, 2] = Vp8Tables.DcQuant[Math.Clamp(q + dqY2Dc, 0, 127)] * 2;
            _dequant[s, 3] = Math.Max(Vp8Tables.AcQuant[Math.Clamp(q + dqY2Ac, 0, 127)] * 155 / 100, 8);
            _dequant[s, 4] = Vp8Tables.DcQuant[Math.Clamp(q + dqUvDc, 0, 117)];
            _dequant[s, 5] = Vp8Tables.AcQuant[Math.Clamp(q + dqUvAc, 0, 127)];
        }

        br.Bit(128); // refresh entropy probabilities (irrelevant for a single frame)
        for (int i = 0; i < _coeffProbs.Length; i++)
            _coeffProbs[i] = br.Bit(Vp8Tables.CoeffUpdateProbs[i]) != 0 ? (byte)br.Literal(8) : Vp8Tables.DefaultCoeffProbs[i];
        _useSkipProb = br.Bit(128) != 0;
        if (_useSkipProb) _skipProb = br.Literal(8);
    }

    /// <summary>What the mode parser records for one macroblock.</summary>
    private struct MacroblockInfo
    {
        public int Segment;
        public bool Skip, Is4x4;
        public int YMode, UvMode;
        public byte[] SubModes;
        public bool FilterInner;
    }

    private MacroblockInfo[] _info = [];
    private byte[] _intraTop = [], _intraLeft = new byte[4];

    private void DecodeMacroblocks()
    {
        _info = new MacroblockInfo[_mbW];
        for (int i = 0; i < _mbW; i++) _info[i].SubModes = new byte[16];
        _filterInfo = new (int Limit, int Inner, int HevThreshold, bool InnerEdges)[(long)_mbW * _mbH];
        _intraTop = new byte[4 * _mbW];
        var topNz = new int[_mbW];
        var topNzDc = new int[_mbW];
        var coeffs = new short[384];
        for (int mbY = 0; mbY < _mbH; mbY++)
        {
            Array.Clear(_intraLeft);
            for (int mbX = 0; mbX < _mbW; mbX++) ParseModes(ref _info[mbX], mbX);
            if (_header.Overrun > 2) throw new ImageDecodeException($"{Format}: the first VP8 partition is truncated.");

            var tokens = _partitions[mbY & (_partitions.Length - 1)];
            int leftNz = 0, leftNzDc = 0;
            for (int mbX = 0; mbX < _mbW; mbX++)
            {
                ref var mb = ref _info[mbX];
                Array.Clear(coeffs);
                bool allZero;
                uint nonZeroY = 0, nonZeroUv = 0;
                if (!(_useSkipProb && mb.Skip))
                    allZero = ParseResiduals(tokens, ref mb, coeffs, ref topNz[mbX], ref leftNz, ref topNzDc[mbX], ref leftNzDc, out nonZeroY, out nonZeroUv);
                else
                {
                    topNz[mbX] = leftNz = 0;
                    if (!mb.Is4x4) topNzDc[mbX] = leftNzDc = 0;
                    allZero = true;
                }
                mb.FilterInner = mb.Is4x4 || !allZero;
                StoreFilterInfo(mbX, mbY, mb);
                Reconstruct(mbX, mbY, mb, coeffs, nonZeroY, nonZeroUv);
            }
            if (tokens.Overrun > 2) throw new ImageDecodeException($"{Format}: a VP8 token partition is truncated.");
        }
    }

    private void ParseModes(ref MacroblockInfo mb, int mbX)
    {
        var br = _header;
        mb.Segment = !_updateMap ? 0
            : br.Bit(_segmentProbs[0]) == 0 ? br.Bit(_segmentProbs[1]) : 2 + br.Bit(_segmentProbs[2]);
        mb.Skip = _useSkipProb && br.Bit(_skipProb) != 0;
        mb.Is4x4 = br.Bit(145) == 0;
        var top = _intraTop.AsSpan(4 * mbX, 4);
        if (!mb.Is4x4)
        {
            int ymode = br.Bit(156) != 0 ? (br.Bit(128) != 0 ? TmPred : HPred) : (br.Bit(163) != 0 ? VPred : DcPred);
            mb.YMode = ymode;
            top.Fill((byte)ymode);
            _intraLeft.AsSpan().Fill((byte)ymode);
        }
        else
        {
            for (int y = 0; y < 4; y++)
            {
                int mode = _intraLeft[y];
                for (int x = 0; x < 4; x++)
                {
                    mode = ReadSubblockMode(br, top[x], mode);
                    top[x] = (byte)mode;
                    mb.SubModes[4 * y + x] = (byte)mode;
                }
                _intraLeft[y] = (byte)mode;
            }
        }
        mb.UvMode = br.Bit(142) == 0 ? DcPred : br.Bit(114) == 0 ? VPred : br.Bit(183) != 0 ? TmPred : HPred;
    }

    /// <summary>The sub-block mode tree (modes numbered DC, TM, VE, HE, RD, VR, LD, VL, HD, HU).</summary>
    private static int ReadSubblockMode(Vp8BoolDecoder br, int above, int left)
    {
        int p = (above * 10 + left) * 9;
        var probs = Vp8Tables.SubblockModeProbs;
        if (br.Bit(probs[p]) == 0) return 0;
        if (br.Bit(probs[p + 1]) == 0) return 1;
        if (br.Bit(probs[p + 2]) == 0) return 2;
        if (br.Bit(probs[p + 3]) == 0) return br.Bit(probs[p + 4]) == 0 ? 3 : br.Bit(probs[p + 5]) == 0 ? 4 : 5;
        if (br.Bit(probs[p + 6]) == 0) return 6;
        if (br.Bit(probs[p + 7]) == 0) return 7;
        return br.Bit(probs[p + 8]) == 0 ? 8 : 9;
    }
}
