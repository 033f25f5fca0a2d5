namespace NnSimd.IO;

/// <summary>A file that is not what its format says: names the file and, where known, the byte offset.</summary>
public sealed class NnSimdFormatException : IOException
{
    /// <summary>Creates the exception; the message reads "<c>file</c> at byte <c>offset</c>: <c>problem</c>".</summary>
    public NnSimdFormatException(string file, long? offset, string problem)
        : base(offset is null ? $"{file}: {problem}" : $"{file} at byte {offset}: {problem}")
    {
        File = file;
        Offset = offset;
    }

    /// <summary>The file (or stream name) that failed to parse.</summary>
    public string File { get; }

    /// <summary>The byte offset of the problem, when there is one.</summary>
    public long? Offset { get; }
}
