namespace NativeInfer.Ops.Image.Codecs.WebP;

/// <summary>
/// Intra prediction and reconstruction of one macroblock (RFC 6386 section 12) in a small work area holding the
/// block plus its top row, left column and top-right pixels, filled from the unfiltered frame or the edge values
/// 127 (above the frame) and 129 (left of it).
/// </summary>
internal sealed partial class Vp8Decoder
{
    private const int Bps = 32, Origin = Bps + 4;
    private readonly byte[] _yWork = new byte[Bps * 17], _uWork = new byte[Bps * 9], _vWork = new byte[Bps * 9];

    private void Reconstruct(int mbX, int mbY, in MacroblockInfo mb, short[] coeffs, uint nonZeroY, uint nonZeroUv)
    {
        LoadEdges(_yWork, Y, YStride, 16, mbX, mbY, mb.Is4x4);
        LoadEdges(_uWork, U, UvStride, 8, mbX, mbY, false);
        LoadEdges(_vWork, V, UvStride, 8, mbX, mbY, false);

        if (mb.Is4x4)
        {
            for (int n = 0; n < 16; n++)
            {
                int off = Origin + (n >> 2) * 4 * Bps + (n & 3) * 4;
                Vp8Prediction.Subblock(_yWork, off, Bps, mb.SubModes[n]);
                if ((nonZeroY >> n & 1) != 0) Vp8Transforms.AddInverseDct(coeffs.AsSpan(16 * n, 16), _yWork, off, Bps);
            }
        }
        else
        {
            Vp8Prediction.Block(_yWork, Origin, Bps, 16, mb.YMode, mbX > 0, mbY > 0);
            for (int n = 0; n < 16; n++)
                if ((nonZeroY >> n & 1) != 0)
                    Vp8Transforms.AddInverseDct(coeffs.AsSpan(16 * n, 16), _yWork, Origin + (n >> 2) * 4 * Bps + (n & 3) * 4, Bps);
        }
        Vp8Prediction.Block(_uWork, Origin, Bps, 8, mb.UvMode, mbX > 0, mbY > 0);
        Vp8Prediction.Block(_vWork, Origin, Bps, 8, mb.UvMode, mbX > 0, mbY > 0);
        for (int n = 0; n < 4; n++)
        {
            int off = Origin + (n >> 1) * 4 * Bps + (n & 1) * 4;
            if ((nonZeroUv >> n & 1) != 0) Vp8Transforms.AddInverseDct(coeffs.AsSpan(256 + 16 * n, 16), _uWork, off, Bps);
            if ((nonZeroUv >> (4 + n) & 1) != 0) Vp8Transforms.AddInverseDct(coeffs.AsSpan(320 + 16 * n, 16), _vWork, off, Bps);
        }

        Store(_yWork, Y, YStride, 16, mbX, mbY);
        Store(_uWork, U, UvStride, 8, mbX, mbY);
        Store(_vWork, V, UvStride, 8, mbX, mbY);
    }

    /// <summary>Fills the work area's top row (with top-right extension for luma 4×4 prediction) and left column.</summary>
    private void LoadEdges(byte[] work, byte[] plane, int stride, int size, int mbX, int mbY, bool topRight)
    {
        int x0 = mbX * size, y0 = mbY * size;
        int top = Origin - Bps;
        if (mbY == 0)
            work.AsSpan(top - 1, size + 5).Fill(127);
        else
        {
            Array.Copy(plane, (y0 - 1) * stride + x0, work, top, size);
            work[top - 1] = mbX == 0 ? (byte)129 : plane[(y0 - 1) * stride + x0 - 1];
            if (topRight)
            {
                if (mbX < _mbW - 1) Array.Copy(plane, (y0 - 1) * stride + x0 + 16, work, top + 16, 4);
                else work.AsSpan(top + 16, 4).Fill(plane[(y0 - 1) * stride + x0 + 15]);
            }
        }
        for (int r = 0; r < size; r++)
            work[Origin + r * Bps - 1] = mbX == 0 ? (byte)129 : plane[(y0 + r) * stride + x0 - 1];
        if (topRight)
            for (int r = 3; r < 12; r += 4) Array.Copy(work, top + 16, work, Origin + r * Bps + 16, 4);
    }

    private static void Store(byte[] work, byte[] plane, int stride, int size, int mbX, int mbY)
    {
        for (int r = 0; r < size; r++)
            Array.Copy(work, Origin + r * Bps, plane, (mbY * size + r) * stride + mbX * size, size);
    }
}
