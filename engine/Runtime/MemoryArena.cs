using NativeInfer.Tensors;

namespace NativeInfer.Runtime;

/// <summary>
/// One run's arenas for a <see cref="MemoryPlan"/> (one pinned array per element type) and the state of each planned
/// buffer in this run. A placement is taken only when the allocation matches the plan (same step, ordinal, element
/// type and length) and no buffer sharing its bytes is still live; otherwise the caller falls back to the pool, so a
/// run that differs from the recorded one stays correct. A buffer dies when the last slot referencing it is released
/// (refcounts kept by <see cref="ExecutionScope"/>); a buffer never referenced stays live for the rest of the run.
/// Used by one run at a time; rented from the plan like scopes are.
/// </summary>
internal sealed class MemoryArena
{
    private const byte Unused = 0, Live = 1, Dead = 2;

    private readonly byte[] _state;
    private readonly int[] _refs;
    private readonly bool[] _pinned;
    private readonly List<int> _live;

    public MemoryArena(MemoryPlan plan)
    {
        Plan = plan;
        Arrays = new Array[plan.ArenaElements.Length];
        Skews = new int[Arrays.Length];
        for (int a = 0; a < Arrays.Length; a++) Arrays[a] = plan.ArenaElements[a].Allocate(plan.ArenaElementCounts[a], out Skews[a]);
        _state = new byte[plan.Buffers.Length];
        _refs = new int[plan.Buffers.Length];
        _pinned = new bool[plan.Buffers.Length];
        _live = new List<int>(Math.Min(plan.Buffers.Length, 256));
    }

    public MemoryPlan Plan { get; }

    /// <summary>The arena arrays, one per element type (index = placement's arena).</summary>
    public Array[] Arrays { get; }

    /// <summary>Per arena: the element index of its 64-byte aligned start.</summary>
    public int[] Skews { get; }

    /// <summary>Set when buffer tracking stopped for this run: no further placements (live buffers stay live).</summary>
    public bool Disabled { get; set; }

    /// <summary>Buffers placed in this run so far.</summary>
    public int PlacedCount { get; private set; }

    /// <summary>Forgets the previous run's buffer states.</summary>
    public void Reset()
    {
        Array.Clear(_state);
        Array.Clear(_refs);
        Array.Clear(_pinned);
        _live.Clear();
        Disabled = false;
        PlacedCount = 0;
    }

    /// <summary>The planned memory for call <paramref name="ordinal"/> of <paramref name="step"/>, when it may be used now.</summary>
    public bool TryPlace<T>(int step, int ordinal, int length, bool clear, out Memory<T> memory)
    {
        memory = default;
        if (Disabled) return false;
        int id = Plan.BufferAt(step, ordinal);
        if (id < 0 || _state[id] != Unused) return false;
        var p = Plan.Placements[id];
        if (p.Length != length || !ReferenceEquals(p.Element, ArenaElement<T>.Instance)) return false;
        foreach (int other in p.EarlierSharing)
            if (_state[other] == Live) return false;
        _state[id] = Live;
        _live.Add(id);
        PlacedCount++;
        memory = new Memory<T>((T[])Arrays[p.Arena], Skews[p.Arena] + (int)p.Offset, length);
        if (clear) memory.Span.Clear();
        return true;
    }

    /// <summary>Counts a slot reference to (or release of) the buffer holding tensor <paramref name="t"/> in arena <paramref name="arena"/>.</summary>
    public void Count(Tensor t, int arena, int delta)
    {
        int id = Find(t, arena);
        if (id < 0) return;
        _refs[id] += delta;
        if (_refs[id] <= 0 && delta < 0 && !_pinned[id])
        {
            _state[id] = Dead;
            _live.Remove(id);
        }
    }

    /// <summary>Whether exactly one live slot references the planned buffer holding <paramref name="t"/> (and it is not pinned).</summary>
    public bool IsSoleReference(Tensor t, int arena)
    {
        int id = Find(t, arena);
        return id >= 0 && _refs[id] == 1 && !_pinned[id];
    }

    /// <summary>Keeps the buffer of <paramref name="t"/> live for the rest of the run (it went into a sequence or map).</summary>
    public void Pin(Tensor t, int arena)
    {
        int id = Find(t, arena);
        if (id >= 0) _pinned[id] = true;
    }

    private int Find(Tensor t, int arena)
    {
        var element = Plan.ArenaElements[arena];
        if (!element.Contains(Arrays[arena], t, Skews[arena], out long byteOffset)) return -1;
        foreach (int id in _live)
        {
            var p = Plan.Placements[id];
            if (p.Arena != arena) continue;
            long start = p.Offset * element.Size;
            if (byteOffset >= start && byteOffset < start + (long)p.Length * element.Size) return id;
        }
        return -1;
    }

    /// <summary>
    /// The value itself, or a copy when it (or a tensor inside it) lives in this arena: what a run returns must not
    /// share memory with the next run.
    /// </summary>
    public Value? Detach(Value? value)
    {
        switch (value)
        {
            case Tensor t:
                return InArena(t) ? t.Clone() : t;
            case OptionalValue o when o.Inner is { } inner:
                var detached = Detach(inner);
                return ReferenceEquals(detached, inner) ? o : new OptionalValue(o.ElementType, detached);
            case SequenceValue s when s.Items.Any(InArena):
                return new SequenceValue(s.ElementType, s.Items.Select(i => InArena(i) ? i.Clone() : i));
            case MapValue m when InArena(m.Keys) || !ReferenceEquals(Detach(m.Values), m.Values):
                return new MapValue(m.KeyType, InArena(m.Keys) ? m.Keys.Clone() : m.Keys, Detach(m.Values)!);
            default:
                return value;
        }
    }

    private bool InArena(Tensor t)
    {
        var array = t.StorageArray;
        if (array is null) return false;
        foreach (var a in Arrays)
            if (ReferenceEquals(a, array)) return true;
        return false;
    }
}
