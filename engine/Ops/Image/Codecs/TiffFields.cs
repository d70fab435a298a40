using static NativeInfer.Ops.Image.Codecs.ImageBytes;

namespace NativeInfer.Ops.Image.Codecs;

/// <summary>The tags of a TIFF file's first image directory, read lazily with bounds checks.</summary>
internal sealed class TiffFields
{
    private const string Format = "TIFF";
    private readonly byte[] _data;
    private readonly Dictionary<int, (int Type, long Count, long ValueAt)> _entries = [];

    public TiffFields(ReadOnlySpan<byte> d)
    {
        _data = d.ToArray();
        LittleEndian = d[0] == 'I';
        long ifd = U32(4);
        int n = U16(ifd);
        for (int i = 0; i < n; i++)
        {
            long at = ifd + 2 + 12L * i;
            int tag = U16(at), type = U16(at + 2);
            long count = U32(at + 4);
            long size = count * TypeSize(type);
            _entries.TryAdd(tag, (type, count, size <= 4 ? at + 8 : U32(at + 8)));
        }
    }

    public bool LittleEndian { get; }

    /// <summary>The whole file.</summary>
    public byte[] Data => _data;

    public bool Has(int tag) => _entries.ContainsKey(tag);

    public long Scalar(int tag, long fallback) => Has(tag) ? Values(tag)[0] : fallback;

    public long Scalar(int tag) => Has(tag) ? Scalar(tag, 0) : throw new ImageDecodeException($"{Format}: required tag {tag} is missing.");

    /// <summary>The values of an integer tag (BYTE, SHORT or LONG).</summary>
    public long[] Values(int tag, long[]? fallback = null)
    {
        if (!_entries.TryGetValue(tag, out var e))
            return fallback ?? throw new ImageDecodeException($"{Format}: required tag {tag} is missing.");
        int size = TypeSize(e.Type);
        if (e.Type is not (1 or 3 or 4) || e.Count < 1) throw new ImageDecodeException($"{Format}: tag {tag} has type {e.Type} and count {e.Count}.");
        Slice(_data, e.ValueAt, e.Count * size, Format); // bounds check before allocating
        var r = new long[e.Count];
        for (long i = 0; i < e.Count; i++)
        {
            long at = e.ValueAt + i * size;
            r[i] = e.Type switch { 1 => _data[at], 3 => U16(at), _ => U32(at) };
        }
        return r;
    }

    private static int TypeSize(int type) => type switch { 1 or 2 or 6 or 7 => 1, 3 or 8 => 2, 4 or 9 or 11 => 4, 5 or 10 or 12 => 8, _ => 1 };

    private int U16(long at) => LittleEndian ? U16LE(_data, at, Format) : U16BE(_data, at, Format);
    private long U32(long at) => LittleEndian ? U32LE(_data, at, Format) : U32BE(_data, at, Format);
}
