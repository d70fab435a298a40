namespace NativeInfer.Ops.Misc;

/// <summary>Interpolation filter of Resize / Upsample.</summary>
internal enum ResizeMode { Nearest, Linear, Cubic }

/// <summary>How an output coordinate maps back to an input coordinate along one axis.</summary>
internal enum CoordinateTransform { HalfPixel, HalfPixelSymmetric, PytorchHalfPixel, AlignCorners, Asymmetric, TfHalfPixelForNn, TfCropAndResize }

/// <summary>
/// How nearest mode rounds a fractional input coordinate. <see cref="Simple"/> is the opset-10 / Upsample rule: floor
/// when upsampling, ceil when downsampling.
/// </summary>
internal enum NearestRounding { RoundPreferFloor, RoundPreferCeil, Floor, Ceil, Simple }

/// <summary>Every attribute that shapes the interpolation weights of Resize.</summary>
internal sealed record ResizeSettings(
    ResizeMode Mode,
    CoordinateTransform Transform,
    NearestRounding Rounding,
    double CubicA = -0.75,
    bool ExcludeOutside = false,
    double Extrapolation = 0,
    bool Antialias = false);
