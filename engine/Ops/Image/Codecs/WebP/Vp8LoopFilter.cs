namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>
/// The VP8 loop filter (RFC 6386 section 15), simple or normal, applied macroblock by macroblock in raster order
/// after the frame is reconstructed: left edge, inner vertical edges, top edge, inner horizontal edges.
/// </summary>
internal sealed partial class Vp8Decoder
{
    private (int Limit, int Inner, int HevThreshold, bool InnerEdges)[] _filterInfo = [];

    private void StoreFilterInfo(int mbX, int mbY, in MacroblockInfo mb)
    {
        int level = _filterLevel;
        if (_segmentation) level = _segmentFilter[mb.Segment] + (_absoluteDeltas ? 0 : _filterLevel);
        if (_useLfDelta)
        {
            level += _refLfDelta[0];
            if (mb.Is4x4) level += _modeLfDelta[0];
        }
        level = Math.Clamp(level, 0, 63);
        ref var f = ref _filterInfo[mbY * _mbW + mbX];
        if (level == 0)
        {
            f = (0, 0, 0, false);
            return;
        }
        int inner = level;
        if (_sharpness > 0)
        {
            inner >>= _sharpness > 4 ? 2 : 1;
            inner = Math.Min(inner, 9 - _sharpness);
        }
        inner = Math.Max(inner, 1);
        f = (2 * level + inner, inner, level >= 40 ? 2 : level >= 15 ? 1 : 0, mb.FilterInner);
    }

    private void ApplyLoopFilter()
    {
        for (int mbY = 0; mbY < _mbH; mbY++)
            for (int mbX = 0; mbX < _mbW; mbX++)
            {
                var (limit, inner, hev, innerEdges) = _filterInfo[mbY * _mbW + mbX];
                if (limit == 0) continue;
                int y = mbY * 16 * YStride + mbX * 16, uv = mbY * 8 * UvStride + mbX * 8;
                if (_simpleFilter)
                {
                    if (mbX > 0) SimpleEdge(Y, y, 1, YStride, limit + 4);
                    if (innerEdges) for (int k = 4; k < 16; k += 4) SimpleEdge(Y, y + k, 1, YStride, limit);
                    if (mbY > 0) SimpleEdge(Y, y, YStride, 1, limit + 4);
                    if (innerEdges) for (int k = 4; k < 16; k += 4) SimpleEdge(Y, y + k * YStride, YStride, 1, limit);
                    continue;
                }
                if (mbX > 0)
                {
                    Edge(Y, y, 1, YStride, 16, limit + 4, inner, hev, true);
                    Edge(U, uv, 1, UvStride, 8, limit + 4, inner, hev, true);
                    Edge(V, uv, 1, UvStride, 8, limit + 4, inner, hev, true);
                }
                if (innerEdges)
                {
                    for (int k = 4; k < 16; k += 4) Edge(Y, y + k, 1, YStride, 16, limit, inner, hev, false);
                    Edge(U, uv + 4, 1, UvStride, 8, limit, inner, hev, false);
                    Edge(V, uv + 4, 1, UvStride, 8, limit, inner, hev, false);
                }
                if (mbY > 0)
                {
                    Edge(Y, y, YStride, 1, 16, limit + 4, inner, hev, true);
                    Edge(U, uv, UvStride, 1, 8, limit + 4, inner, hev, true);
                    Edge(V, uv, UvStride, 1, 8, limit + 4, inner, hev, true);
                }
                if (innerEdges)
                {
                    for (int k = 4; k < 16; k += 4) Edge(Y, y + k * YStride, YStride, 1, 16, limit, inner, hev, false);
                    Edge(U, uv + 4 * UvStride, UvStride, 1, 8, limit, inner, hev, false);
                    Edge(V, uv + 4 * UvStride, UvStride, 1, 8, limit, inner, hev, false);
                }
            }
    }

    private static int Clamp127(int v) => Math.Clamp(v, -128, 127);
    private static int Clamp15(int v) => Math.Clamp(v, -16, 15);

