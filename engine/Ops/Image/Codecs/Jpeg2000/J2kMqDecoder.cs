namespace NativeInfer.Ops.Image.Codecs.Jpeg2000;

/// <summary>
/// The MQ arithmetic decoder of ITU-T T.800 Annex C (software conventions), reading one codeword segment; bytes past
/// the segment's end read as 0xFF (a marker), which feeds 1-bits as the standard prescribes.
/// </summary>
internal sealed class J2kMqDecoder
{
    // Qe value, next index after MPS, next index after LPS, switch-MPS flag (Table C.2).
    private static readonly ushort[] Qe =
    [
        0x5601, 0x3401, 0x1801, 0x0AC1, 0x0521, 0x0221, 0x5601, 0x5401, 0x4801, 0x3801, 0x3001, 0x2401, 0x1C01, 0x1601,
        0x5601, 0x5401, 0x5101, 0x4801, 0x3801, 0x3401, 0x3001, 0x2801, 0x2401, 0x2201, 0x1C01, 0x1801, 0x1601, 0x1401,
        0x1201, 0x1101, 0x0AC1, 0x09C1, 0x08A1, 0x0521, 0x0441, 0x02A1, 0x0221, 0x0141, 0x0111, 0x0085, 0x0049, 0x0025,
        0x0015, 0x0009, 0x0005, 0x0001, 0x5601,
    ];
    private static readonly byte[] NextMps =
    [
        1, 2, 3, 4, 5, 38, 7, 8, 9, 10, 11, 12, 13, 29, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
        32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 45, 46,
    ];
    private static readonly byte[] NextLps =
    [
        1, 6, 9, 12, 29, 33, 6, 14, 14, 14, 17, 18, 20, 21, 14, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 23, 24, 25, 26, 27,
        28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 46,
    ];
    private static readonly bool[] Switch = [true, false, false, false, false, false, true, false, false, false, false, false, false, false, true];

    /// <summary>Context states: index into the Qe table (low 7 bits) and the MPS (bit 7).</summary>
    private readonly byte[] _contexts;
    private byte[] _data = [];
    private int _pos, _end;
    private uint _c, _a;
    private int _ct;

    public J2kMqDecoder(int contexts) => _contexts = new byte[contexts];

    /// <summary>Sets a context's initial state (index into the probability table, MPS 0).</summary>
    public void SetContext(int cx, int state) => _contexts[cx] = (byte)state;

    /// <summary>Starts decoding the segment data[start, end).</summary>
    public void Init(byte[] data, int start, int end)
    {
        _data = data;
        _pos = start;
        _end = end;
        _c = (uint)Byte(_pos) << 16;
        ByteIn();
        _c <<= 7;
        _ct -= 7;
        _a = 0x8000;
    }

    private int Byte(int at) => at < _end ? _data[at] : 0xFF;

    private void ByteIn()
    {
        if (Byte(_pos) == 0xFF)
        {
            int next = Byte(_pos + 1);
            if (next > 0x8F)
            {
                _c += 0xFF00;
                _ct = 8;
            }
            else
            {
                _pos++;
                _c += (uint)next << 9;
                _ct = 7;
            }
        }
        else
        {
            _pos++;
            _c += (uint)Byte(_pos) << 8;
            _ct = 8;
        }
    }

    public int Decode(int cx)
    {
        int state = _contexts[cx] & 0x7F, mps = _contexts[cx] >> 7;
        uint qe = Qe[state];
        _a -= qe;
        int d;
        if ((_c >> 16) < qe)
        {
            // LPS exchange.
            if (_a < qe)
            {
                d = mps;
                _contexts[cx] = (byte)(NextMps[state] | mps << 7);
            }
            else
            {
                d = 1 - mps;
                _contexts[cx] = (byte)(NextLps[state] | (state < Switch.Length && Switch[state] ? 1 - mps : mps) << 7);
            }
            _a = qe;
            Renormalize();
            return d;
        }
        _c -= qe << 16;
        if ((_a & 0x8000) != 0) return mps;
        // MPS exchange.
        if (_a < qe)
        {
            d = 1 - mps;
            _contexts[cx] = (byte)(NextLps[state] | (state < Switch.Length && Switch[state] ? 1 - mps : mps) << 7);
        }
        else
        {
            d = mps;
            _contexts[cx] = (byte)(NextMps[state] | mps << 7);
        }
        Renormalize();
        return d;
    }

    private void Renormalize()
    {
        do
        {
            if (_ct == 0) ByteIn();
            _a <<= 1;
            _c <<= 1;
            _ct--;
        } while ((_a & 0x8000) == 0);
    }
}
