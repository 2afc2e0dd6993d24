using Microsoft.CodeAnalysis;

namespace Containers.Generators.Tests.Cgroups;

/// <summary>Each invalid declaration gets its diagnostic id, at the exact span, with its arguments.</summary>
public class CgroupDiagnosticTests
{
    private const string Usings = "using Containers.Cgroups;\nnamespace Demo;\n";

    public static TheoryData<string, string, string> Cases => new()
    {
        {
            "CGF001",
            """
            [CgroupFile("memory", "Limit", CgroupValueKind.MaxInteger, V2 = "memory.max")]
            internal static class [|Files|] { }
            """,
            "'Files' must be partial: the cgroup generator adds members to it"
        },
        {
            "CGF002",
            """
            internal static partial class Outer
            {
                [CgroupFile("memory", "Limit", CgroupValueKind.MaxInteger, V2 = "memory.max")]
                internal static partial class [|Inner|] { }
            }
            """,
            "'Inner' is nested in another type; declare cgroup files and keyed records on top-level types"
        },
        {
            "CGF003",
            """
            [[|CgroupFile("memory", "Limit", CgroupValueKind.MaxInteger)|]]
            internal static partial class Files { }
            """,
            "cgroup file 'Limit' names neither a V1 nor a V2 file; give at least one"
        },
        {
            "CGF004",
            """
            [CgroupFile("memory", [|"memory limit"|], CgroupValueKind.MaxInteger, V2 = "memory.max")]
            internal static partial class Files { }
            """,
            "'memory limit' is not a valid C# identifier for the generated accessors"
        },
        {
            "CGF005",
            """
            [CgroupFile("memory", "Limit", CgroupValueKind.MaxInteger, V2 = "memory.max")]
            [CgroupFile("memory", [|"Limit"|], CgroupValueKind.MaxInteger, V1 = "memory.limit_in_bytes")]
            internal static partial class Files { }
            """,
            "cgroup file 'Limit' is declared twice on 'Files'"
        },
        {
            "CGF006",
            """
            [CgroupFile("cpu", "Limit", CgroupValueKind.MaxInteger, V1 = [|"memory.limit_in_bytes"|])]
            internal static partial class Files { }
            """,
            "'memory.limit_in_bytes' is not a file of controller 'cpu': expected 'cpu.<name>' or 'cgroup.<name>'"
        },
        {
            "CGF007",
            """
            [CgroupFile("memory", "Limit", CgroupValueKind.Integer, V2 = "memory.max", Record = [|typeof(Stat)|])]
            internal static partial class Files { }
            [CgroupKeyedRecord] internal sealed partial record Stat { }
            """,
            "Record is only valid for FlatKeyed and NestedKeyed files, and 'Limit' is Integer"
        },
        {
            "CGF008",
            """
            [CgroupFile("io", "Stat", CgroupValueKind.NestedKeyed, V2 = "io.stat", Record = [|typeof(Stat)|])]
            internal static partial class Files { }
            [CgroupKeyedRecord] internal sealed partial record Stat { }
            """,
            "'Stat' must carry [CgroupKeyedRecord](PerDevice = true) to parse NestedKeyed content"
        },
        {
            "CGF009",
            """
            [[|CgroupFile("io", "Stat", CgroupValueKind.NestedKeyed, V2 = "io.stat")|]]
            internal static partial class Files { }
            """,
            "NestedKeyed file 'Stat' needs Record = typeof(...) of a [CgroupKeyedRecord(PerDevice = true)] type"
        },
        {
            "CGF010",
            """
            [CgroupKeyedRecord]
            internal sealed partial record Stat
            {
                [[|CgroupKey|]] public ulong Anon { get; init; }
            }
            """,
            "[CgroupKey] on 'Anon' names neither a V1 nor a V2 key"
        },
        {
            "CGF011",
            """
            [CgroupKeyedRecord]
            internal sealed partial record Stat
            {
                [CgroupKey("anon")] public string [|Anon|] { get; init; } = "";
            }
            """,
            "'Anon' must be a settable (init or set) property of type long, ulong, long? or ulong?"
        },
        {
            "CGF012",
            """
            [CgroupKeyedRecord]
            internal sealed partial record Stat
            {
                [CgroupKey(V1 = "total_rss", V2 = "anon")] public ulong Rss { get; init; }
                [CgroupKey(V1 = "rss", V2 = [|"anon"|])] public ulong Anon { get; init; }
            }
            """,
            "key 'anon' (cgroup v2) is already read into 'Rss'"
        },
        {
            "CGF013",
            """
            [CgroupFile("memory", "Limit", [|(CgroupValueKind)42|], V2 = "memory.max")]
            internal static partial class Files { }
            """,
            "'42' is not a CgroupValueKind"
        },
        {
            "CGF014",
            """
            [CgroupFile("hugetlb", "Limit", CgroupValueKind.MaxInteger, V1 = "hugetlb.{size}.limit_in_bytes", V2 = [|"hugetlb.{page}.max"|])]
            internal static partial class Files { }
            """,
            "'hugetlb.{size}.limit_in_bytes' and 'hugetlb.{page}.max' must use the same {placeholders}"
        },
        {
            "CGF015",
            """
            [CgroupFile("memory", "Limit", CgroupValueKind.MaxInteger, V2 = "memory.max")]
            internal static partial class Files { }
            [CgroupFile("memory", "Low", CgroupValueKind.MaxInteger, V2 = "memory.low")]
            internal static partial class [|Files|] { }
            """,
            "declare all [CgroupFile] attributes of 'Files' on one of its partial declarations"
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Invalid_declaration_is_reported_at_its_span(string id, string marked, string message)
    {
        (string source, Microsoft.CodeAnalysis.Text.TextSpan span) = CgroupGeneratorHarness.Marked(Usings + marked);

        CgroupGeneratorHarness.Result result = CgroupGeneratorHarness.Run(source);

        Diagnostic diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(span, diagnostic.Location.SourceSpan);
        Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_invalid_type_generates_nothing_for_it_but_valid_neighbours_still_generate()
    {
        string source = Usings + """
            [CgroupFile("memory", "Limit", CgroupValueKind.MaxInteger)]
            internal static partial class Bad { }
            [CgroupFile("memory", "Limit", CgroupValueKind.MaxInteger, V2 = "memory.max")]
            internal static partial class Good { }
            """;

        CgroupGeneratorHarness.Result result = CgroupGeneratorHarness.Run(source);

        Assert.Equal("CGF003", Assert.Single(result.Diagnostics).Id);
        string[] hints = result.Driver.GetRunResult().GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).ToArray();
        Assert.Contains("Demo.Good.CgroupFiles.g.cs", hints);
        Assert.DoesNotContain("Demo.Bad.CgroupFiles.g.cs", hints);
    }
}
