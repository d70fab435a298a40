namespace NativeInfer.Tests.Support;

/// <summary>Locates the repository checkout and the shared ONNX backend-test data.</summary>
public static class TestPaths
{
    /// <summary>The checkout root (the folder holding NativeInfer.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// The ONNX backend suite: $NATIVEINFER_ONNX_TESTS, else ../shared/onnx-backend next to the checkout; null when
    /// absent (conformance tests then report themselves skipped).
    /// </summary>
    public static string? OnnxSuite
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("NATIVEINFER_ONNX_TESTS");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
            var shared = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "onnx-backend"));
            return Directory.Exists(shared) ? shared : null;
        }
    }

    public static string ConformanceFile(string name) => Path.Combine(RepoRoot, "tests", "conformance", name);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NativeInfer.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the NativeInfer checkout above " + AppContext.BaseDirectory);
    }
}
