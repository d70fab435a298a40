using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace NativeInfer.Kernels.Threading;

/// <summary>
/// A fixed set of <c>Degree − 1</c> dedicated background threads that run parallel loops together with the calling
/// thread. A session owns one (sized by its intra-op thread count); kernels reach it through
/// <see cref="KernelParallelism.For{TBody}(int, int, ref TBody)"/>.
/// <para>
/// Contract: iterations are handed out dynamically (an atomic counter over chunks); the caller always participates and
/// returns once every iteration has run; an exception from any iteration stops the handing-out of further chunks and
/// is rethrown to the caller. A loop started from inside a loop body, or while another thread's loop occupies the
/// pool, runs inline on the calling thread, so nesting and concurrent sessions' runs never deadlock. Idle workers spin
/// for about <see cref="SpinMicroseconds"/> µs after their last loop, then block (no CPU use). While a caller holds the
/// pool (<see cref="Hold"/>, as a session does for the length of a run) they spin up to
/// <see cref="HeldSpinMicroseconds"/> µs between loops instead: waking a blocked worker took about 150 µs on the 2-vCPU
/// VM this was measured on, so a model's short loops otherwise ran mostly on the caller alone. Workers start on the
/// first parallel loop; <see cref="Dispose"/> (or finalization of an undisposed pool) stops them.
/// </para>
/// </summary>
public sealed class WorkerPool : IDisposable
{
    /// <summary>How long an idle worker polls for the next loop before it blocks.</summary>
    public const int SpinMicroseconds = 50;

    /// <summary>How long a worker polls for the next loop while the pool is held (see <see cref="Hold"/>).</summary>
    public const int HeldSpinMicroseconds = 2000;

    /// <summary>True on a pool worker, and on a caller while it runs its share of a parallel loop.</summary>
    [ThreadStatic] private static bool t_inParallelRegion;

    private readonly Core _core;

    /// <summary>
    /// A pool for <paramref name="degree"/> threads in all: the caller plus <c>degree − 1</c> workers, named
    /// "<paramref name="name"/> N" (the OS sees the first 15 characters).
    /// </summary>
    public WorkerPool(int degree, string name = "NativeInfer")
    {
        if (degree < 1 || degree > MaxDegreeAllowed)
            throw new ArgumentOutOfRangeException(nameof(degree), degree, $"A worker pool has 1 to {MaxDegreeAllowed} threads.");
        ArgumentNullException.ThrowIfNull(name);
        Degree = degree;
        _core = new Core(degree - 1, name);
    }

    /// <summary>Largest degree a pool accepts.</summary>
    public const int MaxDegreeAllowed = 1024;

    /// <summary>Threads a loop on this pool may use, the caller included.</summary>
    public int Degree { get; }

    /// <summary>True once <see cref="Dispose"/> has run; loops then run inline.</summary>
    public bool IsDisposed => _core.IsShutDown;

    /// <summary>True while the current thread is running a parallel loop's body (nested loops run inline).</summary>
    public static bool InParallelRegion => t_inParallelRegion;

    /// <summary>
    /// Runs <c>body.Invoke(i)</c> for every i in [from, to). The body is copied in, shared by all threads during the
    /// loop, and copied back afterwards (so field writes are visible to the caller, racy across threads as usual).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void For<TBody>(int from, int to, ref TBody body) where TBody : struct, IParallelBody
    {
        long count = (long)to - from;
        if (count <= 0) return;
        if (count > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(to), $"A parallel loop covers at most {int.MaxValue} iterations.");
        if (count == 1 || !_core.TryEnter())
        {
            for (int i = from; i < to; i++) body.Invoke(i);
            return;
        }
        _core.RunEntered(from, (int)count, ref body);
    }

