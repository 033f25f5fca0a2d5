using System.Diagnostics;

namespace NnSimd.Cli;

/// <summary>
/// A one-line progress bar on stderr, drawn only when stderr is a terminal and the work has taken more than
/// a second, so pipes, --json output and CI logs stay clean.
/// </summary>
internal sealed class ProgressLine(string title, bool quiet) : IDisposable
{
    private const int Width = 30;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _enabled = !quiet && !Console.IsErrorRedirected;
    private bool _drawn;

    public void Report(string what, int done = 0, int total = 0)
    {
        if (!_enabled || _clock.ElapsedMilliseconds < 1000)
        {
            return;
        }

        int filled = total > 0 ? Width * done / total : 0;
        string bar = total > 0 ? $"[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} " : "";
        Console.Error.Write($"\r{title} {bar}{what}".PadRight(Width + 50));
        _drawn = true;
    }

    public void Done()
    {
        if (_drawn)
        {
            Console.Error.Write('\r' + new string(' ', Width + 50) + '\r');
            _drawn = false;
        }
    }

    public void Dispose() => Done();
}
