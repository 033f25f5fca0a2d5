using System.CommandLine;

namespace NnSimd.Cli.Commands;

/// <summary>Options several commands share, defined once.</summary>
internal static class CommonOptions
{
    public static Option<string?> Data() => new("--data")
    {
        Description = "Data directory (default: $NNSIMD_DATA, else a per-user cache); missing files are downloaded and verified.",
    };

    public static Option<bool> Offline() => new("--offline") { Description = "Never download; fail if a file is missing." };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object instead of text." };
}
