using System.Reflection;
using System.Text;
using Xunit;

namespace NnSimd.Tests;

/// <summary>
/// The library's public API, kept visible: every exported type and member, one per line, compared with the
/// committed <c>PublicApi.approved.txt</c>. A change to the API fails here until the file is updated on purpose
/// (the test writes <c>PublicApi.received.txt</c> beside it to copy over).
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void The_public_API_is_the_approved_one()
    {
        string actual = Describe(typeof(NnSimd.Model.Network).Assembly);
        string folder = Path.Combine(TestData.RepositoryRoot, "tests", "NnSimd.Tests");
        string approved = Path.Combine(folder, "PublicApi.approved.txt");
        string expected = File.Exists(approved) ? File.ReadAllText(approved).ReplaceLineEndings("\n") : "";
        if (expected != actual)
        {
            File.WriteAllText(Path.Combine(folder, "PublicApi.received.txt"), actual);
            Assert.Fail($"The public API changed: compare {approved} with PublicApi.received.txt beside it, and copy it over if the change is intended.");
        }
    }

    internal static string Describe(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (Type type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            string kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : "class";
            text.Append(kind).Append(' ').Append(type.FullName);
            if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
            {
                text.Append(" : ").Append(b.Name);
            }

            text.Append('\n');
            if (type.IsEnum)
            {
                foreach (string name in Enum.GetNames(type))
                {
                    text.Append("  ").Append(name).Append('\n');
                }

                continue;
            }

            IEnumerable<string> members = type
                .GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Where(m => m is not MethodInfo mi || !(mi.Name is "Equals" or "GetHashCode" or "ToString" or "Deconstruct" or "<Clone>$" or "PrintMembers" or "get_EqualityContract"))
                .Select(m => (m is MethodBase { IsStatic: true } or FieldInfo { IsStatic: true } ? "static " : "") + m)
                .Order(StringComparer.Ordinal);
            foreach (string member in members)
            {
                text.Append("  ").Append(member).Append('\n');
            }
        }

        return text.ToString();
    }
}
