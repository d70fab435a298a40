using System.IO.Compression;
using System.Security.Cryptography;
using NativeInfer.Ops.Image.Codecs;
using NativeInfer.Tensors;
using NativeInfer.Tests.Support;
using Xunit;
using static NativeInfer.Tests.Image.TestImageFiles;

namespace NativeInfer.Tests.Image;

/// <summary>The managed codecs behind ImageDecoder, on small files built in code, and their refusal of bad input.</summary>
public class ImageCodecTests
{
    private static void AssertRgb(byte[] expected, int w, int h, DecodedImage img)
    {
        Assert.Equal((w, h, 3), (img.Width, img.Height, img.Channels));
        Assert.Equal(expected, img.Pixels);
    }

    [Theory]
    [InlineData(24, false)]
    [InlineData(24, true)]
    [InlineData(32, false)]
    [InlineData(32, true)]
    public void BmpDirectColour(int bpp, bool topDown)
    {
        var rgb = Pattern(3, 2);
        AssertRgb(rgb, 3, 2, ImageCodecs.Decode(Bmp(rgb, 3, 2, bpp, topDown)));
    }

    [Fact]
    public void BmpPaletteMapsIndices()
    {
        byte[] palette = [10, 20, 30, 40, 50, 60, 70, 80, 90];
        var img = ImageCodecs.Decode(BmpPalette(palette, 5, 3));
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++)
                Assert.Equal(palette.AsSpan((x + y) % 3 * 3, 3).ToArray(), img.Pixels.AsSpan((y * 5 + x) * 3, 3).ToArray());
    }

    [Fact]
    public void BmpRle8()
    {
        // Bottom row: a run of four 1s, end of line; top row: a 3-pixel literal (2, 3, 0) padded to a word, a run of one 1,
        // end of bitmap.
        byte[] palette = [0, 0, 0, 10, 10, 10, 20, 20, 20, 30, 30, 30];
        var img = ImageCodecs.Decode(BmpPalette(palette, 4, 2, [4, 1, 0, 0, 0, 3, 2, 3, 0, 0, 1, 1, 0, 1]));
        Assert.Equal(new byte[] { 20, 20, 20, 30, 30, 30, 0, 0, 0, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10 }, img.Pixels);
        var truncated = BmpPalette(palette, 4, 2, [4, 1, 0, 0, 2, 3]);
        Assert.Throws<ImageDecodeException>(() => ImageCodecs.Decode(truncated));
    }

    [Fact]
    public void PnmRawAndPlain()
    {
        var rgb = Pattern(3, 2);
        AssertRgb(rgb, 3, 2, ImageCodecs.Decode(Pnm("P6\n# comment\n3 2\n255\n", rgb)));
        AssertRgb(rgb, 3, 2, ImageCodecs.Decode(Pnm("P3 3 2 255\n" + string.Join(" ", rgb) + "\n", [])));

        var gray = ImageCodecs.Decode(Pnm("P5 2 2 255 ", [0, 100, 200, 255]));
        Assert.Equal(1, gray.Channels);
        Assert.Equal(new byte[] { 0, 100, 200, 255 }, gray.Pixels);
        // maxval 15 rescales to 0..255; P4 bitmaps are 1 = black, rows padded to a byte.
        Assert.Equal(new byte[] { 0, 136, 255 }, ImageCodecs.Decode(Pnm("P2 3 1 15\n0 8 15", [])).Pixels);
        Assert.Equal(new byte[] { 0, 255, 0, 255, 255, 0 }, ImageCodecs.Decode(Pnm("P4 3 2\n", [0b1010_0000, 0b0010_0000])).Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PngRgbAllFiltersAndInterlace(bool interlaced)
    {
        const int w = 11, h = 10; // ten rows: every filter type twice; 11×10 leaves partial Adam7 passes
        var rgb = Pattern(w, h);
        var png = Png(w, h, colorType: 2, bitDepth: 8, rgb, w * 3, interlaced, bytesPerPixel: 3);
        AssertRgb(rgb, w, h, ImageCodecs.Decode(png));
    }

    [Fact]
    public void PngGrayPaletteAlphaAndSixteenBit()
    {
        // 2-bit gray: samples 0..3 scale to 0, 85, 170, 255; one row of 5 pixels = 10 bits.
        var g2 = ImageCodecs.Decode(Png(5, 1, 0, 2, [0b00_01_10_11, 0b01_000000], 2));
        Assert.Equal(new byte[] { 0, 85, 170, 255, 85 }, g2.Pixels);

        // Palette, 4-bit indices.
        byte[] palette = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var p4 = ImageCodecs.Decode(Png(3, 1, 3, 4, [0x21, 0x00], 2, palette: palette));
        Assert.Equal(new byte[] { 7, 8, 9, 4, 5, 6, 1, 2, 3 }, p4.Pixels);

        // RGBA drops alpha.
        var rgba = ImageCodecs.Decode(Png(2, 1, 6, 8, [10, 20, 30, 99, 40, 50, 60, 0], 8, bytesPerPixel: 4));
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60 }, rgba.Pixels);

        // 16-bit gray keeps the high byte.
        var g16 = ImageCodecs.Decode(Png(2, 1, 0, 16, [0x12, 0x34, 0xFE, 0xDC], 4, bytesPerPixel: 2));
        Assert.Equal(new byte[] { 0x12, 0xFE }, g16.Pixels);
    }

    [Theory]
    [InlineData(1, 1)]       // uncompressed
    [InlineData(32773, 1)]   // PackBits
    [InlineData(5, 1)]       // LZW
    [InlineData(5, 2)]       // LZW + horizontal predictor
    [InlineData(8, 2)]       // Deflate + horizontal predictor
    public void TiffRgbCompressions(int compression, int predictor)
    {
        const int w = 40, h = 30; // large enough for LZW to pass 9- and 10-bit codes
        var rgb = Pattern(w, h);
        var data = (byte[])rgb.Clone();
        if (predictor == 2)
            for (int y = 0; y < h; y++)
                for (int i = w * 3 - 1; i >= 3; i--) data[y * w * 3 + i] -= data[y * w * 3 + i - 3];
        byte[] strip = compression switch
        {
            1 => data,
            32773 => PackBitsLiteral(data),
            5 => Lzw(data),
            _ => Zlib(data),
        };
        AssertRgb(rgb, w, h, ImageCodecs.Decode(Tiff(w, h, 3, 2, compression, predictor, strip)));
    }

    [Fact]
    public void TiffWhiteIsZeroGray()
    {
        var img = ImageCodecs.Decode(Tiff(3, 1, 1, 0, 1, 1, [0, 100, 255]));
        Assert.Equal(new byte[] { 255, 155, 0 }, img.Pixels);
    }

    [Fact]
    public void JpegMinimalBaselineGray()
    {
        // 8×8 gray, all quantisers 1, one DC code ("0" → category 10) and one AC code ("0" → EOB). DC = 576 gives
        // 576/8 = 72 above the 128 level shift in every sample.
        var q = Enumerable.Repeat((byte)1, 64);
        byte[] file =
        [
            0xFF, 0xD8,
            0xFF, 0xDB, 0, 67, 0, .. q,
            0xFF, 0xC0, 0, 11, 8, 0, 8, 0, 8, 1, 1, 0x11, 0,
            0xFF, 0xC4, 0, 20, 0x00, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10,
            0xFF, 0xC4, 0, 20, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
            0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0,
            0b0100_1000, 0b0000_1111, // 0 | 1001000000 | 0 | 1111 padding
            0xFF, 0xD9,
        ];
        var img = ImageCodecs.Decode(file);
        Assert.Equal((8, 8, 1), (img.Width, img.Height, img.Channels));
        Assert.All(img.Pixels, p => Assert.Equal(200, p));
    }

    // 13×11 images written by Pillow/libjpeg-turbo; the hashes are of Pillow's decoded RGB bytes.
    [Theory]
    [InlineData("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wgARCAALAA0DASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABgf/xAAVAQEBAAAAAAAAAAAAAAAAAAADBf/aAAwDAQACEAMQAAABnrly2lh//8QAGhAAAgMBAQAAAAAAAAAAAAAAAxIBAgUEBv/aAAgBAQABBQLP89CgwITiDRABon//xAAYEQACAwAAAAAAAAAAAAAAAAAABgECA//aAAgBAwEBPwFZYd5qf//EABwRAAIBBQEAAAAAAAAAAAAAAAECQQMEBaHB8P/aAAgBAgEBPwG7yrU1ChYGwD7sf//EABwQAQACAQUAAAAAAAAAAAAAAAEAAhIhMTJBof/aAAgBAQAGPwIWs4B7KOJsw06n/8QAGhABAAIDAQAAAAAAAAAAAAAAAQAxESFxgf/aAAgBAQABPyGkblwQ8yKg9yEgsGNtM//aAAwDAQACAAMAAAAQ1//EABgRAAIDAAAAAAAAAAAAAAAAAAABETFR/9oACAEDAQE/EFFy60//xAAXEQEBAQEAAAAAAAAAAAAAAAABESEA/9oACAECAQE/EAZURUGtBccsAQyupz//xAAbEAEBAAIDAQAAAAAAAAAAAAABEQAxIUFhUf/aAAgBAQABPxBfQIByXw9y7JhSB9kmzeHiGGaQMCxoNQVVqt51n//Z",
        "bd99a62d4150448202042aee400d8ac0667ec30a61fa46983c31ee6ee5a6b9f3")] // progressive 4:2:0
    [InlineData("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wgARCAALAA0DASEAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABgf/xAAVAQEBAAAAAAAAAAAAAAAAAAAGA//dAAQAAf/aAAwDAQACEAMQAAABnrmyH//QYNiBD//EABoQAAIDAQEAAAAAAAAAAAAAAAMSAQIFBAb/3QAEAAL/2gAIAQEAAQUCz/PQoMCE/9DiDRABon//xAAbEQABBAMAAAAAAAAAAAAAAAAAAQIGMQMFEv/dAAQAAf/aAAgBAwEBPwGNbdVbZ//QjGV/Fn//xAAeEQABBAIDAQAAAAAAAAAAAAABAgMRIQAEMlFxsv/aAAgBAgEBPwHY2GWmkkgEm5MmOqFkm/Bef//Q3lqTxMUn5Tn/xAAcEAEAAgEFAAAAAAAAAAAAAAABAAISITEyQaH/3QAEAAL/2gAIAQEABj8CFrOAez//0KOJsw06n//EABoQAQACAwEAAAAAAAAAAAAAAAEAMREhcYH/2gAIAQEAAT8hpG5cEPMip//QHuQkFgxtpn//3QAEAAH/2gAMAwEAAgADAAAAEP8A/9Bf/8QAGREAAwADAAAAAAAAAAAAAAAAAAERQVHB/9oACAEDAQE/EJlYn//QYS7dP//EABgRAQEBAQEAAAAAAAAAAAAAAAERITFB/9oACAECAQE/EBj0IQpwcQUGhQmn/9DOXVRRrRpHwO8pxb//xAAbEAEBAAIDAQAAAAAAAAAAAAABEQAxIUFhUf/dAAQAAv/aAAgBAQABPxBfQIByXw9y7JhSB9kmzef/0DxDDNIGBY0GoKq1W86z/9k=",
        "299c3b8f2316e16568a844a854a277e056e9b0385a8880884c9fcf3bd8c15ffd")] // progressive 4:2:2 with restart markers
    public void JpegMatchesLibjpegTurbo(string base64, string sha256)
    {
        var img = ImageCodecs.Decode(Convert.FromBase64String(base64));
        Assert.Equal((13, 11, 3), (img.Width, img.Height, img.Channels));
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(img.Pixels)));
    }

    [Fact]
    public void Jpeg2000LosslessWithAllCodeBlockStyles()
    {
        // opj_compress -n 3 -M 63 (bypass, reset, terminate-all, vertically causal, predictable, segmentation symbols).
        var img = ImageCodecs.Decode(Convert.FromBase64String(J2kLossless));
        Assert.Equal((13, 11, 3), (img.Width, img.Height, img.Channels));
        for (int y = 0; y < 11; y++)
            for (int x = 0; x < 13; x++)
                Assert.Equal(new[] { (byte)(x * 19), (byte)(y * 23), (byte)(x * y * 7 + 40) }, img.Pixels.AsSpan((y * 13 + x) * 3, 3).ToArray());
    }

    [Fact]
    public void Jpeg2000IrreversibleTiledMatchesOpenJpeg()
    {
        // opj_compress -n 3 -I -r 8 -t 8,8 on the same image; the hash is of Pillow/OpenJPEG's decoded RGB bytes.
        var img = ImageCodecs.Decode(Convert.FromBase64String(J2kLossyTiled));
        Assert.Equal("f4ea42aff762ab5d5edc6a38d89b0c6cf5528ccd916ce0f66391fd41b4318523", Convert.ToHexStringLower(SHA256.HashData(img.Pixels)));
    }

    [Fact]
    public void WebPLossyWithAlphaMatchesLibwebp()
    {
        // cwebp -q 60 -nostrong -sharpness 3 of a 13×11 RGBA image (VP8X + ALPH + VP8, simple loop filter); the hash
        // is of Pillow/libwebp's decoded RGB bytes.
        var img = ImageCodecs.Decode(Convert.FromBase64String(WebPSample));
        Assert.Equal((13, 11, 3), (img.Width, img.Height, img.Channels));
        Assert.Equal("f44f301fe3de8a8790e83a1060be02ca639eda443ff4074beeb0fd1f38ef8eda", Convert.ToHexStringLower(SHA256.HashData(img.Pixels)));
    }

    [Fact]
    public void TruncatedFilesThrowClearErrors()
    {
        var rgb = Pattern(8, 8);
        byte[][] files =
        [
            Bmp(rgb, 8, 8, 24, false), Png(8, 8, 2, 8, rgb, 24, bytesPerPixel: 3), Pnm("P6 8 8 255\n", rgb),
            Tiff(8, 8, 3, 2, 1, 1, rgb), Convert.FromBase64String(JpegSample), Convert.FromBase64String(J2kLossless),
            Convert.FromBase64String(WebPSample),
        ];
        foreach (var f in files)
            foreach (int cut in new[] { f.Length / 3, f.Length * 2 / 3, f.Length - 3 })
                Assert.Throws<ImageDecodeException>(() => ImageCodecs.Decode(f.AsSpan(0, cut)));
    }

    [Fact]
    public void CorruptPngChecksumIsReported()
    {
        var png = Png(2, 2, 0, 8, [1, 2, 3, 4], 2);
        png[20] ^= 1; // inside IHDR
        Assert.Contains("CRC", Assert.Throws<ImageDecodeException>(() => ImageCodecs.Decode(png)).Message);
    }

    [Fact]
    public void UnknownFormatIsRefused() =>
        Assert.Throws<NotSupportedException>(() => ImageCodecs.Decode("GIF89a........"u8));

    [Fact]
    public void HugeDeclaredSizesAreRefusedBeforeAllocating()
    {
        // 60000×60000 PNG whose IDAT is a few bytes: refused without inflating or allocating.
        Assert.Throws<ImageDecodeException>(() => ImageCodecs.Decode(PngWithIdat(60000, 60000, Zlib(new byte[10]))));
        // BMP declaring 30000×30000 with no pixel data.
        var bmp = Bmp(Pattern(1, 1), 1, 1, 24, false);
        BitConverter.GetBytes(30000).CopyTo(bmp, 18);
        BitConverter.GetBytes(30000).CopyTo(bmp, 22);
        Assert.Throws<ImageDecodeException>(() => ImageCodecs.Decode(bmp));
        // PNM and TIFF likewise.
        Assert.Throws<ImageDecodeException>(() => ImageCodecs.Decode(Pnm("P6 40000 40000 255\n", [1, 2, 3])));
        Assert.Throws<ImageDecodeException>(() => ImageCodecs.Decode(Tiff(40000, 40000, 3, 2, 1, 1, [1, 2, 3])));
        // Dimensions past any format's range.
        Assert.Throws<ImageDecodeException>(() => ImageCodecs.Decode(PngWithIdat(0, 5, Zlib([0]))));
    }

    [Fact]
    public void ZipBombStopsAtTheSizeLimit()
    {
        // A 4000×4000 gray PNG whose IDAT really inflates to 16 MB: refused under a 1 MB tensor limit.
        var zeros = new byte[4000 * 4001];
        var png = PngWithIdat(4000, 4000, Zlib(zeros));
        using (TensorLimits.Push(1 << 20))
            Assert.Throws<TensorSizeException>(() => ImageCodecs.Decode(png));
        // Extra compressed data beyond the declared size is never inflated.
        var small = PngWithIdat(2, 2, Zlib(new byte[1 << 20]));
        Assert.Equal(new byte[4], ImageCodecs.Decode(small).Pixels);
    }

    private const string J2kLossless =
        "/0//UQAvAAAAAAANAAAACwAAAAAAAAAAAAAADQAAAAsAAAAAAAAAAAADBwEBBwEBBwEB/1IADAAAAAEBAgQEPwH/XAAKQEBISFBISFD/ZAAlAAFDcmVhdGVkIGJ5IE9wZW5KUEVHIHZlcnNpb24gMi41LjD/kAAKAAAAAAJ1AAH/k8+0yUUUSUQiEQg2xpS2AcN5tOK2G3AjttW7qrZhZbbcBbbPtRIlEIhEIhENx2BasWXHwrbDKXK2xvC2XcW2c0W2KAW234IiUiUSiUSiUQ5BnGy/YrY1OrlyTbYArtK2KqdKtiqqirYqSQq2KkkqtsHzmSSSUSTD6iRSJKJRKMPtJEkkkkkkkkANhLNorLYU2rYAuQK2KhW2E144EgBWbAGutbYVW7e2auEVtiqU6rYZlOyCAINHQLZAObYl9bZK6rYq5LbH2mSSSSSSSSTH2miSiUSiUSjPzJEkkkkkkkkkkkANhLNorLYUubYAarYqprYqJrYqj7YRjmkRCAq2IUcBtgDb2LYqpkq2KoCqtiorqrYZlOyCAINHQLZANrYl7bZK/LYq77YqH7bVorah9RkkkkkkkkAOQJtMTEZM0kZM0kYF9UYFBUbD6iJrJbKZbUPqJGtFIpltQfUrJRKRSMSAQOxzAB8+O6wsiKrsNWwODThCUIiHAAEAAipECUSlABKqA5EvyRw4rB88kkfmjSY/NQNfJ901c3EGMAICqsWKVVRJJeoDkR94oIDAU2Vzvnid93nFoE4lWEQAAEkFRIpJVSpJdQORz8CJrJbKZTKZTM/Aka0UimUymUzH4KyUSiUikUikQEDscwAfPjusLIitBzVsDg0DQk/ahwABAAAKRAABAAAKRAABAAAKRAABAAAKRC/JHDisHzyR8yiNJzU1GF8QpzlOdwACAAAKRAACAAAKRAACAAAKRAACAAAKRB94oIDAPvBNz32gTohEoE59RAAAAAVEAAAABUQAAAAFRAAAAAVEgP/Z";

    private const string J2kLossyTiled =
        "/0//UQAvAAAAAAANAAAACwAAAAAAAAAAAAAACAAAAAgAAAAAAAAAAAADBwEBBwEBBwEB/1IADAAAAAEBAgQEAAD/XAARQl9SUAVQBVBHV9NX01di/2QAJQABQ3JlYXRlZCBieSBPcGVuSlBFRyB2ZXJzaW9uIDIuNS4w/5AACgAAAAAAKwAB/5PHwCAGSDF1wfAGDxACw4MMHX2AgICAkODAH3fqgP+QAAoAAQAAACoAAf+TwiAGWYDHxhADl5eHgKPgDAT6+oCAoSAPQn/WgP+QAAoAAgAAACsAAf+Tw4ILV8GEC97GEAYrgMPpBAADCYCAw4QADPHBc4D/kAAKAAMAAAAsAAH/k8cECsjDggjwwIgJa6DggAF0kPsAgALPgIDBEAXcgP/Z";

    private const string WebPSample =
        "UklGRrAAAABXRUJQVlA4WAoAAAAQAAAADAAACgAAQUxQSCQAAAABZyAQSILYH3eGiEgtFEKyQgm8H0ssscQSS4wBRPQ/Uj17+AJWUDggZgAAABICAJ0BKg0ACwASmEIlsAJ0ARD8xGScAAAA/vbquEgVQ4Ie3MNOLlMunxAEyROFlxTD7+xAxPN3eOl+unEZtJU+WlTuMDpZrJzufPCp+Gn9bZD8BduDfwP+THmIb/wDQE+oX+gAAA==";

    private const string JpegSample =
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wgARCAALAA0DASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAABgf/xAAVAQEBAAAAAAAAAAAAAAAAAAADBf/aAAwDAQACEAMQAAABnrly2lh//8QAGhAAAgMBAQAAAAAAAAAAAAAAAxIBAgUEBv/aAAgBAQABBQLP89CgwITiDRABon//xAAYEQACAwAAAAAAAAAAAAAAAAAABgECA//aAAgBAwEBPwFZYd5qf//EABwRAAIBBQEAAAAAAAAAAAAAAAECQQMEBaHB8P/aAAgBAgEBPwG7yrU1ChYGwD7sf//EABwQAQACAQUAAAAAAAAAAAAAAAEAAhIhMTJBof/aAAgBAQAGPwIWs4B7KOJsw06n/8QAGhABAAIDAQAAAAAAAAAAAAAAAQAxESFxgf/aAAgBAQABPyGkblwQ8yKg9yEgsGNtM//aAAwDAQACAAMAAAAQ1//EABgRAAIDAAAAAAAAAAAAAAAAAAABETFR/9oACAEDAQE/EFFy60//xAAXEQEBAQEAAAAAAAAAAAAAAAABESEA/9oACAECAQE/EAZURUGtBccsAQyupz//xAAbEAEBAAIDAQAAAAAAAAAAAAABEQAxIUFhUf/aAAgBAQABPxBfQIByXw9y7JhSB9kmzeHiGGaQMCxoNQVVqt51n//Z";

    private static byte[] Zlib(byte[] data)
    {
        var s = new MemoryStream();
        using (var z = new ZLibStream(s, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(data);
        return s.ToArray();
    }
}

/// <summary>ImageDecoder as a graph node: pixel formats and the suite's reference images.</summary>
public class ImageDecoderOpTests
{
    private static Tensor<byte> Run(byte[] file, string pixelFormat)
    {
        var attr = new Onnx.Proto.AttributeProto
        {
            Name = "pixel_format", Type = Onnx.Proto.AttributeProto.Types.AttributeType.String,
            S = Google.Protobuf.ByteString.CopyFromUtf8(pixelFormat),
        };
        using var s = new InferenceSession(new TestModel(20).Input("data", DataType.UInt8, file.Length)
            .Node("ImageDecoder", ["data"], ["image"], "", attr).Output("image", DataType.UInt8).ToBytes());
        var r = s.Run(new Dictionary<string, Value> { ["data"] = new Tensor<byte>(file, [file.Length]) });
        return r[0].Value!.AsTensor().As<byte>();
    }

    [Fact]
    public void PixelFormats()
    {
        var rgb = Pattern(3, 2);
        var file = Pnm("P6 3 2 255\n", rgb);
        var outRgb = Run(file, "RGB");
        Assert.Equal([2, 3, 3], outRgb.Shape);
        Assert.Equal(rgb, outRgb.ToArray());

        var bgr = Run(file, "BGR").ToArray();
        for (int i = 0; i < 6; i++) Assert.Equal((rgb[3 * i + 2], rgb[3 * i]), (bgr[3 * i], bgr[3 * i + 2]));

        var gray = Run(file, "Grayscale");
        Assert.Equal([2, 3, 1], gray.Shape);
        for (int i = 0; i < 6; i++)
            Assert.Equal((rgb[3 * i] * 19595 + rgb[3 * i + 1] * 38470 + rgb[3 * i + 2] * 7471 + 0x8000) >> 16, gray[i * 1]);

        // A gray image replicates into all three channels.
        Assert.Equal(new byte[] { 9, 9, 9, 250, 250, 250 }, Run(Pnm("P5 2 1 255\n", [9, 250]), "RGB").ToArray());
    }

    [Fact]
    public void UnknownPixelFormatIsRefused() =>
        Assert.ThrowsAny<Exception>(() => Run(Pnm("P5 1 1 255\n", [0]), "CMYK"));
}
