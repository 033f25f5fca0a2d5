namespace NnSimd.Data;

/// <summary>
/// A known file that is not in the data directory and could not be fetched: the message is the one line the
/// CLI prints; the parts let the tests say the same in their own terms.
/// </summary>
public sealed class MissingDataException(string message, KnownFile file, string reason, Exception? inner = null)
    : IOException(message, inner)
{
    public KnownFile File { get; } = file;

    /// <summary>Why the file could not be fetched: the download's error, or that downloading was forbidden.</summary>
    public string Reason { get; } = reason;
}
