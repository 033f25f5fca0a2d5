using NnSimd.IO;

namespace NnSimd.Cli.Plots;

/// <summary>Saves a ScottPlot figure as PNG, atomically: rendered to a temporary file beside the target, then renamed.</summary>
internal static class Png
{
    public static void Save(ScottPlot.Plot plot, string path, int width, int height)
    {
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{path}: the output must be a .png file.");
        }

        byte[] png = plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
    }
}
