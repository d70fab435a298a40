using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NativeInfer.Ops;
using NativeInfer.Session;
using NativeInfer.Tensors;

namespace NativeInfer.Runtime;

/// <summary>
/// The values of one (sub)graph execution, in the slots of its <see cref="ExecutionPlan"/>; a subgraph's scope falls
/// back to its parent's for outer names. Scopes are reused across runs of the same plan (one run at a time each).
/// <para>
/// Buffer reuse: while a node runs on this scope's thread, <c>new Tensor&lt;T&gt;(shape)</c> and
/// <see cref="Tensor{T}.Uninitialized"/> take arrays from the session's <see cref="TensorBufferPool"/>; the scope
/// records them as its own, counts how many live slots reference each (views share arrays), and returns an array to
/// the pool when its count falls to zero. Arrays it did not hand out (inputs, initializers, outer values, arrays
/// kernels allocated themselves) are never returned; nor are arrays referenced from graph outputs (kept slots), from
/// sequences or maps (mutable containers: pinned), or anything once a value of an unknown kind appears.
/// </para>
/// <para>
/// Memory planning (main graph runs): the first run with an input signature carries a <see cref="MemoryRecorder"/>
/// that notes every allocation by (step, ordinal within the step) and when its buffer died; later runs carry a
/// <see cref="MemoryArena"/> that serves planned allocations from their arena offsets, the pool serving the rest.
/// </para>
/// </summary>
internal sealed class ExecutionScope
{
    /// <summary>Marks a slot with no value (never set, or released): lookups fall back to the parent scope.</summary>
    private static readonly Value s_unset = new UnsetValue();

    [ThreadStatic] private static ExecutionScope? t_allocating;

    private readonly Value?[] _slots;
    private readonly Dictionary<object, OwnedBuffer> _owned = new(ReferenceEqualityComparer.Instance);
    private OpContext[]? _contexts;
    private SessionOptions? _contextOptions;
    private readonly Value?[][] _nodeInputs;
    private bool _recycle;
    private MemoryArena? _arena;
    private MemoryRecorder? _recorder;
    private int _step, _ordinal;
    private Tensor? _offer, _offerTaken;
    private Tensor?[]? _bound;
    private Tensor? _boundOffer;

    private static readonly ExecutionPlan s_noGraph = new(new IR.Graph());

    /// <summary>
    /// A scope outside any graph execution (e.g. for running an op at load time); subgraphs its ops run read outer names
    /// from <paramref name="parent"/>.
    /// </summary>
    public ExecutionScope(ExecutionScope? parent) : this(s_noGraph, 0)
    {
        Parent = parent;
        Cancellation = parent?.Cancellation ?? default;
    }

    /// <summary>A reusable scope for runs of <paramref name="plan"/> (see <see cref="ExecutionPlan.RentScope"/>).</summary>
    public static ExecutionScope ForPlan(ExecutionPlan plan) => new(plan, 0);

    private ExecutionScope(ExecutionPlan plan, int _)
    {
        Plan = plan;
        _slots = new Value?[plan.SlotCount];
        _slots.AsSpan().Fill(s_unset);
        _nodeInputs = new Value?[plan.Order.Length][];
        for (int i = 0; i < _nodeInputs.Length; i++) _nodeInputs[i] = new Value?[plan.NodeInputs[i].Length];
    }

    public ExecutionPlan Plan { get; }
    public ExecutionScope? Parent { get; private set; }

    /// <summary>Cancels the whole run, subgraphs included (checked before every node).</summary>
    public CancellationToken Cancellation { get; private set; }

    public SessionOptions Options { get; private set; } = null!;
    public TensorBufferPool? Pool { get; private set; }
    public IExecutionObserver? Observer { get; private set; }

