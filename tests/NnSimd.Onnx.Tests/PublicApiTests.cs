using Xunit;

namespace NnSimd.Onnx.Tests;

/// <summary>The package's public surface stays one class: the generated protobuf types are internal.</summary>
public class PublicApiTests
{
    [Fact]
    public void OnnxModel_is_the_only_public_type()
    {
        Assert.Equal(["NnSimd.Onnx.OnnxModel"], typeof(OnnxModel).Assembly.GetExportedTypes().Select(t => t.FullName));
        Assert.Equal(["ExportIrVersion", "ExportOpset", "IsOnnx", "Load", "Save"],
            typeof(OnnxModel).GetMembers().Where(m => m.DeclaringType == typeof(OnnxModel)).Select(m => m.Name).Order(StringComparer.Ordinal));
    }
}
