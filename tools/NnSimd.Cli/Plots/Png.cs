using NnSimd.IO;

namespace NnSimd.Cli.Plots;

/// <summary>Saves a ScottPlot figure as PNG, atomically: rendered to a temporary file beside the target, then renamed.</summary>
internal static class Png
{
    public static void Save(ScottPlot.Plot plot, string path, int width, int height) => Write(path, Render(plot, width, height));

    /// <summary>The PNG bytes of <paramref name="plot"/>: drawing is kept apart from writing, so a command can draw before it writes anything.</summary>
    public static byte[] Render(ScottPlot.Plot plot, int width, int height) => plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);

    public static void Write(string path, byte[] png) => AtomicFile.Write(path, stream => stream.Write(png));
}
