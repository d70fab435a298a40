using NativeInfer.Cli.Commands;

namespace NativeInfer.Bench.Compare;

/// <summary>A model to compare: a file, or the CLI's embedded default ResNet18 (Path null).</summary>
public sealed record ModelSource(string Name, string? Path)
{
    public const string DefaultName = "ResNet18 (default)";

    public static ModelSource Default { get; } = new(DefaultName, null);

    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static ModelSource FromFile(string path)
    {
        if (Directory.Exists(path)) throw new FileNotFoundException($"'{path}' is a folder; give the path of an .onnx file.", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"model file '{path}' does not exist.", path);
        return new ModelSource(System.IO.Path.GetFileNameWithoutExtension(path), System.IO.Path.GetFullPath(path));
    }

    /// <summary>The default model's bytes (both engines then load the same bytes).</summary>
    public static byte[] DefaultModelBytes()
    {
        using var s = DefaultModel.Open();
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
