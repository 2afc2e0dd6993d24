namespace Containers.Generators.Tests.Cgroups;

/// <summary>What the generator writes for each value kind, and that it compiles.</summary>
public class CgroupFileShapeTests
{
    private const string Declarations = """
        using Containers.Cgroups;
        namespace Demo;

        [CgroupFile("memory", "Limit", CgroupValueKind.MaxInteger, V1 = "memory.limit_in_bytes", V2 = "memory.max")]
        [CgroupFile("memory", "Swappiness", CgroupValueKind.Integer, V1 = "memory.swappiness")]
        [CgroupFile("memory", "Stat", CgroupValueKind.FlatKeyed, V1 = "memory.stat", V2 = "memory.stat", ReadOnly = true, Record = typeof(MemoryStat))]
        [CgroupFile("memory", "Raw", CgroupValueKind.FlatKeyed, V2 = "memory.stat", ReadOnly = true)]
        [CgroupFile("cgroup", "Procs", CgroupValueKind.List, V1 = "cgroup.procs", V2 = "cgroup.procs")]
        internal static partial class MemoryFiles;

        [CgroupFile("hugetlb", "Limit", CgroupValueKind.MaxInteger, V1 = "hugetlb.{size}.limit_in_bytes", V2 = "hugetlb.{size}.max")]
        [CgroupFile("io", "Stat", CgroupValueKind.NestedKeyed, V2 = "io.stat", ReadOnly = true, Record = typeof(IoStat))]
        [CgroupFile("io", "Weight", CgroupValueKind.Integer, V1 = "blkio.weight")]
        [CgroupFile("freezer", "State", CgroupValueKind.String, V1 = "freezer.state")]
        internal static partial class OtherFiles;

        [CgroupKeyedRecord]
        internal sealed partial record MemoryStat
        {
            [CgroupKey(V1 = "total_rss", V2 = "anon")]
            public ulong Rss { get; init; }

            [CgroupKey("pgfault")]
            public long? Faults { get; init; }
        }

        [CgroupKeyedRecord(PerDevice = true)]
        internal sealed partial record IoStat
        {
            [CgroupKey(V2 = "rbytes", V1 = "Read")]
            public ulong ReadBytes { get; init; }
        }
        """;

