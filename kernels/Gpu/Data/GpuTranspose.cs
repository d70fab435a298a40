using ILGPU;
using ILGPU.Runtime;

namespace NativeInfer.Kernels.Gpu.Data;

/// <summary>
/// Transpose (any permutation, rank ≤ 8, float32). Size-1 dims are dropped and dims that stay adjacent are merged
/// first; a permutation that then swaps the last two dims ([R, C] → [C, R], or batched [B, R, C] → [B, C, R]) runs a
/// 32×32 shared-memory tile per group (reads and writes both coalesced), anything else a strided read.
/// </summary>
public sealed class GpuTranspose
{
    private const int TileDim = 32;
    private const int TileRows = 8;

    private readonly GpuStridedCopy _copy;
    private readonly Action<AcceleratorStream, KernelConfig, int, int, ArrayView<float>, ArrayView<float>> _tiled;

    public GpuTranspose(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        if (accelerator.MaxNumThreadsPerGroup < TileDim * TileRows)
            throw new NotSupportedException($"Transpose needs {TileDim * TileRows} threads per group; {accelerator.Name} allows {accelerator.MaxNumThreadsPerGroup}.");
        _copy = new GpuStridedCopy(accelerator);
        _tiled = accelerator.LoadKernel<int, int, ArrayView<float>, ArrayView<float>>(TiledKernel);
    }

    /// <summary>Enqueues Y = Transpose(X, perm); Y's shape is shape[perm[i]].</summary>
    public void Run(AcceleratorStream stream, ArrayView<float> x, ArrayView<float> y, int[] shape, int[] perm)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(perm);
        int rank = shape.Length;
        if (perm.Length != rank) throw new ArgumentException("The permutation needs one entry per dim.");
        var seen = new bool[rank];
        foreach (int p in perm)
        {
            if (p < 0 || p >= rank || seen[p]) throw new ArgumentException($"[{string.Join(',', perm)}] is not a permutation of rank {rank}.");
            seen[p] = true;
        }
        long count = GpuIndexMap.Count(shape);
        if (count > int.MaxValue) throw new NotSupportedException("GPU tensors are limited to 2^31 - 1 elements.");
        if (x.Length < count || y.Length < count) throw new ArgumentException("X or Y is smaller than the shape.");
        if (count == 0) return;

        var (sizes, strides) = Simplify(shape, perm);
        int r = sizes.Count;
        if (r is 2 or 3 && strides[r - 2] == 1 && strides[r - 1] == sizes[r - 2] && (r == 2 || strides[0] == (long)sizes[1] * sizes[2]))
        {
            // Output [.., C, R] reads input [.., R, C]: output dim r-1 walks input rows (stride C), dim r-2 input columns.
            int rows = sizes[r - 1], cols = sizes[r - 2], batch = r == 3 ? sizes[0] : 1;
            var grid = new Index3D((cols + TileDim - 1) / TileDim, (rows + TileDim - 1) / TileDim, batch);
            _tiled(stream, new KernelConfig(grid, new Index3D(TileDim, TileRows, 1)), rows, cols, x, y);
            return;
        }
        _copy.Read(stream, (int)count, GpuIndexMap.Create(sizes.ToArray(), strides.ToArray()), 0, x, y);
    }

    /// <summary>Output dims (in output order) with their input strides, size-1 dims dropped and adjacent runs merged.</summary>
    internal static (List<int> Sizes, List<long> Strides) Simplify(int[] shape, int[] perm)
    {
        var inStrides = GpuIndexMap.DenseStrides(shape);
        var sizes = new List<int>();
        var strides = new List<long>();
        foreach (int p in perm)
        {
            if (shape[p] == 1) continue;
            int last = sizes.Count - 1;
            if (last >= 0 && strides[last] == inStrides[p] * shape[p])
            {
                sizes[last] *= shape[p];
                strides[last] = inStrides[p];
            }
            else
            {
                sizes.Add(shape[p]);
                strides.Add(inStrides[p]);
            }
        }
        return (sizes, strides);
    }

    /// <summary>x [batch, rows, cols] → y [batch, cols, rows] through a 32×33 shared tile (padding avoids bank conflicts).</summary>
    internal static void TiledKernel(int rows, int cols, ArrayView<float> x, ArrayView<float> y)
    {
        var tile = SharedMemory.Allocate<float>(TileDim * (TileDim + 1));
        int tx = Group.IdxX, ty = Group.IdxY;
        int c0 = Grid.IdxX * TileDim, r0 = Grid.IdxY * TileDim, b = Grid.IdxZ;
        int plane = b * rows * cols;
        for (int j = ty; j < TileDim; j += TileRows)
        {
            int r = r0 + j, c = c0 + tx;
            if (r < rows && c < cols) tile[j * (TileDim + 1) + tx] = x[plane + r * cols + c];
        }
        Group.Barrier();
        for (int j = ty; j < TileDim; j += TileRows)
        {
            int c = c0 + j, r = r0 + tx;
            if (r < rows && c < cols) y[plane + c * rows + r] = tile[tx * (TileDim + 1) + j];
        }
    }
}
