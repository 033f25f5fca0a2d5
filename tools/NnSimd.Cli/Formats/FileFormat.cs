using System.Buffers.Binary;
using System.IO.Compression;

namespace NnSimd.Cli.Formats;

/// <summary>The kinds of file the CLI tells apart.</summary>
internal enum FileKind
{
    Unknown,
    SafeTensors,
    Pickle,
    Npy,
    Npz,
    PyTorch,
    Zip,
    Idx,
    Gzip,
    Png,
}

/// <summary>
/// What a file is, from its first bytes rather than its name: a model renamed, or a data file passed where a
/// model goes, is then named for what it is, instead of failing deep inside the wrong parser.
/// </summary>
internal static class FileFormat
{
    public static FileKind Detect(string path)
    {
        Span<byte> head = stackalloc byte[16];
        long length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1))
        {
            length = stream.Length;
            head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y']))
        {
            return FileKind.Npy;
        }

        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8))
        {
            return ZipKind(path);
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']))
        {
            return FileKind.Png;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x1f, 0x8b]))
        {
            return FileKind.Gzip;
        }

        // A pickle of protocol 2 or later opens with PROTO (0x80) and its version.
        if (head.Length >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5)
        {
            return FileKind.Pickle;
        }

        // IDX: two zero bytes, a type code (0x08 = uint8 ... 0x0E = float64) and the number of dimensions.
        if (head.Length >= 4 && head[0] == 0 && head[1] == 0 && head[2] is 0x08 or 0x09 or 0x0B or 0x0C or 0x0D or 0x0E && head[3] is >= 1 and <= 8)
        {
            return FileKind.Idx;
        }

        // safetensors: a little-endian header length that fits the file, then the JSON header's '{'.
        if (head.Length >= 9 && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) <= (ulong)(length - 8))
        {
            return FileKind.SafeTensors;
        }

        return FileKind.Unknown;
    }

    /// <summary>What a file of this kind is, in a few words, for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.SafeTensors => "a safetensors file",
        FileKind.Pickle => "a Python pickle",
        FileKind.Npy => "a NumPy .npy array (one tensor)",
        FileKind.Npz => "a NumPy .npz archive",
        FileKind.PyTorch => "a PyTorch torch.save file",
        FileKind.Zip => "a zip archive that is neither .npz nor PyTorch",
        FileKind.Idx => "an IDX data file (images or labels)",
        FileKind.Gzip => "a gzip file",
        FileKind.Png => "a PNG image",
        _ => "of a format nnsimd does not know",
    };

    /// <summary>An .npz holds only .npy members; torch.save writes <c>NAME/data.pkl</c> beside its storages.</summary>
    private static FileKind ZipKind(string path)
    {
        try
        {
            using ZipArchive zip = ZipFile.OpenRead(path);
            if (zip.Entries.Any(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)))
            {
                return FileKind.PyTorch;
            }

            return zip.Entries.All(e => e.FullName.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) ? FileKind.Npz : FileKind.Zip;
        }
        catch (InvalidDataException)
        {
            return FileKind.Zip;
        }
    }
}
