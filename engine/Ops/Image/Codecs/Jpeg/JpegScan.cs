namespace NativeInfer.Ops.Image.Codecs.Jpeg;

/// <summary>
/// The entropy decoding of one scan's blocks: sequential (DC + AC together) or one progressive pass (DC or an AC
/// band, first or refinement), per ITU-T T.81 Annex G.
/// </summary>
internal sealed class JpegScan(bool progressive, int ss, int se, int ah, int al)
{
    /// <summary>Natural-order index of zig-zag position k; 16 extra entries absorb runs that overshoot 63 (as libjpeg).</summary>
    public static readonly int[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
        63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
    ];

    public void Validate(int components, JpegHuffmanTable?[] dc, JpegHuffmanTable?[] ac, string format)
    {
        bool ok = progressive
            ? ss <= se && se <= 63 && (ss == 0 ? se == 0 : components == 1) && al <= 13 && (ah == 0 || ah == al + 1)
            : ss == 0 && se == 63 && ah == 0 && al == 0;
        if (!ok) throw new ImageDecodeException($"{format}: invalid scan parameters Ss={ss} Se={se} Ah={ah} Al={al}.");
        for (int i = 0; i < components; i++)
        {
            bool needDc = ss == 0 && ah == 0, needAc = se > 0;
            if ((needDc && dc[i] is null) || (needAc && ac[i] is null))
                throw new ImageDecodeException($"{format}: scan uses an undefined Huffman table.");
        }
    }

    public void DecodeBlock(JpegBitReader r, JpegComponent c, Span<short> block, JpegHuffmanTable? dc, JpegHuffmanTable? ac, ref int eobRun)
    {
        if (!progressive)
        {
            DcFirst(r, c, block, dc!);
            AcFirst(r, block, ac!, ref eobRun);
        }
        else if (ss == 0)
        {
            if (ah == 0) DcFirst(r, c, block, dc!);
            else if (r.Bit() != 0) block[0] |= (short)(1 << al);
        }
        else if (ah == 0) AcFirst(r, block, ac!, ref eobRun);
        else AcRefine(r, block, ac!, ref eobRun);
    }

    private void DcFirst(JpegBitReader r, JpegComponent c, Span<short> block, JpegHuffmanTable dc)
    {
        int t = dc.Decode(r);
        if (t > 16) throw new ImageDecodeException("JPEG: corrupt data (DC magnitude category above 16).");
        c.DcPredictor += r.Receive(t);
        block[0] = unchecked((short)(c.DcPredictor << al));
    }

    private void AcFirst(JpegBitReader r, Span<short> block, JpegHuffmanTable ac, ref int eobRun)
    {
        if (eobRun > 0)
        {
            eobRun--;
            return;
        }
        int end = progressive ? se : 63;
        for (int k = progressive ? ss : 1; k <= end; k++)
        {
            int rs = ac.Decode(r), run = rs >> 4, s = rs & 15;
            if (s != 0)
            {
                k += run;
                block[ZigZag[k]] = unchecked((short)(r.Receive(s) << al));
            }
            else if (run == 15) k += 15;
            else
            {
                if (progressive) eobRun = (1 << run) - 1 + r.Bits(run);
                break;
            }
        }
    }

    private void AcRefine(JpegBitReader r, Span<short> block, JpegHuffmanTable ac, ref int eobRun)
    {
        int p1 = 1 << al, m1 = -1 << al;
        int k = ss;
        if (eobRun == 0)
        {
            for (; k <= se; k++)
            {
                int rs = ac.Decode(r), run = rs >> 4, s = rs & 15, value = 0;
                if (s != 0) value = r.Bit() != 0 ? p1 : m1;
                else if (run != 15)
                {
                    eobRun = (1 << run) + r.Bits(run);
                    break;
                }
                do
                {
                    int z = ZigZag[k];
                    if (block[z] != 0) Refine(r, block, z, p1, m1);
                    else if (--run < 0) break;
                    k++;
                } while (k <= se);
                if (value != 0) block[ZigZag[k]] = (short)value;
            }
        }
        if (eobRun > 0)
        {
            for (; k <= se; k++)
            {
                int z = ZigZag[k];
                if (block[z] != 0) Refine(r, block, z, p1, m1);
            }
            eobRun--;
        }
    }

    private static void Refine(JpegBitReader r, Span<short> block, int z, int p1, int m1)
    {
        if (r.Bit() != 0 && (block[z] & p1) == 0)
            block[z] = unchecked((short)(block[z] + (block[z] >= 0 ? p1 : m1)));
    }
}
