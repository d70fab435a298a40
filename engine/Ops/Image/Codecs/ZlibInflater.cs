using System.IO.Compression;

namespace NativeInfer.Ops.Image.Codecs;

/// <summary>
/// Inflates zlib or raw-deflate data into a buffer of a size known in advance (from the image dimensions), never
/// reading more: a zip bomb costs at most the expected size.
/// </summary>
internal static class ZlibInflater
{
    /// <summary>Fills <paramref name="output"/>; throws when the stream is corrupt or ends early.</summary>
    public static void Inflate(Stream compressed, Span<byte> output, bool zlibHeader, string format)
    {
        try
        {
            using Stream z = zlibHeader ? new ZLibStream(compressed, CompressionMode.Decompress, leaveOpen: true)
                                        : new DeflateStream(compressed, CompressionMode.Decompress, leaveOpen: true);
            int filled = 0;
            while (filled < output.Length)
            {
                int n = z.Read(output[filled..]);
                if (n == 0) throw new ImageDecodeException($"{format}: compressed data ends after {filled} of {output.Length} bytes.");
                filled += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new ImageDecodeException($"{format}: corrupt compressed data ({e.Message}).");
        }
    }
}
