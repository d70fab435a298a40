namespace NativeInfer.Runtime;

/// <summary>
/// Watches one run of a graph (the first with an input signature) and notes, for every buffer the run's nodes
/// allocate on the run's thread, its element type, length, the step and call (ordinal within the step) that allocated
/// it, whether a value slot ever referenced it and the step after which no slot did (the scope's array refcount, so
/// views such as Reshape outputs extend the buffer's life). <see cref="Build"/> turns that into a
/// <see cref="MemoryPlan"/>.
/// </summary>
internal sealed class MemoryRecorder(int stepCount)
{
    private readonly List<Recorded> _buffers = new();

    /// <summary>False once the run did something the plan cannot describe (an unknown value kind, a failure).</summary>
    public bool Valid { get; private set; } = true;

    public void Invalidate() => Valid = false;

    public int Allocated(ArenaElement element, int length, int step, int ordinal)
    {
        _buffers.Add(new Recorded { Element = element, Length = length, Step = step, Ordinal = ordinal, Last = -1 });
        return _buffers.Count - 1;
    }

    public void Referenced(int id) => _buffers[id].Referenced = true;

    public void Freed(int id, int step) => _buffers[id].Last = step;

    public void Pinned(int id) => _buffers[id].Pinned = true;

    /// <summary>A node output took its input's buffer (in-place execution): no allocation of its own.</summary>
    public void InPlace() => _inPlace++;

    private int _inPlace;

    /// <summary>
    /// The plan for later runs: buffers that a slot referenced and that died before the run ended. Buffers never
    /// referenced (a kernel's temporaries), still alive at the end (graph outputs) or pinned (in a sequence or map) are
    /// left to the pool.
    /// </summary>
    public MemoryPlan Build()
    {
        var placed = _buffers.Where(b => b.Referenced && !b.Pinned && b.Last >= b.Step && b.Length > 0)
            .Select(b => new MemoryPlan.Buffer(b.Element, b.Length, b.Step, b.Ordinal, b.Last)).ToList();
        return new MemoryPlan(placed, stepCount) { InPlaceOutputs = _inPlace };
    }

    private sealed class Recorded
    {
        public required ArenaElement Element;
        public int Length, Step, Ordinal, Last;
        public bool Referenced, Pinned;
    }
}