    /// <summary>
    /// Marks a stretch of work made of many parallel loops (a session run): until the scope is disposed, idle workers
    /// poll up to <see cref="HeldSpinMicroseconds"/> µs for the next loop before they block, and blocked workers are
    /// woken now, so they are ready when the first loop opens. Holds from several threads nest by count.
    /// </summary>
    public HoldScope Hold()
    {
        _core.Hold();
        return new HoldScope(_core);
    }

    /// <summary>Ends a <see cref="Hold"/>: workers go back to the short idle poll, then block.</summary>
    public readonly struct HoldScope : IDisposable
    {
        private readonly Core? _core;
        internal HoldScope(object core) => _core = (Core)core;
        public void Dispose() => _core?.Release();
    }

    /// <summary>Stops the workers (after any chunk they are running); later loops run inline.</summary>
    public void Dispose()
    {
        _core.Shutdown();
        GC.SuppressFinalize(this);
    }

    ~WorkerPool() => _core?.Shutdown(); // null when the constructor threw

    /// <summary>The state the workers share; it never references the <see cref="WorkerPool"/>, so an abandoned pool is finalized.</summary>
    private sealed unsafe class Core(int workers, string name)
    {
        private static readonly long s_spinTicks = Math.Max(1, Stopwatch.Frequency * SpinMicroseconds / 1_000_000);
        private static readonly long s_heldSpinTicks = Math.Max(1, Stopwatch.Frequency * HeldSpinMicroseconds / 1_000_000);
        private int _holds;
        private const long GenerationMask = unchecked((long)0xFFFF_FFFF_0000_0000);

        // High 32 bits: generation (even: a loop is open; odd: the caller is writing the next loop's fields).
        // Low 32 bits: the next unclaimed iteration, relative to _from. Claims are CAS on this one word, so a worker
        // that read an older loop's state can never claim in a newer loop.
        private long _state;
        private uint _generation;          // caller-side copy; written only while _busy is held
        private int _busy;
        private int _from, _count, _chunk;
        private void* _body;
        private delegate*<void*, int, int, void> _invoke;
        private int _remaining;            // iterations claimed-or-not that have not finished
        private Exception? _error;
        private int _sleepers;
        private readonly object _sleepLock = new();
        private readonly object _startLock = new();
        private volatile bool _started;
        private volatile bool _shutdown;

        public bool IsShutDown => _shutdown;

        public void Hold()
        {
            Interlocked.Increment(ref _holds);
            if (_started && Volatile.Read(ref _sleepers) > 0)
                lock (_sleepLock) Monitor.PulseAll(_sleepLock);
        }

        public void Release() => Interlocked.Decrement(ref _holds);

