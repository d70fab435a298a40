namespace NativeInfer.Ops.Image.Codecs.Jpeg2000;

/// <summary>A tag tree (T.800 B.10.2) over a w×h grid of leaves, decoded incrementally from packet headers.</summary>
internal sealed class J2kTagTree
{
    private const int Unknown = int.MaxValue;
    private readonly int[] _value, _low, _parent;
    private readonly int _leaves;

    public J2kTagTree(int w, int h)
    {
        var levels = new List<(int W, int H)>();
        int lw = w, lh = h;
        while (true)
        {
            levels.Add((lw, lh));
            if (lw * lh <= 1) break;
            lw = (lw + 1) / 2;
            lh = (lh + 1) / 2;
        }
        int total = levels.Sum(l => l.W * l.H);
        _value = new int[total];
        _low = new int[total];
        _parent = new int[total];
        Array.Fill(_value, Unknown);
        int start = 0;
        for (int k = 0; k < levels.Count; k++)
        {
            var (cw, ch) = levels[k];
            int next = start + cw * ch;
            for (int y = 0; y < ch; y++)
                for (int x = 0; x < cw; x++)
                    _parent[start + y * cw + x] = k + 1 < levels.Count ? next + (y / 2) * levels[k + 1].W + x / 2 : -1;
            start = next;
        }
        _leaves = w * h;
    }

    /// <summary>Reads bits until the leaf's value is known to be below <paramref name="threshold"/> or not; true if below.</summary>
    public bool Decode(J2kPacketBits bits, int leaf, int threshold)
    {
        if ((uint)leaf >= (uint)_leaves) throw new ImageDecodeException("JPEG 2000: tag tree leaf out of range.");
        Span<int> path = stackalloc int[32];
        int depth = 0;
        for (int n = leaf; n >= 0; n = _parent[n]) path[depth++] = n;
        int low = 0;
        for (int i = depth - 1; i >= 0; i--)
        {
            int n = path[i];
            if (low > _low[n]) _low[n] = low;
            else low = _low[n];
            while (low < threshold && low < _value[n])
            {
                if (bits.Bit() != 0) _value[n] = low;
                else low++;
            }
            _low[n] = low;
        }
        return _value[leaf] < threshold;
    }

    /// <summary>Decodes the leaf's full value.</summary>
    public int Value(J2kPacketBits bits, int leaf, int limit)
    {
        int t = 1;
        while (!Decode(bits, leaf, t))
            if (++t > limit) throw new ImageDecodeException("JPEG 2000: tag tree value out of range.");
        return _value[leaf];
    }
}
