using System.CommandLine;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NnSimd.Cli.Commands;

/// <summary><c>nnsimd info</c>: the SIMD paths this machine and runtime offer, and the one the kernels chose.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("info", "Show the SIMD paths available and the one in use.") { json };
        command.SetAction(result =>
        {
            var facts = new (string Key, object Value)[]
            {
                ("simd", SimdInfo.Path.ToString()),
                ("lanes", SimdInfo.Lanes),
                ("hardware", SimdInfo.Hardware.ToString()),
                ("vector512", Vector512.IsHardwareAccelerated),
                ("vector256", Vector256.IsHardwareAccelerated),
                ("vector128", Vector128.IsHardwareAccelerated),
                ("fma", Fma.IsSupported),
                ("nnsimd_simd", Environment.GetEnvironmentVariable("NNSIMD_SIMD") ?? ""),
                ("runtime", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription),
                ("processors", Environment.ProcessorCount),
            };
            if (result.GetValue(json))
            {
                Console.WriteLine(Json.Object(facts));
            }
            else
            {
                foreach ((string key, object value) in facts)
                {
                    Console.WriteLine($"{key,-12} {value}");
                }
            }

            return 0;
        });
        return command;
    }
}
