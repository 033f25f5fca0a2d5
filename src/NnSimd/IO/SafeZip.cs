using System.IO.Compression;

namespace NnSimd.IO;

/// <summary>
/// Reads the members of a zip file (.npz, torch.save) into memory without trusting its directory: member names
/// that climb out (<c>../</c>), are absolute or hold a backslash are refused, and the bytes actually inflated are
/// counted against a budget, so a zip bomb stops at the budget rather than at the end of memory.
/// </summary>
internal sealed class SafeZip : IDisposable
{
    /// <summary>The most a file may inflate to: generous for MLP weights (torch stores them uncompressed).</summary>
    public const long MaxInflatedBytes = 1L << 31;

    private readonly ZipArchive _zip;
    private readonly long _budget;
    private long _inflated;

    public SafeZip(string path)
    {
        Source = path;
        long size = new FileInfo(path).Length;
        try
        {
            _zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new NnSimdFormatException(path, null, $"not a readable zip file ({e.Message.TrimEnd('.')}).");
        }

        // Stored members inflate to their own size; deflated weights rarely shrink below a quarter.
        _budget = Math.Min(MaxInflatedBytes, Math.Max(1L << 20, 64 * size));
        try
        {
            // The central directory is read here, lazily, and its inconsistencies surface as InvalidDataException.
            foreach (ZipArchiveEntry entry in _zip.Entries)
            {
                string name = entry.FullName;
                if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Split('/').Any(part => part == ".."))
                {
                    throw new NnSimdFormatException(path, null, $"zip member '{name}' points outside the archive; refusing the file.");
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or NnSimdFormatException)
        {
            _zip.Dispose();
            throw e as NnSimdFormatException ?? new NnSimdFormatException(path, null, $"not a readable zip file ({e.Message.TrimEnd('.')}).");
        }
    }

    public string Source { get; }

    public IEnumerable<ZipArchiveEntry> Entries => _zip.Entries;

    public ZipArchiveEntry? Find(string name) => _zip.GetEntry(name);

    /// <summary>All of <paramref name="entry"/>'s bytes, counted against the file's budget as they arrive.</summary>
    public byte[] Read(ZipArchiveEntry entry)
    {
        if (entry.Length > _budget - _inflated)
        {
            throw new NnSimdFormatException(Source, null, $"member '{entry.FullName}' says it inflates to {entry.Length} bytes, past the {_budget}-byte budget for a file of this size: refusing a likely zip bomb.");
        }

        using Stream stream = OpenEntry(entry);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = ReadChunk(stream, chunk, entry)) > 0)
        {
            _inflated += n;
            if (_inflated > _budget)
            {
                throw new NnSimdFormatException(Source, null,
                    $"member '{entry.FullName}' inflates past the {_budget}-byte budget for a file of this size: refusing a likely zip bomb.");
            }

            buffer.Write(chunk, 0, n);
        }

        if (buffer.Length != entry.Length)
        {
            throw new NnSimdFormatException(Source, null, $"member '{entry.FullName}' holds {buffer.Length} bytes but its directory says {entry.Length}.");
        }

        return buffer.ToArray();
    }

    public void Dispose() => _zip.Dispose();

    /// <summary>A member's bytes; a corrupt deflate stream or an unknown method fails here, as a format error.</summary>
    private int ReadChunk(Stream stream, byte[] chunk, ZipArchiveEntry entry)
    {
        try
        {
            return stream.Read(chunk);
        }
        catch (InvalidDataException e)
        {
            throw new NnSimdFormatException(Source, null, $"member '{entry.FullName}': {e.Message}");
        }
    }

    private Stream OpenEntry(ZipArchiveEntry entry)
    {
        try
        {
            return entry.Open();
        }
        catch (InvalidDataException e)
        {
            throw new NnSimdFormatException(Source, null, $"member '{entry.FullName}': {e.Message}");
        }
    }
}
