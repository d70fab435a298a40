using System.Diagnostics;
using NativeInfer.Onnx.Benchmarking;

namespace NativeInfer.Bench.Compare;

/// <summary>
/// Compares ONNX Runtime and NativeInfer on one model in this process: both sessions are created, fed the same seeded
/// inputs (<see cref="BenchmarkInputs"/>), run once each to check that the outputs agree
/// (<see cref="OutputAgreement"/>), warmed up, then timed alternately — ORT then NativeInfer on even iterations,
/// NativeInfer then ORT on odd ones, so drift in machine load and cache state falls on both alike. The timed loop stops
/// after <see cref="CompareSettings.Iterations"/> pairs or once it has used <see cref="CompareSettings.BudgetSeconds"/>
/// (at least one pair). Peak memory comes from <see cref="MemoryProbe"/> (one child process per engine).
/// </summary>
public static class CompareRunner
{
    /// <exception cref="BenchmarkSetupException">Bad <c>--dim</c> or an input that cannot be fed.</exception>
    public static CompareResult Run(ModelSource model, CompareSettings settings, TextWriter? log = null)
    {
        List<BenchmarkInputSpec> specs;
        LatencyStatistics ortStats, niStats;
        double err;
        string? note = null;
        int warmed;
        bool stopped = false;
        long? planned;
        using (var ni = new NativeInferEngine(model, settings.Threads, settings.Level))
        {
            var dims = DimOverrides.Parse(settings.Dims ?? []);
            dims.Validate(ni.Feeds);
            specs = BenchmarkInputs.Specs(ni.Feeds, dims, ni.MaxTensorBytes);
            ni.Bind(BenchmarkInputs.Create(specs, settings.Seed));
            var inputs = BenchmarkInputs.Create(specs, settings.Seed); // ORT gets its own copy of the same values
            using var ort = new OrtEngine(model, settings.Threads, inputs, ni.OutputNames);

            // First run of each: outputs compared; counts as the first warm-up run.
            var total = Stopwatch.StartNew();
            var ortOut = ort.RunAndRead(ni.OutputNames);
            try
            {
                err = OutputAgreement.MaxRelativeError(ortOut, ni.RunAndRead(ni.OutputNames));
            }
            catch (NotSupportedException e)
            {
                err = double.NaN;
                note = e.Message;
            }
            if (ortOut.All(o => o.Values.Length > 0 && o.Values.All(v => v.Equals(o.Values[0]))))
                note = "every output is constant (e.g. a light model, whose weights are ConstantOfShape fills): the agreement check is weak";
            warmed = 1;
            for (; warmed < settings.Warmup && total.Elapsed < settings.Budget / 4; warmed++)
            {
                ort.Run();
                ni.Run();
            }
            log?.WriteLine($"  {model.Name}: {warmed} warm-up run(s) each, timing...");

            var ortMs = new List<double>(settings.Iterations);
            var niMs = new List<double>(settings.Iterations);
            var timed = Stopwatch.StartNew();
            var sw = new Stopwatch();
            for (int i = 0; i < settings.Iterations; i++)
            {
                if (i > 0 && timed.Elapsed > settings.Budget) { stopped = true; break; }
                for (int k = 0; k < 2; k++)
                {
                    bool ortTurn = (i % 2 == 0) == (k == 0);
                    sw.Restart();
                    if (ortTurn) ort.Run(); else ni.Run();
                    sw.Stop();
                    (ortTurn ? ortMs : niMs).Add(sw.Elapsed.TotalMilliseconds);
                }
            }
            planned = ni.PlannedPeakBytes;
            ortStats = LatencyStatistics.From(ortMs);
            niStats = LatencyStatistics.From(niMs);
        }
        GC.Collect();

        long? ortPeak = null, niPeak = null;
        if (settings.MeasureMemory)
        {
            if (!MemoryProbe.CanSpawn) note = Append(note, "peak memory not measured: this host cannot start the bench executable");
            else
            {
                var timeout = TimeSpan.FromSeconds(Math.Max(120, 20 * (niStats.MaxMs + ortStats.MaxMs) / 1000 * settings.ProbeRuns));
                log?.WriteLine($"  {model.Name}: measuring peak memory (one child process per engine)...");
                try
                {
                    ortPeak = MemoryProbe.Measure(MemoryProbe.Ort, model, settings.Threads, settings.Seed, specs, settings.ProbeRuns, timeout);
                    niPeak = MemoryProbe.Measure(MemoryProbe.NativeInfer, model, settings.Threads, settings.Seed, specs, settings.ProbeRuns, timeout, settings.Level);
                }
                catch (InvalidOperationException e)
                {
                    note = Append(note, e.Message);
                }
            }
        }
        return new CompareResult(model.Name, specs, ortStats, niStats, warmed, stopped, err, ortPeak, niPeak, note, NativeInferPlannedPeakBytes: planned);
    }

    private static string Append(string? a, string b) => a is null ? b : a + "; " + b;
}