    /// <summary>
    /// Filters 16 pixels across an edge: p points at the first pixel past the edge, <paramref name="step"/> crosses it
    /// and <paramref name="along"/> moves along it.
    /// </summary>
    private static void SimpleEdge(byte[] p, int at, int step, int along, int limit)
    {
        int threshold = 2 * limit + 1;
        for (int n = 0; n < 16; n++, at += along)
            if (4 * Math.Abs(p[at - step] - p[at]) + Math.Abs(p[at - 2 * step] - p[at + step]) <= threshold)
                Filter2(p, at, step);
    }

    private static void Edge(byte[] p, int at, int step, int along, int count, int limit, int inner, int hev, bool macroblockEdge)
    {
        int threshold = 2 * limit + 1;
        for (int n = 0; n < count; n++, at += along)
        {
            int p3 = p[at - 4 * step], p2 = p[at - 3 * step], p1 = p[at - 2 * step], p0 = p[at - step];
            int q0 = p[at], q1 = p[at + step], q2 = p[at + 2 * step], q3 = p[at + 3 * step];
            if (4 * Math.Abs(p0 - q0) + Math.Abs(p1 - q1) > threshold) continue;
            if (Math.Abs(p3 - p2) > inner || Math.Abs(p2 - p1) > inner || Math.Abs(p1 - p0) > inner ||
                Math.Abs(q3 - q2) > inner || Math.Abs(q2 - q1) > inner || Math.Abs(q1 - q0) > inner) continue;
            if (Math.Abs(p1 - p0) > hev || Math.Abs(q1 - q0) > hev) Filter2(p, at, step);
            else if (macroblockEdge) Filter6(p, at, step);
            else Filter4(p, at, step);
        }
    }

    /// <summary>Adjusts the two pixels next to the edge (used for high edge variance and by the simple filter).</summary>
    private static void Filter2(byte[] p, int at, int step)
    {
        int p1 = p[at - 2 * step], p0 = p[at - step], q0 = p[at], q1 = p[at + step];
        int a = 3 * (q0 - p0) + Clamp127(p1 - q1);
        int a1 = Clamp15((a + 4) >> 3), a2 = Clamp15((a + 3) >> 3);
        p[at - step] = Vp8Transforms.Clip(p0 + a2);
        p[at] = Vp8Transforms.Clip(q0 - a1);
    }

    private static void Filter4(byte[] p, int at, int step)
    {
        int p1 = p[at - 2 * step], p0 = p[at - step], q0 = p[at], q1 = p[at + step];
        int a = 3 * (q0 - p0);
        int a1 = Clamp15((a + 4) >> 3), a2 = Clamp15((a + 3) >> 3), a3 = (a1 + 1) >> 1;
        p[at - 2 * step] = Vp8Transforms.Clip(p1 + a3);
        p[at - step] = Vp8Transforms.Clip(p0 + a2);
        p[at] = Vp8Transforms.Clip(q0 - a1);
        p[at + step] = Vp8Transforms.Clip(q1 - a3);
    }

    private static void Filter6(byte[] p, int at, int step)
    {
        int p2 = p[at - 3 * step], p1 = p[at - 2 * step], p0 = p[at - step];
        int q0 = p[at], q1 = p[at + step], q2 = p[at + 2 * step];
        int a = Clamp127(3 * (q0 - p0) + Clamp127(p1 - q1));
        int a1 = (27 * a + 63) >> 7, a2 = (18 * a + 63) >> 7, a3 = (9 * a + 63) >> 7;
        p[at - 3 * step] = Vp8Transforms.Clip(p2 + a3);
        p[at - 2 * step] = Vp8Transforms.Clip(p1 + a2);
        p[at - step] = Vp8Transforms.Clip(p0 + a1);
        p[at] = Vp8Transforms.Clip(q0 - a1);
        p[at + step] = Vp8Transforms.Clip(q1 - a2);
        p[at + 2 * step] = Vp8Transforms.Clip(q2 - a3);
    }
}
