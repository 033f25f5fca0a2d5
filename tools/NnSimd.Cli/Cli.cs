namespace NnSimd.Cli;

/// <summary>What every command shares: errors go to stderr as one line with a non-zero exit code.</summary>
internal static class Cli
{
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"nnsimd: error: {message}");
        return 1;
    }
}
