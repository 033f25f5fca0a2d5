using System.Security.Cryptography;

namespace NnSimd.Data;

/// <summary>
/// Downloads to a temporary file beside the destination, checks size and SHA-256, then renames. A failed
/// download leaves nothing behind: no partial file, and none of the folders it had to create.
/// </summary>
internal static class Downloader
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly HttpClient Http = new() { Timeout = Timeout };

    public static void Fetch(Uri source, string destination, string sha256, long maxBytes)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        List<string> created = CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(destination)}.{Environment.ProcessId}.download");
        bool done = false;
        try
        {
            Download(source, temporary, maxBytes);
            string actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(temporary)));
            if (actual != sha256)
            {
                throw new IOException($"{source}: SHA-256 {actual} does not match the expected {sha256}; the file was discarded.");
            }

            MoveIntoPlace(temporary, destination);
            done = true;
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            if (!done)
            {
                RemoveEmpty(created);
            }
        }
    }

    private static void Download(Uri source, string temporary, long maxBytes)
    {
        try
        {
            using HttpResponseMessage response = Http.GetAsync(source, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
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
        catch (HttpRequestException e)
        {
            throw new IOException($"{source}: {e.Message.TrimEnd('.')}.", e);
        }
        catch (TaskCanceledException e)
        {
            // HttpClient reports its timeout as a cancellation; for the user it is a network failure like any other.
            throw new IOException($"{source}: no complete answer within {Timeout.TotalMinutes:F0} minutes.", e);
        }
    }

    private static void MoveIntoPlace(string temporary, string destination)
    {
        try
        {
            File.Move(temporary, destination, overwrite: false);
        }
        catch (IOException) when (File.Exists(destination))
        {
            // Another process fetched and verified the same file first; its copy is as good as ours.
        }
    }

    /// <summary>Creates <paramref name="directory"/> and returns the folders that did not exist before, deepest first.</summary>
    private static List<string> CreateDirectory(string directory)
    {
        var missing = new List<string>();
        for (string? d = directory; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d))
        {
            missing.Add(d);
        }

        Directory.CreateDirectory(directory);
        return missing;
    }

    /// <summary>Removes folders this download created, deepest first, stopping at the first that is no longer empty.</summary>
    private static void RemoveEmpty(List<string> created)
    {
        foreach (string d in created)
        {
            try
            {
                Directory.Delete(d, recursive: false);
            }
            catch (DirectoryNotFoundException)
            {
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Something else now lives there (another process's download, say): it is no longer ours to remove.
                return;
            }
        }
    }
}
