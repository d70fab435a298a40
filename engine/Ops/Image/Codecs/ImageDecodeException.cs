namespace NativeInfer.Ops.Image.Codecs;

/// <summary>Thrown when an encoded image is corrupt, truncated or malformed.</summary>
public sealed class ImageDecodeException(string message) : Exception(message);
