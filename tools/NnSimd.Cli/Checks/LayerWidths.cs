using System.Globalization;

namespace NnSimd.Cli.Checks;

/// <summary><c>--layers 784,50,100,10</c>: at least two widths (inputs and outputs), each a positive whole number.</summary>
internal static class LayerWidths
{
    /// <summary>Wide enough for any MLP this tool trains; wider would only be a typo (or an out-of-memory).</summary>
    public const int MaxWidth = 1 << 16;

    public static string? Problem(string? text)
    {
        string[] parts = (text ?? "").Split(',');
        if (parts.Length < 2)
        {
            return $"'{text}' needs at least two widths, inputs first, e.g. 784,50,100,10.";
        }

        foreach (string part in parts)
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width < 1 || width > MaxWidth)
            {
                return $"'{text}': '{part}' is not a width from 1 to {MaxWidth}.";
            }
        }

        return null;
    }

    public static int[] Parse(string text) =>
        text.Split(',').Select(w => int.Parse(w.Trim(), NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
}