    [Fact]
    public void Generated_code_compiles_without_diagnostics()
    {
        CgroupGeneratorHarness.Result result = CgroupGeneratorHarness.Run(Declarations);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void A_max_integer_file_reads_and_writes_nullable_long_per_version()
    {
        string code = CgroupGeneratorHarness.Run(Declarations).Generated("Demo.MemoryFiles.CgroupFiles.g.cs");

        Assert.Contains("namespace Demo;", code, StringComparison.Ordinal);
        Assert.Contains("partial class MemoryFiles", code, StringComparison.Ordinal);
        Assert.Contains("public static string? LimitFileName(global::Containers.Runtime.Cgroups.CgroupVersion version) =>", code, StringComparison.Ordinal);
        Assert.Contains("version == global::Containers.Runtime.Cgroups.CgroupVersion.V1 ? \"memory.limit_in_bytes\" : \"memory.max\";", code, StringComparison.Ordinal);
        Assert.Contains("public static long? ReadLimit(global::Containers.Runtime.Cgroups.CgroupDirectory dir)", code, StringComparison.Ordinal);
        Assert.Contains("return global::Containers.Runtime.Cgroups.CgroupValue.ParseMaxInteger(text, dir, file);", code, StringComparison.Ordinal);
        Assert.Contains("public static void WriteLimit(global::Containers.Runtime.Cgroups.CgroupDirectory dir, long? value)", code, StringComparison.Ordinal);
        Assert.Contains("FormatMaxInteger(value, dir.Version)", code, StringComparison.Ordinal);
        Assert.Contains("public static bool HasLimit(global::Containers.Runtime.Cgroups.CgroupDirectory dir) =>", code, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_without_the_file_gets_null_and_read_only_files_get_no_writer()
    {
        string code = CgroupGeneratorHarness.Run(Declarations).Generated("Demo.MemoryFiles.CgroupFiles.g.cs");

        Assert.Contains("? \"memory.swappiness\" : null;", code, StringComparison.Ordinal);
        Assert.Contains("public static long ReadSwappiness(", code, StringComparison.Ordinal);
        Assert.Contains("public static void WriteSwappiness(global::Containers.Runtime.Cgroups.CgroupDirectory dir, long value)", code, StringComparison.Ordinal);
        Assert.DoesNotContain("WriteStat", code, StringComparison.Ordinal);
        Assert.DoesNotContain("WriteRaw", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Keyed_and_list_files_return_records_dictionaries_and_lists()
    {
        string code = CgroupGeneratorHarness.Run(Declarations).Generated("Demo.MemoryFiles.CgroupFiles.g.cs");

        Assert.Contains("public static global::Demo.MemoryStat ReadStat(", code, StringComparison.Ordinal);
        Assert.Contains("return global::Demo.MemoryStat.Parse(text, dir.Version);", code, StringComparison.Ordinal);
        Assert.Contains("throw dir.FormatError(file, text, e);", code, StringComparison.Ordinal);
        Assert.Contains("public static global::System.Collections.Generic.IReadOnlyDictionary<string, string> ReadRaw(", code, StringComparison.Ordinal);
        Assert.Contains("public static global::System.Collections.Generic.IReadOnlyList<string> ReadProcs(", code, StringComparison.Ordinal);
        Assert.Contains("public static void WriteProcs(global::Containers.Runtime.Cgroups.CgroupDirectory dir, string value)", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Placeholders_in_file_names_become_parameters()
    {
        string code = CgroupGeneratorHarness.Run(Declarations).Generated("Demo.OtherFiles.CgroupFiles.g.cs");

        Assert.Contains("public static string? LimitFileName(global::Containers.Runtime.Cgroups.CgroupVersion version, string size) =>", code, StringComparison.Ordinal);
        Assert.Contains("$\"hugetlb.{size}.limit_in_bytes\" : $\"hugetlb.{size}.max\"", code, StringComparison.Ordinal);
        Assert.Contains("public static void WriteLimit(global::Containers.Runtime.Cgroups.CgroupDirectory dir, string size, long? value)", code, StringComparison.Ordinal);
        Assert.Contains("public static global::System.Collections.Generic.IReadOnlyList<global::Demo.IoStat> ReadStat(", code, StringComparison.Ordinal);
        Assert.Contains("return global::Demo.IoStat.ParseAll(text, dir.Version);", code, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flat_keyed_record_maps_keys_per_version()
    {
        string code = CgroupGeneratorHarness.Run(Declarations).Generated("Demo.MemoryStat.CgroupKeyedRecord.g.cs");

        Assert.Contains("partial record MemoryStat", code, StringComparison.Ordinal);
        Assert.Contains("public static MemoryStat Parse(string content, global::Containers.Runtime.Cgroups.CgroupVersion version)", code, StringComparison.Ordinal);
        Assert.Contains("\"total_rss\" => 0,", code, StringComparison.Ordinal);
        Assert.Contains("\"anon\" => 0,", code, StringComparison.Ordinal);
        Assert.Contains("\"pgfault\" => 1,", code, StringComparison.Ordinal);
        Assert.Contains("Rss = global::Containers.Runtime.Cgroups.CgroupKeyedText.ToUInt64(s[0], \"anon\").GetValueOrDefault(),", code, StringComparison.Ordinal);
        Assert.Contains("Faults = global::Containers.Runtime.Cgroups.CgroupKeyedText.ToInt64(s[1], \"pgfault\"),", code, StringComparison.Ordinal);
    }

    [Fact]
    public void A_per_device_record_gets_a_device_and_parse_all()
    {
        string code = CgroupGeneratorHarness.Run(Declarations).Generated("Demo.IoStat.CgroupKeyedRecord.g.cs");

        Assert.Contains("public global::Containers.Runtime.Cgroups.CgroupDeviceNumber Device { get; init; }", code, StringComparison.Ordinal);
        Assert.Contains("public static global::System.Collections.Generic.IReadOnlyList<IoStat> ParseAll(string content, global::Containers.Runtime.Cgroups.CgroupVersion version)", code, StringComparison.Ordinal);
        Assert.Contains("\"Read\" => 0,", code, StringComparison.Ordinal);
        Assert.Contains("\"rbytes\" => 0,", code, StringComparison.Ordinal);
    }

    [Fact]
    public void The_attributes_are_embedded_so_two_assemblies_do_not_clash()
    {
        string code = CgroupGeneratorHarness.Run(Declarations).Generated("Containers.Cgroups.Attributes.g.cs");

        Assert.Contains("[global::Microsoft.CodeAnalysis.EmbeddedAttribute]", code, StringComparison.Ordinal);
        Assert.Contains("internal sealed class CgroupFileAttribute", code, StringComparison.Ordinal);
    }
}
