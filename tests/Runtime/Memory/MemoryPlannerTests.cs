using NativeInfer.Runtime;
using Xunit;

namespace NativeInfer.Tests.Runtime.Memory;

/// <summary>The placement algorithm on hand-made lifetimes: known offsets, lower bounds and the no-overlap verifier.</summary>
public class MemoryPlannerTests
{
    [Fact]
    public void AChainReusesTheBytesOfDeadBuffers()
    {
        // a → b → c → d, each read only by the next: at most two live at once.
        var buffers = new[]
        {
            new BufferLifetime(1024, 0, 1), new BufferLifetime(1024, 1, 2), new BufferLifetime(1024, 2, 3), new BufferLifetime(1024, 3, 3),
        };
        var layout = MemoryPlanner.Place(buffers);
        Assert.Equal(2048, layout.LowerBoundBytes);
        Assert.Equal(2048, layout.ArenaBytes);
        Assert.Equal(layout.Offsets[0], layout.Offsets[2]);
        Assert.Equal(layout.Offsets[1], layout.Offsets[3]);
        Assert.NotEqual(layout.Offsets[0], layout.Offsets[1]);
        MemoryPlanner.Verify(buffers, layout);
    }

    [Fact]
    public void LowerBoundIsTheLargestSumLiveAtOneStep()
    {
        var buffers = new[]
        {
            new BufferLifetime(100, 0, 4), new BufferLifetime(300, 1, 2), new BufferLifetime(50, 2, 3), new BufferLifetime(500, 4, 5),
        };
        // step 2: 100 + 300 + 50 = 450; step 4: 100 + 500 = 600.
        Assert.Equal(600, MemoryPlanner.LowerBound(buffers));
        var layout = MemoryPlanner.Place(buffers, alignment: 1);
        Assert.Equal(600, layout.ArenaBytes);
        MemoryPlanner.Verify(buffers, layout, alignment: 1);
    }

    [Fact]
    public void OffsetsAreAlignedAndSizesRoundedUp()
    {
        var buffers = new[] { new BufferLifetime(10, 0, 1), new BufferLifetime(10, 0, 1), new BufferLifetime(70, 1, 1) };
        var layout = MemoryPlanner.Place(buffers);
        Assert.All(layout.Offsets, o => Assert.Equal(0, o % 64));
        Assert.Equal(64 + 64 + 128, layout.ArenaBytes);
        Assert.Equal(90, layout.LowerBoundBytes);
        MemoryPlanner.Verify(buffers, layout);
    }

    [Fact]
    public void BestFitTakesTheSmallestGapThatHolds()
    {
        // Two holes open at step 3: 1024 bytes (x) and 256 bytes (y), between long-lived buffers; a 200-byte buffer
        // born at step 3 goes into the small hole, leaving the large one whole.
        var buffers = new List<BufferLifetime>
        {
            new(4096, 0, 9), // 0: long-lived, largest: offset 0
            new(1024, 0, 2), // 1: x
            new(2048, 0, 9), // 2: long-lived
            new(256, 0, 2),  // 3: y
            new(1024, 0, 9), // 4: long-lived
            new(240, 0, 9),  // 5: long-lived, placed above y: y's hole is bounded
            new(200, 3, 4),  // 6: fits y's hole best
        };
        var layout = MemoryPlanner.Place(buffers);
        MemoryPlanner.Verify(buffers, layout);
        Assert.Equal(layout.Offsets[3], layout.Offsets[6]);
        Assert.NotEqual(layout.Offsets[1], layout.Offsets[6]);
    }

    [Fact]
    public void VerifierRejectsOverlappingLiveBuffers()
    {
        var buffers = new[] { new BufferLifetime(128, 0, 2), new BufferLifetime(128, 1, 3) };
        var bad = new MemoryLayout([0, 64], 192, 256);
        Assert.Throws<InvalidOperationException>(() => MemoryPlanner.Verify(buffers, bad));
        var disjointInTime = new[] { new BufferLifetime(128, 0, 1), new BufferLifetime(128, 2, 3) };
        MemoryPlanner.Verify(disjointInTime, new MemoryLayout([0, 0], 128, 128)); // same bytes, never live together
    }

    [Fact]
    public void RandomLifetimesNeverOverlapAndStayNearTheBound()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            var buffers = new List<BufferLifetime>();
            for (int i = 0; i < 60; i++)
            {
                int first = rng.Next(40);
                buffers.Add(new BufferLifetime(rng.Next(0, 1 << 16), first, first + rng.Next(6)));
            }
            var layout = MemoryPlanner.Place(buffers);
            MemoryPlanner.Verify(buffers, layout);
            Assert.True(layout.ArenaBytes >= layout.LowerBoundBytes);
        }
    }

    [Fact]
    public void InvalidLifetimesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => MemoryPlanner.Place([new BufferLifetime(10, 3, 2)]));
        Assert.Throws<ArgumentException>(() => MemoryPlanner.Place([new BufferLifetime(-1, 0, 0)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryPlanner.Place([], alignment: 48));
    }

    [Fact]
    public void NoBuffersMeansAnEmptyArena()
    {
        var layout = MemoryPlanner.Place([]);
        Assert.Equal(0, layout.ArenaBytes);
        Assert.Equal(0, layout.LowerBoundBytes);
    }
}
