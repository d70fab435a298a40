using System.Numerics;

namespace NativeInfer.Ops.Image.Codecs.Jpeg2000;

/// <summary>
/// Tier-2 decoding of one tile: walks the packets in the tile's progression order and hands each code-block its
/// passes and codeword-segment data (T.800 B.9–B.12).
/// </summary>
internal static class J2kPacketReader
{
    private const string Format = "JPEG 2000";

    private readonly record struct Packet(int Layer, int Resolution, int Component, int Precinct);

    public static void ReadTile(byte[] data, int start, int end, J2kTileComponent[] comps, int layers, int progression,
        bool sop, bool eph, J2kRect tile)
    {
        int pos = start;
        foreach (var p in Order(comps, layers, progression, tile))
        {
            if (pos >= end) break; // the remaining packets were not written (a truncated tile is decoded as far as it goes)
            if (sop && pos + 1 < end && data[pos] == 0xFF && data[pos + 1] == 0x91) pos += 6;
            pos = ReadPacket(data, pos, end, comps[p.Component], p, eph);
        }
    }

    private static IEnumerable<Packet> Order(J2kTileComponent[] comps, int layers, int progression, J2kRect tile)
    {
        int maxRes = comps.Max(c => c.Resolutions.Length);
        switch (progression)
        {
            case 0 or 1: // LRCP or RLCP: layer and resolution loops, outermost first
            {
                int outer = progression == 0 ? layers : maxRes, inner = progression == 0 ? maxRes : layers;
                for (int a = 0; a < outer; a++)
                    for (int b = 0; b < inner; b++)
                    {
                        int l = progression == 0 ? a : b, r = progression == 0 ? b : a;
                        for (int c = 0; c < comps.Length; c++)
                            if (r < comps[c].Resolutions.Length)
                                for (int p = 0; p < comps[c].Resolutions[r].Precincts.Length; p++) yield return new(l, r, c, p);
                    }
                break;
            }
            case 2 or 3 or 4:
                // Position-driven orders: each precinct is visited where its top-left corner falls on the reference grid.
                var items = new List<(long R, long Y, long X, long C, int Res, int Comp, int P)>();
                for (int c = 0; c < comps.Length; c++)
                    for (int r = 0; r < comps[c].Resolutions.Length; r++)
                    {
                        var res = comps[c].Resolutions[r];
                        int levelNo = comps[c].Resolutions.Length - 1 - r;
                        for (int p = 0; p < res.Precincts.Length; p++)
                        {
                            int i = p % res.PrecinctsWide, j = p / res.PrecinctsWide;
                            long x = i == 0 ? tile.X0 : (long)((res.Bounds.X0 >> res.PrecinctWidthExp) + i) << res.PrecinctWidthExp << levelNo;
                            long y = j == 0 ? tile.Y0 : (long)((res.Bounds.Y0 >> res.PrecinctHeightExp) + j) << res.PrecinctHeightExp << levelNo;
                            items.Add(progression switch
                            {
                                2 => (r, y, x, c, r, c, p),   // RPCL
                                3 => (y, x, c, r, r, c, p),   // PCRL
                                _ => (c, y, x, r, r, c, p),   // CPRL
                            });
                        }
                    }
                items.Sort((a, b) => (a.R, a.Y, a.X, a.C).CompareTo((b.R, b.Y, b.X, b.C)));
                foreach (var it in items)
                    for (int l = 0; l < layers; l++) yield return new(l, it.Res, it.Comp, it.P);
                break;
            default: throw new NotSupportedException($"{Format}: progression order {progression} is not supported.");
        }
    }

    private static int ReadPacket(byte[] data, int pos, int end, J2kTileComponent comp, Packet p, bool eph)
    {
        var precinct = comp.Resolutions[p.Resolution].Precincts[p.Precinct];
        var bits = new J2kPacketBits(data, pos, end);
        var contributions = new List<(J2kCodeBlock Block, J2kSegment Segment, int Passes, int Length)>();
        if (bits.Bit() != 0)
        {
            foreach (var pb in precinct)
            {
                for (int k = 0; k < pb.Blocks.Length; k++)
                {
                    var cb = pb.Blocks[k];
                    bool first = !cb.Included;
                    bool included = first ? pb.Inclusion.Decode(bits, k, p.Layer + 1) : bits.Bit() != 0;
                    if (!included) continue;
                    if (first)
                    {
                        cb.Included = true;
                        cb.ZeroBitplanes = pb.ZeroPlanes.Value(bits, k, 64);
                    }
                    int passes = ReadPassCount(bits);
                    while (bits.Bit() != 0)
                        if (++cb.LBlock > 32) throw new ImageDecodeException($"{Format}: corrupt packet header (Lblock).");
                    int remaining = passes;
                    while (remaining > 0)
                    {
                        var seg = cb.Segments.Count > 0 && cb.Segments[^1].Passes + Pending(contributions, cb.Segments[^1]) < cb.Segments[^1].MaxPasses
                            ? cb.Segments[^1]
                            : NewSegment(cb, comp.Style.BlockStyle);
                        int take = Math.Min(seg.MaxPasses - seg.Passes - Pending(contributions, seg), remaining);
                        int length = bits.Bits(cb.LBlock + BitOperations.Log2((uint)take));
                        contributions.Add((cb, seg, take, length));
                        remaining -= take;
                    }
                    cb.Passes += passes;
                    if (cb.Passes > 164) throw new ImageDecodeException($"{Format}: corrupt packet header (too many coding passes).");
                }
            }
        }
        bits.Align();
        pos = bits.Position;
        if (eph && pos + 1 < end && data[pos] == 0xFF && data[pos + 1] == 0x92) pos += 2;
        foreach (var (_, seg, passes, length) in contributions)
        {
            if (length > end - pos) throw new ImageDecodeException($"{Format}: packet data runs past the end of the tile (truncated file).");
            seg.Data.Write(data, pos, length);
            seg.Passes += passes;
            pos += length;
        }
        return pos;
    }

    /// <summary>Passes already assigned to a segment earlier in the same packet header (not yet committed).</summary>
    private static int Pending(List<(J2kCodeBlock Block, J2kSegment Segment, int Passes, int Length)> list, J2kSegment seg)
    {
        int n = 0;
        foreach (var c in list) if (c.Segment == seg) n += c.Passes;
        return n;
    }

    private static J2kSegment NewSegment(J2kCodeBlock cb, int style)
    {
        int max;
        if ((style & J2kCodingStyle.TerminateAll) != 0) max = 1;
        else if ((style & J2kCodingStyle.Bypass) != 0)
            max = cb.Segments.Count == 0 ? 10 : cb.Segments[^1].MaxPasses is 1 or 10 ? 2 : 1;
        else max = 164;
        var seg = new J2kSegment(max);
        cb.Segments.Add(seg);
        return seg;
    }

    /// <summary>Number of new coding passes (T.800 Table B.4).</summary>
    private static int ReadPassCount(J2kPacketBits bits)
    {
        if (bits.Bit() == 0) return 1;
        if (bits.Bit() == 0) return 2;
        int v = bits.Bits(2);
        if (v != 3) return 3 + v;
        v = bits.Bits(5);
        if (v != 31) return 6 + v;
        return 37 + bits.Bits(7);
    }
}
