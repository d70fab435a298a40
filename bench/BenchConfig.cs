using BenchmarkDotNet.Configs;
using NativeInfer.Bench.Columns;

namespace NativeInfer.Bench;

/// <summary>
/// The configuration every micro-benchmark runs with: BenchmarkDotNet's defaults plus <see cref="FlopColumns"/>, and a
/// 10-minute build timeout (the default 2 minutes is too short for the generated project on a shared, busy machine).
/// </summary>
public static class BenchConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddColumn(FlopColumns.All)
        .WithBuildTimeout(TimeSpan.FromMinutes(10));
}
