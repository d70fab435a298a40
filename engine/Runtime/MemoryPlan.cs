namespace NativeInfer.Runtime;

/// <summary>
/// Where a run places its node outputs, for one input signature of one graph: one arena per element type, and for
/// each planned allocation — identified by the step that makes it and its ordinal among that step's allocations — an
/// offset in its arena. Built by <see cref="MemoryRecorder"/> from a recorded run; a run replays it through a rented
/// <see cref="MemoryArena"/>, which re-checks every placement (type, length, and that no buffer sharing its bytes is
/// still live) and falls back to the pool when the run differs from the recorded one.
/// </summary>
internal sealed class MemoryPlan
{
    /// <summary>A recorded buffer: allocated by call <c>Ordinal</c> of step <c>Step</c>, live through step <c>Last</c>.</summary>
    public readonly record struct Buffer(ArenaElement Element, int Length, int Step, int Ordinal, int Last);

    /// <summary>A placed buffer: its arena, element offset from the arena's aligned start, and the buffers that share bytes with it earlier.</summary>
    public readonly record struct Placement(int Arena, long Offset, int Length, ArenaElement Element, int[] EarlierSharing);

    private readonly int[][] _ids; // [step][ordinal] → buffer, or −1
    private readonly MemoryArena?[] _spares = new MemoryArena?[4];

    public MemoryPlan(IReadOnlyList<Buffer> buffers, int stepCount)
    {
        Buffers = buffers.ToArray();
        Placements = new Placement[Buffers.Length];
        var elements = Buffers.Select(b => b.Element).Distinct().OrderByDescending(e => Buffers.Where(b => b.Element == e).Sum(b => (long)b.Length * e.Size)).ToArray();
        ArenaElements = elements;
        ArenaElementCounts = new long[elements.Length];
        var lifetimes = Buffers.Select(b => new BufferLifetime((long)b.Length * b.Element.Size, b.Step, b.Last)).ToArray();
        Lifetimes = lifetimes;
        LowerBoundBytes = MemoryPlanner.LowerBound(lifetimes);
        Layouts = new MemoryLayout[elements.Length];
        for (int a = 0; a < elements.Length; a++)
        {
            var element = elements[a];
            int[] ids = Enumerable.Range(0, Buffers.Length).Where(i => Buffers[i].Element == element).ToArray();
            var layout = MemoryPlanner.Place(ids.Select(i => lifetimes[i]).ToArray(), element.Alignment);
            Layouts[a] = layout;
            ArenaElementCounts[a] = layout.ArenaBytes / element.Size;
            PlannedBytes += layout.ArenaBytes;
            for (int k = 0; k < ids.Length; k++)
            {
                int i = ids[k];
                long start = layout.Offsets[k], end = start + lifetimes[i].Bytes;
                var earlier = new List<int>();
                for (int m = 0; m < ids.Length; m++)
                {
                    int j = ids[m];
                    if (Buffers[j].Step >= Buffers[i].Step) continue;
                    long s = layout.Offsets[m], e = s + lifetimes[j].Bytes;
                    if (s < end && start < e) earlier.Add(j);
                }
                Placements[i] = new Placement(a, start / element.Size, Buffers[i].Length, element, earlier.ToArray());
            }
        }

        _ids = new int[stepCount][];
        for (int step = 0; step < stepCount; step++) _ids[step] = [];
        foreach (var group in Enumerable.Range(0, Buffers.Length).GroupBy(i => Buffers[i].Step))
        {
            var row = new int[group.Max(i => Buffers[i].Ordinal) + 1];
            row.AsSpan().Fill(-1);
            foreach (int i in group) row[Buffers[i].Ordinal] = i;
            _ids[group.Key] = row;
        }
        Steps = stepCount;
    }


    public Buffer[] Buffers { get; }
    public Placement[] Placements { get; }
    public BufferLifetime[] Lifetimes { get; }
    public ArenaElement[] ArenaElements { get; }
    public long[] ArenaElementCounts { get; }

    /// <summary>One layout per arena (element type), offsets in bytes, indexed like the buffers of that type.</summary>
    public MemoryLayout[] Layouts { get; }

    /// <summary>Node outputs the recorded run computed in place over a dying input.</summary>
    public int InPlaceOutputs { get; init; }

    public long PlannedBytes { get; }
    public long LowerBoundBytes { get; }
    public int Steps { get; }

    /// <summary>The buffer planned for call <paramref name="ordinal"/> of <paramref name="step"/>, or −1.</summary>
    public int BufferAt(int step, int ordinal)
    {
        if ((uint)step >= (uint)_ids.Length) return -1;
        var row = _ids[step];
        return (uint)ordinal < (uint)row.Length ? row[ordinal] : -1;
    }

    public MemoryPlanSummary Summary(string signature) => new(signature, PlannedBytes, LowerBoundBytes, Buffers.Length, Steps,
        ArenaElements.Select((e, a) => (e.DataType, Layouts[a].ArenaBytes)).ToArray());

    /// <summary>An arena for one run: a cached one when available (arenas are reused across runs).</summary>
    public MemoryArena RentArena()
    {
        for (int i = 0; i < _spares.Length; i++)
            if (Interlocked.Exchange(ref _spares[i], null) is { } arena) return arena;
        return new MemoryArena(this);
    }

    public void ReturnArena(MemoryArena arena)
    {
        for (int i = 0; i < _spares.Length; i++)
            if (Interlocked.CompareExchange(ref _spares[i], arena, null) is null) return;
    }
}