        public bool TryEnter() =>
            workers > 0 && !t_inParallelRegion && !_shutdown && Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void RunEntered<TBody>(int from, int count, ref TBody body) where TBody : struct, IParallelBody
        {
            try
            {
                if (!_started) Start();
                TBody shared = body;
                uint generation = _generation + 2;
                _generation = generation;
                Interlocked.Exchange(ref _state, (long)(generation - 1) << 32 | uint.MaxValue); // closed while writing
                _from = from;
                _count = count;
                _chunk = Math.Max(1, count / ((workers + 1) * 4));
                _body = Unsafe.AsPointer(ref shared);
                _invoke = &InvokeRange<TBody>;
                _error = null;
                _remaining = count;
                Interlocked.Exchange(ref _state, (long)generation << 32);                       // open
                if (Volatile.Read(ref _sleepers) > 0)
                    lock (_sleepLock) Monitor.PulseAll(_sleepLock);

                t_inParallelRegion = true;
                try { Participate(generation); }
                finally { t_inParallelRegion = false; }

                if (Volatile.Read(ref _remaining) != 0)
                {
                    var spin = new SpinWait();
                    while (Volatile.Read(ref _remaining) != 0) spin.SpinOnce(sleep1Threshold: -1);
                }
                body = shared;
                var error = _error;
                _error = null;
                if (error is not null) ExceptionDispatchInfo.Throw(error);
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void InvokeRange<TBody>(void* body, int start, int end) where TBody : struct, IParallelBody
        {
            ref TBody b = ref Unsafe.AsRef<TBody>(body);
            for (int i = start; i < end; i++) b.Invoke(i);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Participate(uint generation)
        {
            while (true)
            {
                long s = Volatile.Read(ref _state);
                if ((uint)(s >> 32) != generation) return;
                uint next = (uint)s;
                int count = _count;
                if (next >= (uint)count) return;
                uint end = Math.Min(next + (uint)_chunk, (uint)count);
                if (Interlocked.CompareExchange(ref _state, (s & GenerationMask) | end, s) != s) continue;
                // Claimed [next, end): the loop cannot be replaced before these iterations are counted as finished.
                try
                {
                    _invoke(_body, _from + (int)next, _from + (int)end);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                    CloseUnclaimed(generation);
                }
                Interlocked.Add(ref _remaining, -(int)(end - next));
            }
        }

        /// <summary>After a failure: claims every remaining iteration without running it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void CloseUnclaimed(uint generation)
        {
            while (true)
            {
                long s = Volatile.Read(ref _state);
                if ((uint)(s >> 32) != generation) return;
                uint next = (uint)s;
                int count = _count;
                if (next >= (uint)count) return;
                if (Interlocked.CompareExchange(ref _state, (s & GenerationMask) | (uint)count, s) != s) continue;
                Interlocked.Add(ref _remaining, -(int)((uint)count - next));
                return;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Start()
        {
            lock (_startLock)
            {
                if (_started || _shutdown) return;
                for (int i = 0; i < workers; i++)
                    new Thread(WorkerLoop) { IsBackground = true, Name = $"{name} {i + 1}" }.Start();
                _started = true;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void WorkerLoop()
        {
            t_inParallelRegion = true;
            uint seen = 0;
            while (true)
            {
                uint generation = WaitForLoop(seen);
                if (_shutdown) return;
                seen = generation;
                Participate(generation);
            }
        }

        private bool IsNewLoop(uint seen, out uint generation)
        {
            generation = (uint)(Volatile.Read(ref _state) >> 32);
            return generation != seen && (generation & 1) == 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private uint WaitForLoop(uint seen)
        {
            while (true)
            {
                uint generation;
                long start = Stopwatch.GetTimestamp();
                while (!IsNewLoop(seen, out generation))
                {
                    if (_shutdown) return 0;
                    long limit = Volatile.Read(ref _holds) > 0 ? s_heldSpinTicks : s_spinTicks;
                    if (Stopwatch.GetTimestamp() - start > limit) break;
                    Thread.SpinWait(8);
                }
                if (IsNewLoop(seen, out generation)) return generation;
                if (Block(seen, out generation)) return generation;
                // Woken by a hold: poll again.
            }
        }

        /// <summary>
        /// Blocks until a new loop opens (true, with its generation), the pool shuts down (true, 0), or a hold begins
        /// while this worker sleeps (false: the caller polls again).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool Block(uint seen, out uint generation)
        {
            lock (_sleepLock)
            {
                // Dekker pairing with the caller: it publishes the state and then reads _sleepers; we count ourselves
                // and then read the state (both through full fences), so one of us sees the other.
                Interlocked.Increment(ref _sleepers);
                try
                {
                    while (!IsNewLoop(seen, out generation))
                    {
                        if (_shutdown)
                        {
                            generation = 0;
                            return true;
                        }
                        Monitor.Wait(_sleepLock);
                        if (!IsNewLoop(seen, out _) && !_shutdown && Volatile.Read(ref _holds) > 0)
                        {
                            generation = 0;
                            return false;
                        }
                    }
                    return true;
                }
                finally
                {
                    Interlocked.Decrement(ref _sleepers);
                }
            }
        }

        public void Shutdown()
        {
            if (_shutdown) return;
            _shutdown = true;
            lock (_sleepLock) Monitor.PulseAll(_sleepLock);
        }
    }
}
