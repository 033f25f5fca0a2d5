using System.Buffers.Binary;
using System.IO.Compression;

namespace NnSimd.IO;

/// <summary>The kinds of file NnSimd tells apart by their first bytes.</summary>
public enum FileKind
{
    /// <summary>None of the kinds below.</summary>
    Unknown,
    /// <summary>safetensors (an NnSimd model, or tensors with PyTorch names).</summary>
    SafeTensors,
    /// <summary>A Python pickle (protocol 2 or later).</summary>
    Pickle,
    /// <summary>A NumPy .npy array.</summary>
    Npy,
    /// <summary>A NumPy .npz archive of .npy members.</summary>
    Npz,
    /// <summary>A torch.save zip file.</summary>
    PyTorch,
    /// <summary>torch.save's legacy (pre-zip) format.</summary>
    PyTorchLegacy,
    /// <summary>Another zip archive.</summary>
    Zip,
    /// <summary>An IDX file (MNIST images or labels).</summary>
    Idx,
    /// <summary>A gzip file.</summary>
    Gzip,
    /// <summary>A PNG image.</summary>
    Png,
}

/// <summary>
/// What a file is, from its first bytes rather than its name: a model renamed, or a data file passed where a
/// model goes, is then named for what it is, instead of failing deep inside the wrong parser.
/// </summary>
public static class FileFormat
{
    private static ReadOnlySpan<byte> LegacyTorchMagic => [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    /// <summary>What <paramref name="path"/> is, from its first bytes (and, for a zip, its member names).</summary>
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

        // safetensors: a little-endian header length that fits the file, then the JSON header's '{'. Checked before
        // the pickle and IDX signatures, which are two bytes: a header of 0x280 bytes opens with 0x80 0x02, as a
        // protocol-2 pickle does, while no pickle has a length that fits its file in its first 8 bytes and '{' after.
        if (head.Length >= 9 && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) <= (ulong)(length - 8))
        {
            return FileKind.SafeTensors;
        }

        // A pickle of protocol 2 or later opens with PROTO (0x80) and its version. torch.save's legacy format is
        // a run of pickles whose first is the magic number 0x1950a86a20f9469cfc6c (a LONG1 of 10 bytes).
        if (head.Length >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5)
        {
            return head.Length >= 14 && head[2] == 0x8a && head[3] == 10 && head[4..14].SequenceEqual(LegacyTorchMagic) ? FileKind.PyTorchLegacy : FileKind.Pickle;
        }

        // IDX: two zero bytes, a type code (0x08 = uint8 ... 0x0E = float64) and the number of dimensions.
        if (head.Length >= 4 && head[0] == 0 && head[1] == 0 && head[2] is 0x08 or 0x09 or 0x0B or 0x0C or 0x0D or 0x0E && head[3] is >= 1 and <= 8)
        {
            return FileKind.Idx;
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
        FileKind.PyTorchLegacy => "a PyTorch file in the legacy format (before torch 1.6, or _use_new_zipfile_serialization=False), which is not read: save it again with a current torch.save",
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
