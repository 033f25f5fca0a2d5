using System.Globalization;
using System.Text.RegularExpressions;

namespace NnSimd.IO;

/// <summary>
/// Where one dense layer's parameters come from: the weight and bias tensors' names, the layer's widths, and
/// whether the weight is stored <c>[outputs, inputs]</c> as PyTorch's <c>nn.Linear</c> keeps it (then it is
/// transposed to NnSimd's <c>[inputs, outputs]</c> as it loads).
/// </summary>
public sealed record LayerSource(string Weight, string Bias, int Inputs, int Outputs, bool Transposed)
{
    /// <summary>The layer as one line: <c>fc1.weight [13x7]^T + fc1.bias: 7 -> 13</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Weight} [{(Transposed ? $"{Outputs}x{Inputs}]^T" : $"{Inputs}x{Outputs}]")} + {Bias}: {Inputs} -> {Outputs}");
}

/// <summary>
/// Maps a set of named tensors onto a chain of dense layers. Two layouts are recognised: NnSimd's and the
/// book's (<c>W1..Wn</c> <c>[in, out]</c>, <c>b1..bn</c>), and PyTorch's (<c>PREFIX.weight</c> <c>[out, in]</c>,
/// <c>PREFIX.bias</c>, such as <c>fc1.weight</c> or an <c>nn.Sequential</c>'s <c>0.weight</c>, <c>2.weight</c>).
/// A chain whose widths do not connect, a layer without its bias, or a tensor that fits neither layout is
/// refused with the names of the tensors found.
/// </summary>
internal static partial class LayerChain
{
    /// <summary>
    /// The layers <paramref name="tensors"/> hold, first to last. PyTorch prefixes are taken in the tensors'
    /// order when <paramref name="inFileOrder"/> (a state_dict keeps its modules' order), else in natural order
    /// of their names (<c>fc2</c> before <c>fc10</c>), which is all a safetensors header can tell.
    /// </summary>
    public static IReadOnlyList<LayerSource> Find(IReadOnlyList<TensorData> tensors, string source, bool inFileOrder)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var byName = new Dictionary<string, TensorData>();
        foreach (TensorData t in tensors)
        {
            byName[t.Name] = t;
        }

        List<LayerSource> chain = byName.ContainsKey("W1") ? NnSimdLayout(byName, source) : PyTorchLayout(tensors, byName, source, inFileOrder);
        for (int i = 1; i < chain.Count; i++)
        {
            if (chain[i].Inputs != chain[i - 1].Outputs)
            {
                throw Refuse(source, byName, $"{chain[i].Weight} takes {chain[i].Inputs} inputs but {chain[i - 1].Weight} gives {chain[i - 1].Outputs} outputs: the layers do not connect");
            }
        }

        return chain;
    }

    private static List<LayerSource> NnSimdLayout(Dictionary<string, TensorData> byName, string source)
    {
        var chain = new List<LayerSource>();
        for (int i = 1; byName.TryGetValue($"W{i}", out TensorData? w); i++)
        {
            string bias = $"b{i}";
            if (w.Shape.Count != 2 || w.Floats is null)
            {
                throw Refuse(source, byName, $"W{i} must be a 2-D float tensor, not {w.SourceDType} {w.ShapeText}");
            }

            CheckBias(byName, bias, w.Name, w.Shape[1], source);
            chain.Add(new LayerSource(w.Name, bias, w.Shape[0], w.Shape[1], false));
        }

        string[] unknown = byName.Keys.Where(k => !chain.Any(l => l.Weight == k || l.Bias == k)).ToArray();
        if (unknown.Length > 0)
        {
            throw Refuse(source, byName, $"{string.Join(", ", unknown)} belong to no layer W1..W{chain.Count}");
        }

        return chain;
    }

    private static List<LayerSource> PyTorchLayout(IReadOnlyList<TensorData> tensors, Dictionary<string, TensorData> byName, string source, bool inFileOrder)
    {
        var prefixes = new List<string>();
        foreach (TensorData t in tensors)
        {
            string prefix = t.Name.EndsWith(".weight", StringComparison.Ordinal) ? t.Name[..^".weight".Length]
                : t.Name.EndsWith(".bias", StringComparison.Ordinal) ? t.Name[..^".bias".Length]
                : throw Refuse(source, byName, $"'{t.Name}' is neither a W1..Wn/b1..bn tensor nor a PyTorch PREFIX.weight/PREFIX.bias");
            if (!prefixes.Contains(prefix))
            {
                prefixes.Add(prefix);
            }
        }

        if (prefixes.Count == 0)
        {
            throw Refuse(source, byName, "no tensors");
        }

        if (!inFileOrder)
        {
            prefixes.Sort(NaturalOrder);
        }

        var chain = new List<LayerSource>();
        foreach (string prefix in prefixes)
        {
            string weight = prefix + ".weight", bias = prefix + ".bias";
            if (!byName.TryGetValue(weight, out TensorData? w))
            {
                throw Refuse(source, byName, $"{bias} has no {weight}");
            }

            if (w.Shape.Count != 2 || w.Floats is null)
            {
                throw Refuse(source, byName, $"{weight} is {w.SourceDType} {w.ShapeText}, not the 2-D float weight of a linear layer");
            }

            CheckBias(byName, bias, weight, w.Shape[0], source);
            chain.Add(new LayerSource(weight, bias, w.Shape[1], w.Shape[0], true));
        }

        return chain;
    }

    private static void CheckBias(Dictionary<string, TensorData> byName, string bias, string weight, int outputs, string source)
    {
        if (!byName.TryGetValue(bias, out TensorData? b))
        {
            throw Refuse(source, byName, $"{weight} has no bias {bias}");
        }

        if (b.Shape.Count != 1 || b.Floats is null || b.Shape[0] != outputs)
        {
            throw Refuse(source, byName, $"{bias} must be a float vector of {outputs} for {weight}, not {b.SourceDType} {b.ShapeText}");
        }
    }

    /// <summary>Names compared with their runs of digits as numbers: <c>layers.2</c> before <c>layers.10</c>.</summary>
    private static int NaturalOrder(string a, string b)
    {
        string[] x = Digits().Split(a), y = Digits().Split(b);
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            int c = long.TryParse(x[i], NumberStyles.None, CultureInfo.InvariantCulture, out long p) && long.TryParse(y[i], NumberStyles.None, CultureInfo.InvariantCulture, out long q)
                ? p.CompareTo(q)
                : string.CompareOrdinal(x[i], y[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    [GeneratedRegex("([0-9]+)")]
    private static partial Regex Digits();

    private static NnSimdFormatException Refuse(string source, Dictionary<string, TensorData> byName, string problem) =>
        new(source, null, $"{problem}. Tensors found: {string.Join(", ", byName.Values.Select(t => $"{t.Name} {t.ShapeText}"))}.");
}
