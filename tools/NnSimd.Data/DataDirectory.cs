namespace NnSimd.Data;

/// <summary>
/// Where the CLI finds its data: <c>--data DIR</c>, else <c>NNSIMD_DATA</c>, else a per-user cache directory.
/// A known file that is missing is downloaded (unless offline), verified against its SHA-256, and only then
/// renamed into place: a bad or partial download never becomes a file the CLI reads. When a file can be
/// neither found nor fetched, the error says which folder was looked in, how it was chosen, and what to do.
/// </summary>
/// <param name="root">The folder the files are in, or are downloaded into.</param>
/// <param name="offline">Whether a missing file is an error rather than a download.</param>
/// <param name="mirror">Where each file is downloaded from, instead of its usual address (the tests' local mirror).</param>
/// <param name="origin">How <paramref name="root"/> was chosen and which other places were passed over, for messages.</param>
public sealed class DataDirectory(string root, bool offline, Func<KnownFile, Uri>? mirror = null, string origin = "the folder given")
{
    public const string Variable = "NNSIMD_DATA";
    public const string MirrorVariable = "NNSIMD_MIRROR";

    public string Root { get; } = root;

    public string Origin { get; } = origin;

    public static DataDirectory Resolve(string? option, bool offline) =>
        Resolve(option, offline, Environment.GetEnvironmentVariable, DefaultCache());

    /// <summary>The resolution with the environment and the cache folder passed in, so tests need not change the process's.</summary>
    public static DataDirectory Resolve(string? option, bool offline, Func<string, string?> environment, string? cache)
    {
        string? variable = NullIfEmpty(environment(Variable));
        string cacheText = cache ?? "(none: this user has no home folder)";
        (string? root, string origin) = (option, variable) switch
        {
            ({ } o, null) => (o, $"from --data; ${Variable} is not set; the per-user cache {cacheText} was not consulted"),
            ({ } o, { } v) => (o, $"from --data; ${Variable}={v} and the per-user cache {cacheText} were not consulted"),
            (null, { } v) => (v, $"from ${Variable}, as no --data was given; the per-user cache {cacheText} was not consulted"),
            _ => (cache, $"the per-user cache, as no --data was given and ${Variable} is not set"),
        };
        if (root is null)
        {
            throw new IOException($"No data folder: no --data was given, ${Variable} is not set, and this user has no home folder for a cache; pass --data DIR.");
        }

        // NNSIMD_MIRROR replaces every download's host and path prefix (a local server in tests, an internal mirror at work).
        string? mirror = NullIfEmpty(environment(MirrorVariable));
        if (mirror is null)
        {
            return new DataDirectory(root, offline, null, origin);
        }

        if (!Uri.TryCreate(mirror.TrimEnd('/') + "/", UriKind.Absolute, out Uri? prefix) || prefix.Scheme is not ("http" or "https"))
        {
            throw new IOException($"${MirrorVariable}={mirror}: not an http:// or https:// URL.");
        }

        return new DataDirectory(root, offline, f => new Uri(prefix, f.RelativePath), origin);
    }

    /// <summary>The per-user cache folder (<c>~/.local/share/nnsimd</c> on Linux), or null without a home folder.</summary>
    public static string? DefaultCache()
    {
        // Not created here: a folder appears only when a download into it succeeds.
        string local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return local.Length == 0 ? null : Path.Combine(local, "nnsimd");
    }

    /// <summary>The local path of <paramref name="file"/> if it is already here, under its own path or flat in the root.</summary>
    public string? Find(KnownFile file)
    {
        string path = Path.Combine(Root, file.RelativePath);
        string flat = Path.Combine(Root, Path.GetFileName(file.RelativePath));
        return File.Exists(path) ? path : File.Exists(flat) ? flat : null;
    }

    /// <summary>The local path of <paramref name="file"/>, downloading it first when it is missing.</summary>
    public string Get(KnownFile file, Action<string>? log = null)
    {
        if (Find(file) is { } found)
        {
            return found;
        }

        string path = Path.Combine(Root, file.RelativePath);
        string folder = Path.GetFullPath(Root);
        string where = $"{folder}{(Directory.Exists(folder) ? "" : ", which does not exist")} ({Origin})";
        Uri source = mirror?.Invoke(file) ?? new Uri(file.Url);
        if (offline)
        {
            throw new MissingDataException(
                $"{file.RelativePath} is not in {where}, and --offline forbids downloading it: drop --offline to fetch it from {source}, or point --data or ${Variable} at a folder that holds it.",
                file, "--offline forbids downloading it");
        }

        log?.Invoke($"downloading {source} -> {path}");
        try
        {
            Downloader.Fetch(source, path, file.Sha256, file.Bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = $"downloading it failed: {e.Message.TrimEnd('.')}";
            throw new MissingDataException(
                $"{file.RelativePath} is not in {where}, and {reason}. Point --data or ${Variable} at a folder that holds it, or put it there; --offline never downloads and fails at once on a missing file.",
                file, reason, e);
        }

        return path;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