    /// <summary>Prepares the scope for one execution.</summary>
    public void Begin(ExecutionScope? parent, SessionOptions options, TensorBufferPool? pool, CancellationToken cancellation)
    {
        Parent = parent;
        Options = options;
        Pool = pool;
        Observer = options.Observer;
        Cancellation = parent?.Cancellation ?? cancellation;
        _recycle = pool is not null;
        if (!ReferenceEquals(_contextOptions, options))
        {
            var order = Plan.Order;
            _contexts = new OpContext[order.Length];
            for (int i = 0; i < order.Length; i++) _contexts[i] = new OpContext(order[i], this, options);
            _contextOptions = options;
        }
    }

    /// <summary>Drops every value and buffer record, so the cached scope keeps nothing alive.</summary>
    public void End()
    {
        _slots.AsSpan().Fill(s_unset);
        foreach (var inputs in _nodeInputs) Array.Clear(inputs); // a failed node leaves its inputs behind
        _owned.Clear();
        _arena = null;
        _recorder = null;
        _offer = _offerTaken = null;
        _bound = null;
        _boundOffer = null;
        Parent = null;
        Pool = null;
        Observer = null;
    }

    public OpContext Context(int step) => _contexts![step];

    /// <summary>Attaches a recorder (first run of a signature) or an arena (later runs) to this execution.</summary>
    public void AttachMemory(MemoryArena? arena, MemoryRecorder? recorder)
    {
        if (!_recycle) return;
        _recorder = recorder;
        _arena = arena;
        if (arena is null) return;
        arena.Reset();
        for (int a = 0; a < arena.Arrays.Length; a++) _owned[arena.Arrays[a]] = new OwnedBuffer(0, -1 - a, false, -1);
    }

    /// <summary>The arena this execution places buffers in, if any.</summary>
    public MemoryArena? Arena => _arena;

    /// <summary>Whether buffer tracking stayed on for the whole execution (a recording is only valid then).</summary>
    public bool Tracked => _recycle;

    /// <summary>Marks the start of node <paramref name="step"/>: allocations are numbered from 0 within each step.</summary>
    public void BeginStep(int step)
    {
        _step = step;
        _ordinal = 0;
    }

    public Value?[] NodeInputArray(int step) => _nodeInputs[step];

    public void SetSlot(int slot, Value? value) => _slots[slot] = value;

    /// <summary>The value in a plan slot or outer name (see <see cref="ExecutionPlan.NodeInputs"/>).</summary>
    /// <summary>The value in a slot of this scope, or null when unset (no outer lookup).</summary>
    public Value? Peek(int slot) => ReferenceEquals(_slots[slot], s_unset) ? null : _slots[slot];

    public Value? Read(int slot)
    {
        if (slot < 0) return Outer(Plan.OuterNames[ExecutionPlan.OuterBase - slot]);
        var v = _slots[slot];
        return ReferenceEquals(v, s_unset) ? Outer(Plan.SlotNames[slot]) : v;
    }

    private Value? Outer(string name) =>
        Parent is not null ? Parent.Get(name) : throw new KeyNotFoundException($"Value '{name}' is not available.");

    /// <summary>A value by name: this scope's, else the enclosing scopes'.</summary>
    public Value? Get(string name)
    {
        for (var s = this; s is not null; s = s.Parent)
            if (s.Plan.SlotOf.TryGetValue(name, out int slot) && !ReferenceEquals(s._slots[slot], s_unset)) return s._slots[slot];
        throw new KeyNotFoundException($"Value '{name}' is not available.");
    }

    /// <summary>Stores a node's output and counts the buffers it references.</summary>
    public void SetOutput(int slot, Value? value)
    {
        _slots[slot] = value;
        if (_recycle && _owned.Count > 0) Track(value, +1);
    }

    /// <summary>Drops a value past its last reader; buffers no live value references go back to the pool.</summary>
    public void Release(int slot)
    {
        var value = _slots[slot];
        _slots[slot] = s_unset;
        if (_recycle && _owned.Count > 0 && !ReferenceEquals(value, s_unset)) Track(value, -1);
    }

    /// <summary>Makes this scope the one node allocations on this thread rent from; returns the previous one.</summary>
    public ExecutionScope? EnterAllocation()
    {
        var previous = t_allocating;
        t_allocating = _recycle ? this : null;
        return previous;
    }

