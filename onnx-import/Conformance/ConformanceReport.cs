using System.Text;
using System.Text.Json;

namespace NativeInfer.Onnx.Conformance;

public enum CaseStatus { Passed, Failed, Errored, Skipped }

/// <summary>The outcome of one suite case.</summary>
public sealed record CaseResult(string Name, CaseStatus Status, string Detail, double Seconds);

/// <summary>The outcome of a suite run, written as JSON {total, passed, failed, errored, skipped, cases}.</summary>
public sealed class ConformanceReport
{
    public required string Suite { get; init; }
    public required IReadOnlyList<CaseResult> Cases { get; init; }
    public double Seconds { get; init; }
    public int Total => Cases.Count;
    public int Passed => Cases.Count(c => c.Status == CaseStatus.Passed);
    public int Failed => Cases.Count(c => c.Status == CaseStatus.Failed);
    public int Errored => Cases.Count(c => c.Status == CaseStatus.Errored);
    public int Skipped => Cases.Count(c => c.Status == CaseStatus.Skipped);

    public string Summary =>
        $"{Path.GetFileName(Suite.TrimEnd('/', '\\'))}: {Passed} passed, {Failed} failed, {Errored} errored, {Skipped} skipped of {Total} in {Seconds:F1} s";

    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("suite", Suite);
            w.WriteNumber("total", Total);
            w.WriteNumber("passed", Passed);
            w.WriteNumber("failed", Failed);
            w.WriteNumber("errored", Errored);
            w.WriteNumber("skipped", Skipped);
            w.WriteNumber("seconds", Math.Round(Seconds, 2));
            w.WriteStartArray("cases");
            foreach (var c in Cases)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteString("status", c.Status.ToString().ToLowerInvariant());
                w.WriteString("detail", c.Detail);
                w.WriteNumber("seconds", Math.Round(c.Seconds, 3));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
