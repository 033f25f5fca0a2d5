using System.CommandLine;

namespace NnSimd.Cli.Commands;

/// <summary>Options several commands share, defined once.</summary>
internal static class CommonOptions
{
    public static Option<string?> Data() => new("--data")
    {
        Description = "Data directory (default: $NNSIMD_DATA, else the per-user cache ~/.local/share/nnsimd); missing files are downloaded and checked against their SHA-256.",
    };

    public static Option<bool> Offline() => new("--offline") { Description = "Never download: use only the files already in the data directory, and name any that is missing." };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object instead of text." };
}