    public static void ExitAllocation(ExecutionScope? previous) => t_allocating = previous;

    /// <summary>
    /// Tensors the caller gave for the graph outputs (by output index; see <c>GraphSession.Run(inputs, outputs)</c>):
    /// the node producing an output is offered its tensor's memory (<see cref="OfferBound"/>).
    /// </summary>
    public void BindOutputs(Tensor?[]? bound) => _bound = bound;

    /// <summary>
    /// Before the node at <paramref name="step"/> runs: when its first output is graph output i and the caller bound a
    /// tensor to it, the node's first allocation of that element type and exact length gets the tensor's memory, so the
    /// kernel writes the output in place and nothing is copied afterwards. Should a temporary of the same length take it
    /// instead, the output is copied over it at the end (see <c>OutputBinding</c>); the caller's memory is read by no
    /// node, since a bound tensor may not share memory with an input.
    /// </summary>
    public void OfferBound(int step)
    {
        _boundOffer = null;
        if (_bound is null || !_recycle) return;
        int output = Plan.GraphOutputOfStep[step];
        if (output >= 0 && output < _bound.Length) _boundOffer = _bound[output];
    }

    /// <summary>
    /// Memory for a new tensor from the run's arena or buffer pool; false when no run on this thread pools (the caller
    /// allocates). Zeroed when <paramref name="clear"/>.
    /// </summary>
    internal static bool TryRent<T>(int length, bool clear, out Memory<T> memory)
    {
        memory = default;
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) return false;
        var scope = t_allocating;
        if (scope is null) return false;
        int ordinal = scope._ordinal++;
        if (scope._boundOffer is Tensor<T> bound && bound.Length == length)
        {
            scope._boundOffer = null;
            scope._offer = null; // only a node's first allocation may take an in-place offer: this one wrote the output
            memory = bound.Memory;
            if (clear) memory.Span.Clear();
            return true;
        }
        if (scope._offer is { } offer)
        {
            // In-place offer: only the node's first allocation may take it, and only as an uninitialized tensor of the
            // input's type and length (zeroing would destroy the input).
            scope._offer = null;
            if (!clear && offer is Tensor<T> input && input.Length == length)
            {
                scope._offerTaken = input;
                scope._recorder?.InPlace();
                memory = input.Memory;
                return true;
            }
        }
        if (scope._arena is { } arena && arena.TryPlace(scope._step, ordinal, length, clear, out memory)) return true;
        long bytes = (long)length * Unsafe.SizeOf<T>();
        var recorder = scope._recorder;
        if (bytes < TensorBufferPool.MinPooledBytes && recorder is null) return false;
        var array = bytes < TensorBufferPool.MinPooledBytes ? null : scope.Pool!.TryTake<T>(length);
        if (array is null) array = clear ? new T[length] : GC.AllocateUninitializedArray<T>(length);
        else if (clear) Array.Clear(array);
        int record = recorder?.Allocated(ArenaElement<T>.Instance, length, scope._step, ordinal) ?? -1;
        scope._owned[array] = new OwnedBuffer(0, bytes, Pinned: false, record);
        memory = array;
        return true;
    }

    /// <summary>
    /// Offers output 0 of the node about to run the buffer of one of its inputs at <paramref name="positions"/> (static
    /// candidates from <see cref="ExecutionPlan.InPlaceInputs"/>): the largest input whose buffer this run handed out and
    /// no other live slot references. The node's first allocation takes it when type and length match; see
    /// <see cref="EndInPlace"/>.
    /// </summary>
    public void OfferInPlace(Value?[] inputs, int[] positions)
    {
        if (!_recycle || _owned.Count == 0) return;
        Tensor? best = null;
        foreach (int k in positions)
        {
            if (inputs[k] is not Tensor t || t.Length == 0 || (best is not null && t.Length <= best.Length)) continue;
            if (SoleOwner(t)) best = t;
        }
        _offer = best;
    }

    /// <summary>
    /// Closes the node's in-place offer. When an allocation took it, output 0 must be exactly the input's memory:
    /// anything else means the op broke its <see cref="Op.InPlaceInputs"/> contract (a temporary got the input's bytes).
    /// </summary>
    public void EndInPlace(Value?[] outputs, IR.Node node)
    {
        _offer = null;
        if (_offerTaken is not { } taken) return;
        _offerTaken = null;
        if (outputs.Length == 0 || outputs[0] is not Tensor y || !SameMemory(y, taken))
            throw new InvalidOperationException(
                $"Node '{node.DisplayName}' ({node.OpType}) took its input's buffer for in-place execution but did not return it as output 0.");
    }

    private static bool SameMemory(Tensor a, Tensor b) =>
        a.DataType == b.DataType && a.Length == b.Length && ReferenceEquals(a.StorageArray, b.StorageArray)
        && Unsafe.AreSame(ref MemoryMarshal.GetReference(a.RawBytes()), ref MemoryMarshal.GetReference(b.RawBytes()));

    /// <summary>Whether t's buffer was handed out by this run and exactly one live slot references it (not pinned).</summary>
    private bool SoleOwner(Tensor t)
    {
        var array = t.StorageArray;
        if (array is null) return false;
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_owned, array);
        if (Unsafe.IsNullRef(ref entry)) return false;
        if (entry.Bytes < 0) return _arena!.IsSoleReference(t, (int)(-1 - entry.Bytes));
        return entry.Refs == 1 && !entry.Pinned;
    }

    private void Track(Value? value, int delta)
    {
        switch (value)
        {
            case null:
                return;
            case Tensor t:
                Count(t, delta);
                return;
            case OptionalValue o:
                Track(o.Inner, delta);
                return;
            case SequenceValue or MapValue:
                if (delta > 0) Pin(value);
                return;
            default:
                StopTracking(); // a value kind we cannot look inside: stop returning buffers for this execution
                return;
        }
    }

    private void Count(Tensor t, int delta)
    {
        var array = t.StorageArray;
        if (array is null)
        {
            if (delta > 0 && t.Length > 0) StopTracking(); // storage we cannot identify may alias one of ours
            return;
        }
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_owned, array);
        if (Unsafe.IsNullRef(ref entry)) return;
        if (entry.Bytes < 0)
        {
            _arena!.Count(t, (int)(-1 - entry.Bytes), delta);
            return;
        }
        entry.Refs += delta;
        if (entry.Record >= 0 && delta > 0) _recorder!.Referenced(entry.Record);
        if (entry.Refs == 0 && !entry.Pinned)
        {
            long bytes = entry.Bytes;
            if (entry.Record >= 0) _recorder!.Freed(entry.Record, _step);
            _owned.Remove(array);
            if (bytes >= TensorBufferPool.MinPooledBytes) Pool!.Return(array, bytes);
        }
    }

    /// <summary>Buffers reachable from a sequence or map are never returned (the containers are mutable lists).</summary>
    private void Pin(Value? value)
    {
        switch (value)
        {
            case Tensor t when t.StorageArray is { } array:
                ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_owned, array);
                if (Unsafe.IsNullRef(ref entry)) return;
                if (entry.Bytes < 0) _arena!.Pin(t, (int)(-1 - entry.Bytes));
                else
                {
                    entry.Pinned = true;
                    if (entry.Record >= 0) _recorder!.Pinned(entry.Record);
                }
                return;
            case OptionalValue o: Pin(o.Inner); return;
            case SequenceValue s: foreach (var item in s.Items) Pin(item); return;
            case MapValue m: Pin(m.Keys); Pin(m.Values); return;
        }
    }

    private void StopTracking()
    {
        _recycle = false;
        _recorder?.Invalidate();
        if (_arena is not null) _arena.Disabled = true;
    }

    /// <summary>A buffer this execution handed out: Bytes &lt; 0 marks arena k = −1 − Bytes; Record: the recorder's id or −1.</summary>
    private record struct OwnedBuffer(int Refs, long Bytes, bool Pinned, int Record);

    private sealed class UnsetValue : Value;
}
