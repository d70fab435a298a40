using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NativeInfer.Bench.Columns;

/// <summary>
/// Summary columns for benchmarks implementing <see cref="IFlopCounted"/>: <c>GFLOP/s</c> (FLOPs of one operation ÷
/// the median time of one operation) and the fraction of the machine's FP32 FMA peak for one thread
/// (<c>%Peak1T</c>) and for all cores (<c>%PeakAll</c>). The peak is measured once per process, when the summary is
/// built, after every benchmark has run (<see cref="MachinePeak.Cached"/>). Other benchmarks show "-".
/// </summary>
public static class FlopColumns
{
    /// <summary>The three columns, in display order.</summary>
    public static IColumn[] All { get; } =
    [
        new FlopColumn("GFLOP/s", "Giga floating-point operations per second (FLOPs per op ÷ median time per op)", null),
        new FlopColumn("%Peak1T", "Fraction of the measured 1-thread FP32 FMA peak (bench -- peak)", 1),
        new FlopColumn("%PeakAll", "Fraction of the measured all-core FP32 FMA peak (bench -- peak)", 0),
    ];

    /// <summary>FLOPs of one operation of <paramref name="benchmarkCase"/>, or null when it is not <see cref="IFlopCounted"/>.</summary>
    public static double? FlopsOf(BenchmarkCase benchmarkCase)
    {
        var type = benchmarkCase.Descriptor.Type;
        if (!typeof(IFlopCounted).IsAssignableFrom(type)) return null;
        var instance = (IFlopCounted)Activator.CreateInstance(type)!;
        foreach (var p in benchmarkCase.Parameters.Items)
        {
            const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
            if (type.GetProperty(p.Name, flags) is { CanWrite: true } prop) prop.SetValue(prop.GetMethod!.IsStatic ? null : instance, p.Value);
            else if (type.GetField(p.Name, flags) is { } field) field.SetValue(field.IsStatic ? null : instance, p.Value);
        }
        double f = instance.Flops;
        return double.IsFinite(f) && f > 0 ? f : null;
    }

    /// <summary>GFLOP/s of a finished case (FLOPs ÷ median ns), or null.</summary>
    public static double? GflopsOf(Summary summary, BenchmarkCase benchmarkCase)
    {
        if (FlopsOf(benchmarkCase) is not { } flops) return null;
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (stats is null || !(stats.Median > 0)) return null;
        return flops / stats.Median; // FLOP per ns = GFLOP/s
    }

    private sealed class FlopColumn(string name, string legend, int? peakThreads) : IColumn
    {
        public string Id => "NativeInfer." + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => peakThreads switch { null => 0, 1 => 1, _ => 2 };
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => legend;

        public bool IsAvailable(Summary summary) =>
            summary.BenchmarksCases.Any(c => typeof(IFlopCounted).IsAssignableFrom(c.Descriptor.Type));

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (GflopsOf(summary, benchmarkCase) is not { } gflops) return "-";
            if (peakThreads is null) return gflops.ToString("F1", CultureInfo.InvariantCulture);
            int threads = peakThreads == 0 ? Environment.ProcessorCount : peakThreads.Value;
            return (gflops / MachinePeak.Cached(threads)).ToString("P1", CultureInfo.InvariantCulture);
        }

        public override string ToString() => ColumnName;
    }
}
