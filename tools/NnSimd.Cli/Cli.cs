namespace NnSimd.Cli;

/// <summary>What every command shares: errors go to stderr as one line with a non-zero exit code.</summary>
internal static class Cli
{
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"nnsimd: error: {message}");
        return 1;
    }

    /// <summary>
    /// Runs a command, turning the errors a user can cause (bad files, bad arguments, missing data) into one
    /// line on stderr and exit code 1, never a stack trace.
    /// </summary>
    public static int Guarded(Func<int> run)
    {
        try
        {
            return run();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException
            or UnauthorizedAccessException or KeyNotFoundException or NotSupportedException or OperationCanceledException)
        {
            return Fail(e.Message);
        }
        catch (Training.TrainingDivergedException e)
        {
            return Fail($"{e.Message} Nothing was saved.");
        }
    }
}
