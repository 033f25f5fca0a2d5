using System.Security.Cryptography;

namespace NnSimd.Cli.Data;

/// <summary>
/// Where the CLI finds its data: <c>--data DIR</c>, else <c>NNSIMD_DATA</c>, else a per-user cache directory.
/// A known file that is missing is downloaded (unless offline), verified against its SHA-256, and only then
/// renamed into place: a bad or partial download never becomes a file the CLI reads.
/// </summary>
internal sealed class DataDirectory(string root, bool offline, Func<KnownFile, Uri>? mirror = null)
{
    public string Root { get; } = root;

    public static DataDirectory Resolve(string? option, bool offline)
    {
        string root = option
            ?? Environment.GetEnvironmentVariable("NNSIMD_DATA")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "nnsimd");
        // NNSIMD_MIRROR replaces every download's host and path prefix (a local server in tests, an internal mirror at work).
        string? mirror = Environment.GetEnvironmentVariable("NNSIMD_MIRROR");
        return new DataDirectory(root, offline, mirror is null ? null : f => new Uri(new Uri(mirror.TrimEnd('/') + "/"), f.RelativePath));
    }

    /// <summary>The local path of <paramref name="file"/>, downloading it first when it is missing.</summary>
    public string Get(KnownFile file, Action<string>? log = null)
    {
        string path = Path.Combine(Root, file.RelativePath);
        string flat = Path.Combine(Root, Path.GetFileName(file.RelativePath));
        if (File.Exists(path))
        {
            return path;
        }

        if (File.Exists(flat))
        {
            return flat;
        }

        if (offline)
        {
            throw new FileNotFoundException($"{path} is missing and --offline forbids downloading it.", path);
        }

        Uri source = mirror?.Invoke(file) ?? new Uri(file.Url);
        log?.Invoke($"downloading {source} -> {path}");
        Downloader.Fetch(source, path, file.Sha256, file.Bytes);
        return path;
    }
}

/// <summary>Downloads to a temporary file beside the destination, checks size and SHA-256, then renames.</summary>
internal static class Downloader
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(5) };

    public static void Fetch(Uri source, string destination, string sha256, long maxBytes)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(destination)}.{Environment.ProcessId}.download");
        try
        {
            using (HttpResponseMessage response = Http.GetAsync(source, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult())
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new IOException($"{source}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
                }

                using Stream body = response.Content.ReadAsStream();
                using var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
                var buffer = new byte[81920];
                long total = 0;
                int n;
                while ((n = body.Read(buffer)) > 0)
                {
                    total += n;
                    if (total > maxBytes)
                    {
                        throw new IOException($"{source}: more than the expected {maxBytes} bytes; refusing the file.");
                    }

                    file.Write(buffer, 0, n);
                }
            }

            string actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(temporary)));
            if (actual != sha256)
            {
                throw new IOException($"{source}: SHA-256 {actual} does not match the expected {sha256}; the file was discarded.");
            }

            File.Move(temporary, destination, overwrite: false);
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"{source}: {e.Message}", e);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
