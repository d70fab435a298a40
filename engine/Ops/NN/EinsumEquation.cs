using NativeInfer.Tensors;

namespace NativeInfer.Ops.NN;

/// <summary>
/// A parsed Einsum equation ("ij,jk->ik", "...ii", "bij,bjk"). Letters are labels; "..." stands for the broadcast
/// dims, which get labels <see cref="EllipsisBase"/>+j counted so that they align from the right across operands.
/// </summary>
internal sealed class EinsumEquation
{
    private const int EllipsisBase = 1000;

    private EinsumEquation(string[] inputs, string? output)
    {
        Inputs = inputs;
        Output = output;
    }

    /// <summary>Input terms, spaces removed.</summary>
    public string[] Inputs { get; }

    /// <summary>The explicit output term, or null for implicit output.</summary>
    public string? Output { get; }

    public static EinsumEquation Parse(string equation)
    {
        string eq = equation.Replace(" ", "");
        foreach (char ch in eq)
            if (!char.IsAsciiLetter(ch) && ch is not (',' or '.' or '-' or '>'))
                throw new NotSupportedException($"Einsum equation '{equation}' has an invalid character '{ch}'.");
        int arrow = eq.IndexOf("->", StringComparison.Ordinal);
        string lhs = arrow < 0 ? eq : eq[..arrow];
        string? rhs = arrow < 0 ? null : eq[(arrow + 2)..];
        var inputs = lhs.Split(',');
        foreach (var t in inputs.Append(rhs ?? ""))
        {
            string rest = t.Replace("...", "");
            if (t.Length - rest.Length > 3 || rest.Contains('.') || rest.Contains('-') || rest.Contains('>'))
                throw new NotSupportedException($"Einsum equation '{equation}' has a malformed term '{t}'.");
        }
        if (rhs is not null)
        {
            string letters = rhs.Replace("...", "");
            if (letters.Distinct().Count() != letters.Length)
                throw new NotSupportedException($"Einsum output '{rhs}' repeats a label.");
            foreach (char ch in letters)
                if (!inputs.Any(t => t.Contains(ch)))
                    throw new NotSupportedException($"Einsum output label '{ch}' does not appear in any input.");
        }
        return new EinsumEquation(inputs, rhs);
    }

    /// <summary>
    /// Labels of every operand dim, the size bound to each label (size-1 dims broadcast), and the output labels.
    /// </summary>
    public (int[][] Labels, Dictionary<int, int> Sizes, int[] Output) Bind(int[][] shapes)
    {
        int ellipsisRank = 0;
        for (int i = 0; i < Inputs.Length; i++)
        {
            int letters = Inputs[i].Replace("...", "").Length;
            bool hasEllipsis = Inputs[i].Contains("...");
            int extra = shapes[i].Length - letters;
            if (extra < 0 || extra > 0 && !hasEllipsis)
                throw new ShapeMismatchException($"Einsum term '{Inputs[i]}' does not match operand rank {shapes[i].Length}.");
            ellipsisRank = Math.Max(ellipsisRank, extra);
        }
        var labels = new int[Inputs.Length][];
        var sizes = new Dictionary<int, int>();
        for (int i = 0; i < Inputs.Length; i++)
        {
            labels[i] = Expand(Inputs[i], shapes[i].Length - Inputs[i].Replace("...", "").Length, ellipsisRank);
            for (int d = 0; d < labels[i].Length; d++)
            {
                int l = labels[i][d], s = shapes[i][d];
                if (!sizes.TryGetValue(l, out int have) || have == 1) sizes[l] = s;
                else if (s != have && s != 1)
                    throw new ShapeMismatchException($"Einsum label '{Name(l)}' has sizes {have} and {s}.");
            }
        }
        int[] output;
        if (Output is not null) output = Expand(Output, ellipsisRank, ellipsisRank);
        else
        {
            var counts = new Dictionary<char, int>();
            foreach (var t in Inputs)
                foreach (char ch in t.Replace("...", "")) counts[ch] = counts.GetValueOrDefault(ch) + 1;
            var once = counts.Where(kv => kv.Value == 1).Select(kv => (int)kv.Key).Order();
            output = [.. Enumerable.Range(EllipsisBase, ellipsisRank), .. once];
        }
        return (labels, sizes, output);
    }

    /// <summary>Labels of one term whose "..." covers <paramref name="ellipsisDims"/> dims (right-aligned to
    /// <paramref name="ellipsisRank"/>).</summary>
    private static int[] Expand(string term, int ellipsisDims, int ellipsisRank)
    {
        var r = new List<int>();
        int at = term.IndexOf("...", StringComparison.Ordinal);
        string head = at < 0 ? term : term[..at];
        string tail = at < 0 ? "" : term[(at + 3)..];
        r.AddRange(head.Select(ch => (int)ch));
        if (at >= 0)
            for (int j = 0; j < ellipsisDims; j++) r.Add(EllipsisBase + ellipsisRank - ellipsisDims + j);
        r.AddRange(tail.Select(ch => (int)ch));
        return r.ToArray();
    }

    private static string Name(int label) => label >= EllipsisBase ? "..." : ((char)label).ToString();
}
