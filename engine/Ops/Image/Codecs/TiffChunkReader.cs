namespace NativeInfer.Ops.Image.Codecs;

/// <summary>Decompresses one TIFF strip or tile into a buffer of known size and undoes horizontal prediction.</summary>
internal sealed class TiffChunkReader
{
    private const string Format = "TIFF";
    private readonly byte[] file;
    private readonly int compression, predictor, bits, samplesPerPixel;
    private readonly bool littleEndian;

    public TiffChunkReader(byte[] file, int compression, int predictor, int bits, int samplesPerPixel, bool littleEndian)
    {
        if (compression is not (1 or 5 or 8 or 32773 or 32946))
            throw new NotSupportedException($"{Format}: compression {compression} is not supported.");
        (this.file, this.compression, this.predictor, this.bits, this.samplesPerPixel, this.littleEndian) =
            (file, compression, predictor, bits, samplesPerPixel, littleEndian);
    }

    public void Read(long offset, long count, Span<byte> output, long rowBytes)
    {
        var src = ImageBytes.Slice(file, offset, count, Format);
        switch (compression)
        {
            case 1:
                ImageBytes.Slice(src, 0, output.Length, Format).CopyTo(output);
                break;
            case 32773: PackBits(src, output); break;
            case 5: TiffLzw.Decode(src, output); break;
            default:
                using (var ms = new MemoryStream(file, (int)offset, (int)count, writable: false))
                    ZlibInflater.Inflate(ms, output, zlibHeader: true, Format);
                break;
        }
        if (predictor == 2) UndoPrediction(output, rowBytes);
    }

    private static void PackBits(ReadOnlySpan<byte> src, Span<byte> output)
    {
        int i = 0, o = 0;
        while (o < output.Length)
        {
            if (i >= src.Length) throw new ImageDecodeException($"{Format}: PackBits data is truncated.");
            int n = (sbyte)src[i++];
            if (n >= 0)
            {
                int len = Math.Min(n + 1, output.Length - o);
                ImageBytes.Slice(src, i, len, Format).CopyTo(output[o..]);
                i += n + 1;
                o += len;
            }
            else if (n != -128)
            {
                if (i >= src.Length) throw new ImageDecodeException($"{Format}: PackBits data is truncated.");
                int len = Math.Min(1 - n, output.Length - o);
                output.Slice(o, len).Fill(src[i++]);
                o += len;
            }
        }
    }

    private void UndoPrediction(Span<byte> data, long rowBytes)
    {
        if (bits is not (8 or 16)) throw new NotSupportedException($"{Format}: horizontal prediction with {bits}-bit samples.");
        for (long r = 0; r + rowBytes <= data.Length; r += rowBytes)
        {
            var row = data.Slice((int)r, (int)rowBytes);
            if (bits == 8)
                for (int i = samplesPerPixel; i < row.Length; i++) row[i] += row[i - samplesPerPixel];
            else
                for (int i = samplesPerPixel; 2 * i + 1 < row.Length; i++)
                {
                    int lo = littleEndian ? 0 : 1, hi = 1 - lo, j = i - samplesPerPixel;
                    int v = (row[2 * i + lo] | row[2 * i + hi] << 8) + (row[2 * j + lo] | row[2 * j + hi] << 8);
                    row[2 * i + lo] = (byte)v;
                    row[2 * i + hi] = (byte)(v >> 8);
                }
        }
    }
}
