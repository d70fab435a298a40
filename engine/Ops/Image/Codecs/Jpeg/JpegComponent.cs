namespace NativeInfer.Ops.Image.Codecs.Jpeg;

/// <summary>One colour component of a JPEG frame: sampling factors, its coefficient blocks and decoded samples.</summary>
internal sealed class JpegComponent(int id, int h, int v, int quantIndex)
{
    public int Id { get; } = id;
    public int H { get; } = h;
    public int V { get; } = v;
    public int QuantIndex { get; } = quantIndex;

    /// <summary>The quantisation table, latched when the component first appears in a scan.</summary>
    public ushort[]? Quant { get; set; }

    /// <summary>Samples per line and lines of this component before padding (libjpeg's downsampled size).</summary>
    public int Width { get; set; }
    public int Height { get; set; }

    /// <summary>Blocks per line and per column that carry data (non-interleaved scans visit only these).</summary>
    public int BlocksWide { get; set; }
    public int BlocksHigh { get; set; }

    /// <summary>Allocated blocks per line and column (padded to whole MCUs).</summary>
    public int BlocksPerLine { get; set; }
    public int BlocksPerColumn { get; set; }

    /// <summary>Quantised coefficients, 64 per block in natural order, blocks row-major.</summary>
    public short[] Coefficients { get; set; } = [];

    public int DcPredictor { get; set; }

    public Span<short> Block(int row, int col) => Coefficients.AsSpan((row * BlocksPerLine + col) * 64, 64);
}
