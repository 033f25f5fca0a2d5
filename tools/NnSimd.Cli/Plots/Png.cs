namespace NnSimd.Cli.Plots;

/// <summary>Saves a ScottPlot figure as PNG, atomically: rendered to a temporary file beside the target, then renamed.</summary>
internal static class Png
{
    public static void Save(ScottPlot.Plot plot, string path, int width, int height) => Write(path, Render(plot, width, height));

    /// <summary>The PNG bytes of <paramref name="plot"/>: drawing is kept apart from writing, so a command can draw before it writes anything.</summary>
    public static byte[] Render(ScottPlot.Plot plot, int width, int height) => plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png);

    /// <summary>
    /// The figure in a hidden file beside <paramref name="path"/>, then renamed over it, as the library writes its
    /// files: an interrupted write leaves the old file (or none), never half a PNG.
    /// </summary>
    public static void Write(string path, byte[] png)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(png);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
