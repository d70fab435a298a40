using NativeInfer.Ops;
using NativeInfer.Tests.Support;
using Xunit;

namespace NativeInfer.Tests.Docs;

public class ReadmeTests
{
    [Fact]
    public void SupportedOpTableIsCurrent()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));
        var expected = OpTable.UpdateReadme(readme, OpRegistry.Default);
        Assert.True(expected == readme,
            "README's supported-op table is stale: run `dotnet run --project cli -c Release -- ops --update-readme README.md`.");
    }

    [Fact]
    public void CiRunsTheReadmeTestCommand()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md"));
        var ci = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, ".ci", "run"));
        const string command = "dotnet test NativeInfer.sln -c Release";
        Assert.Contains(command, readme);
        Assert.Contains(command, ci);
    }
}
