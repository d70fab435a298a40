namespace NativeInfer.Ops.Image.Codecs.Jpeg2000;

/// <summary>A rectangle [X0, X1) × [Y0, Y1) on a tile-component, resolution or subband grid.</summary>
internal readonly record struct J2kRect(int X0, int Y0, int X1, int Y1)
{
    public int Width => X1 - X0;
    public int Height => Y1 - Y0;
    public bool IsEmpty => X1 <= X0 || Y1 <= Y0;

    public static int CeilDiv(int a, int b) => (int)((a + (long)b - 1) / b);

    /// <summary>The rectangle divided by 2^n with ceiling rounding (T.800 B-14/B-15), after subtracting an offset.</summary>
    public J2kRect Scale(int n, int xOffset = 0, int yOffset = 0) => new(
        (int)((X0 - (long)xOffset + (1L << n) - 1) >> n), (int)((Y0 - (long)yOffset + (1L << n) - 1) >> n),
        (int)((X1 - (long)xOffset + (1L << n) - 1) >> n), (int)((Y1 - (long)yOffset + (1L << n) - 1) >> n));
}

/// <summary>A codeword segment of a code-block: passes terminated together, its data gathered from packets.</summary>
internal sealed class J2kSegment(int maxPasses)
{
    public int MaxPasses { get; } = maxPasses;
    public int Passes { get; set; }
    public MemoryStream Data { get; } = new();
}

/// <summary>A code-block: its bounds in the subband, packet-header state and received segments.</summary>
internal sealed class J2kCodeBlock(J2kRect bounds)
{
    public J2kRect Bounds { get; } = bounds;
    public bool Included { get; set; }
    public int LBlock { get; set; } = 3;
    public int ZeroBitplanes { get; set; }
    public int Passes { get; set; }
    public List<J2kSegment> Segments { get; } = [];
}

/// <summary>A subband of a tile-component: orientation (0 LL, 1 HL, 2 LH, 3 HH), bounds, bit-planes and coefficients.</summary>
internal sealed class J2kSubband(int orientation, J2kRect bounds, int magnitudeBits, float step)
{
    public int Orientation { get; } = orientation;
    public J2kRect Bounds { get; } = bounds;

    /// <summary>Mb: guard bits + exponent − 1.</summary>
    public int MagnitudeBits { get; } = magnitudeBits;

    /// <summary>Quantisation step (irreversible transform only).</summary>
    public float Step { get; } = step;

    /// <summary>Decoded coefficients, row-major over <see cref="Bounds"/>, at twice their value (one extra fraction bit).</summary>
    public int[] Coefficients { get; } = new int[(long)bounds.Width * bounds.Height];
}

/// <summary>The code-blocks of one subband inside one precinct, with the precinct's tag trees.</summary>
internal sealed class J2kPrecinctBand(J2kSubband band, int blocksWide, int blocksHigh, J2kCodeBlock[] blocks)
{
    public J2kSubband Band { get; } = band;
    public J2kCodeBlock[] Blocks { get; } = blocks;
    public J2kTagTree Inclusion { get; } = new(Math.Max(blocksWide, 1), Math.Max(blocksHigh, 1));
    public J2kTagTree ZeroPlanes { get; } = new(Math.Max(blocksWide, 1), Math.Max(blocksHigh, 1));
}

/// <summary>A resolution level of a tile-component: bounds, subbands and precinct grid.</summary>
internal sealed class J2kResolution(J2kRect bounds, J2kSubband[] bands, int precinctsWide, int precinctsHigh, J2kPrecinctBand[][] precincts, int precinctWidthExp, int precinctHeightExp)
{
    public J2kRect Bounds { get; } = bounds;
    public J2kSubband[] Bands { get; } = bands;
    public int PrecinctsWide { get; } = precinctsWide;
    public int PrecinctsHigh { get; } = precinctsHigh;

    /// <summary>Per precinct (row-major), per subband.</summary>
    public J2kPrecinctBand[][] Precincts { get; } = precincts;
    public int PrecinctWidthExp { get; } = precinctWidthExp;
    public int PrecinctHeightExp { get; } = precinctHeightExp;
}
