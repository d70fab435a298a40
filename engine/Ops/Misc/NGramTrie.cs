namespace NativeInfer.Ops.Misc;

/// <summary>
/// The n-gram pool of TfIdfVectorizer as a trie over tokens: a walk from the root along a candidate n-gram finds
/// whether it (and each of its prefixes) is in the pool without building a key per candidate.
/// </summary>
internal sealed class NGramTrie<T> where T : notnull
{
    private readonly Dictionary<(int Node, T Token), int> _children = new();
    private readonly List<int> _gramAt = [-1]; // per node: the pool n-gram ending there, or -1
    private readonly long[] _slots;

    private NGramTrie(long[] slots) => _slots = slots;

    /// <summary>Output slot of pool n-gram g.</summary>
    public int Slot(int g) => (int)_slots[g];

    public static NGramTrie<T> Build(T[] pool, long[] starts, long[] indexes, string op)
    {
        var trie = new NGramTrie<T>(indexes);
        int gram = 0;
        for (int level = 0; level < starts.Length; level++)
        {
            int n = level + 1;
            long start = starts[level], end = level + 1 < starts.Length ? starts[level + 1] : pool.Length;
            if (start < 0 || end > pool.Length || end < start || (end - start) % n != 0)
                throw new NotSupportedException($"{op}: ngram_counts does not split the pool into whole {n}-grams.");
            for (long p = start; p < end; p += n)
            {
                if (gram >= indexes.Length) throw new NotSupportedException($"{op}: the pool has more n-grams than ngram_indexes.");
                int node = 0;
                for (int j = 0; j < n; j++) node = trie.ChildOrAdd(node, pool[p + j]);
                trie._gramAt[node] = gram++;
            }
        }
        if (gram != indexes.Length) throw new NotSupportedException($"{op}: the pool has {gram} n-grams but ngram_indexes has {indexes.Length}.");
        return trie;
    }

    private int ChildOrAdd(int node, T token)
    {
        if (_children.TryGetValue((node, token), out int child)) return child;
        child = _gramAt.Count;
        _gramAt.Add(-1);
        _children[(node, token)] = child;
        return child;
    }

    /// <summary>Adds to <paramref name="counts"/> (per pool n-gram) every occurrence in <paramref name="row"/>.</summary>
    public void Count(ReadOnlySpan<T> row, int minN, int maxN, int maxSkip, int[] counts)
    {
        for (int start = 0; start < row.Length; start++)
            for (int skip = 0; skip <= maxSkip; skip++)
            {
                int node = 0;
                for (int j = 0; j < maxN; j++)
                {
                    long pos = start + (long)j * (skip + 1);
                    if (pos >= row.Length || !_children.TryGetValue((node, row[(int)pos]), out node)) break;
                    int n = j + 1;
                    // Unigrams have no gap: count them on the first skip only.
                    if (n >= minN && _gramAt[node] >= 0 && (n > 1 || skip == 0)) counts[_gramAt[node]]++;
                }
                if (maxN == 1) break;
            }
    }
}
