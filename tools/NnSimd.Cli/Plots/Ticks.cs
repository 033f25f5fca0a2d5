using System.Globalization;
using ScottPlot.TickGenerators;

namespace NnSimd.Cli.Plots;

/// <summary>Tick marks for axes whose values are counts (layers) or powers of ten (a log10 axis).</summary>
internal static class Ticks
{
    /// <summary>Ticks at <see cref="WholeNumbers"/>.</summary>
    public static NumericManual Integers(int first, int last)
    {
        var ticks = new NumericManual();
        foreach (int i in WholeNumbers(first, last))
        {
            ticks.AddMajor(i, i.ToString(CultureInfo.InvariantCulture));
        }

        return ticks;
    }

    /// <summary>
    /// Whole numbers from <paramref name="first"/> to <paramref name="last"/> (at least 0): every one, or the
    /// multiples of 2, 5, 10, 20, ... so that there are at most a dozen.
    /// </summary>
    public static IEnumerable<int> WholeNumbers(int first, int last)
    {
        int step = 1;
        for (int scale = 1; (last - first) / step >= 12; scale *= 10)
        {
            step = (last - first) / scale < 24 ? 2 * scale : (last - first) / scale < 60 ? 5 * scale : 10 * scale;
        }

        for (int i = (first + step - 1) / step * step; i <= last; i += step)
        {
            yield return i;
        }
    }

    /// <summary>
    /// For an axis that holds log10 of the values: a labelled tick at each power of ten (1e-6, 1e-5, ...) and
    /// unlabelled ones at 2..9 times it, so it reads as a log scale.
    /// </summary>
    public static NumericManual Decades(IEnumerable<double> log10Values)
    {
        double[] values = log10Values.ToArray();
        int low = (int)Math.Floor(values.Min());
        int high = (int)Math.Ceiling(values.Max());
        var ticks = new NumericManual();
        for (int e = low; e <= high; e++)
        {
            ticks.AddMajor(e, string.Create(CultureInfo.InvariantCulture, $"1e{e}"));
            for (int m = 2; m <= 9 && e < high; m++)
            {
                ticks.AddMinor(e + Math.Log10(m));
            }
        }

        return ticks;
    }
}
