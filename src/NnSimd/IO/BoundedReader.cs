using System.IO.Compression;

namespace NnSimd.IO;

/// <summary>
/// Reads a file's bytes, through gzip when it starts with the gzip magic, never trusting a size from a header:
/// buffers grow only as bytes actually arrive, so a lying header costs no more memory than the real data.
/// </summary>
internal sealed class BoundedReader : IDisposable
{
    private readonly Stream _file;
    private readonly Stream _stream;

    public BoundedReader(string path)
    {
        Source = path;
        _file = File.OpenRead(path);
        int b0 = _file.ReadByte();
        int b1 = _file.ReadByte();
        _file.Position = 0;
        IsGzip = b0 == 0x1f && b1 == 0x8b;
        _stream = IsGzip ? new GZipStream(_file, CompressionMode.Decompress) : _file;
    }

    public string Source { get; }

    public bool IsGzip { get; }

    /// <summary>Bytes consumed so far (decompressed bytes for gzip).</summary>
    public long Position { get; private set; }

    /// <summary>For a raw file, the bytes left; for gzip, unknown (null).</summary>
    public long? Remaining => IsGzip ? null : _file.Length - Position;

    /// <summary>Reads exactly <paramref name="count"/> bytes or fails naming what was expected.</summary>
    public byte[] ReadExactly(long count, string what)
    {
        if (count < 0 || count > Array.MaxLength)
        {
            throw new NnSimdFormatException(Source, Position, $"{what}: {count} bytes is more than one array can hold.");
        }

        if (Remaining is long left && count > left)
        {
            throw new NnSimdFormatException(Source, Position, $"truncated: {what} needs {count} bytes but only {left} remain.");
        }

        // Grow as data arrives: start small, double up to the claimed size.
        var buffer = new byte[(int)Math.Min(count, 1 << 20)];
        long filled = 0;
        while (filled < count)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(count, (long)buffer.Length * 2));
            }

            int n = Read(buffer.AsSpan((int)filled, (int)(buffer.Length - filled)));
            if (n == 0)
            {
                throw new NnSimdFormatException(Source, Position, $"truncated: {what} needs {count} bytes but the data ends after {filled}.");
            }

            filled += n;
        }

        return buffer;
    }

    /// <summary>Fails when anything follows the data the format describes.</summary>
    public void ExpectEnd()
    {
        Span<byte> one = stackalloc byte[1];
        if (Read(one) != 0)
        {
            throw new NnSimdFormatException(Source, Position - 1, "unexpected bytes after the end of the data.");
        }
    }

    private int Read(Span<byte> destination)
    {
        int n;
        try
        {
            n = _stream.Read(destination);
        }
        catch (InvalidDataException e)
        {
            throw new NnSimdFormatException(Source, Position, $"corrupt gzip stream ({e.Message}).");
        }

        Position += n;
        return n;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _file.Dispose();
    }
}
