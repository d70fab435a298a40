using NativeInfer.Ops;

namespace NativeInfer.Cli.Commands;

/// <summary><c>nativeinfer ops [--update-readme README.md]</c>: prints the supported-op table, or rewrites README's copy.</summary>
public static class OpsCommand
{
    public static int Execute(CliArgs args)
    {
        if (args.Option("--update-readme") is { } path)
        {
            File.WriteAllText(path, OpTable.UpdateReadme(File.ReadAllText(path), OpRegistry.Default));
            Console.WriteLine($"updated {path}");
        }
        else Console.Write(OpTable.Markdown(OpRegistry.Default));
        return 0;
    }
}
