namespace NnSimd.Cli.Checks;

/// <summary>
/// The physical location a path names, as the kernel sees it: relative to the current directory, every symbolic
/// link along the way followed, and <c>.</c>/<c>..</c> taken after each link (as POSIX does, so
/// <c>link/../x</c> is beside the link's target, not beside the link). Two spellings of one file resolve to the
/// same string; the file itself need not exist yet.
/// </summary>
internal static class RealPath
{
    /// <summary>Links followed before giving up, as Linux's own limit (ELOOP).</summary>
    private const int MaxLinks = 40;

    public static StringComparison Comparison { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public static bool Same(string a, string b) => string.Equals(Resolve(a), Resolve(b), Comparison);

    public static string Resolve(string path)
    {
        int links = 0;
        return Resolve(Path.Combine(Directory.GetCurrentDirectory(), path), path, ref links);
    }

    private static string Resolve(string absolute, string original, ref int links)
    {
        string root = Path.GetPathRoot(absolute) ?? "/";
        string current = root;
        foreach (string part in absolute[root.Length..].Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }

            current = Path.Combine(current, part);
            string? target = new FileInfo(current).LinkTarget;
            if (target is null)
            {
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new IOException($"{original}: too many levels of symbolic links.");
            }

            current = Resolve(Path.Combine(Path.GetDirectoryName(current) ?? root, target), original, ref links);
        }

        return current;
    }
}
