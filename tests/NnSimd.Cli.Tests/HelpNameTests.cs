using System.Diagnostics;
using Xunit;

namespace NnSimd.Cli.Tests;

/// <summary>
/// Help names the command as users type it. Started as <c>dotnet NnSimd.Cli.dll</c> (as here), as the installed
/// tool or as the NativeAOT binary, the executable is called NnSimd.Cli, which a RootCommand would print.
/// </summary>
public class HelpNameTests
{
    [Fact]
    public async Task Help_calls_the_command_nnsimd()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NnSimd.Cli.dll"));
        info.ArgumentList.Add("--help");

        using Process p = Process.Start(info)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        string output = await stdout;

        Assert.True(p.ExitCode == 0, await stderr);
        Assert.Contains("  nnsimd [command] [options]", output);
        Assert.DoesNotContain("NnSimd.Cli", output);
    }
}
