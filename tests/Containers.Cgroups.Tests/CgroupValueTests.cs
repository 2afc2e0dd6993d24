using Containers.Interop;
using Containers.Runtime.Cgroups;

namespace Containers.Cgroups.Tests;

public class CgroupValueTests
{
    private static readonly CgroupDirectory AnyDir = new(CgroupFileSystem.Instance, "/nowhere", CgroupVersion.V1);

    [Theory]
    [InlineData("max\n", null)]
    [InlineData("-1\n", null)]
    [InlineData("9223372036854771712\n", null)]
    [InlineData("18446744073709551615\n", null)]
    [InlineData("1048576\n", 1048576L)]
    public void Max_integers_read_unlimited_in_every_spelling(string text, long? expected) =>
        Assert.Equal(expected, CgroupValue.ParseMaxInteger(text, AnyDir, "memory.limit_in_bytes"));

    [Fact]
    public void Unlimited_is_written_max_on_v2_and_minus_one_on_v1()
    {
        Assert.Equal("max", CgroupValue.FormatMaxInteger(null, CgroupVersion.V2));
        Assert.Equal("-1", CgroupValue.FormatMaxInteger(null, CgroupVersion.V1));
        Assert.Equal("-1", CgroupValue.FormatMaxInteger(-1, CgroupVersion.V1));
        Assert.Equal("4096", CgroupValue.FormatMaxInteger(4096, CgroupVersion.V2));
    }

    [Fact]
    public void A_bad_value_names_the_file_and_the_text()
    {
        var e = Assert.Throws<FormatException>(() => CgroupValue.ParseInteger("lots\n", AnyDir, "pids.current"));

        Assert.Equal("/nowhere/pids.current: cannot parse \"lots\"", e.Message);
    }

    [Fact]
    public void Memory_stat_maps_v1_total_keys_and_v2_keys_to_the_same_properties()
    {
        MemoryStatFile v1 = MemoryStatFile.Parse("cache 1\nrss 2\ntotal_cache 10\ntotal_rss 20\ntotal_pgfault 5\n", CgroupVersion.V1);
        MemoryStatFile v2 = MemoryStatFile.Parse("anon 20\nfile 10\npgfault 5\nunknown_key 9\n", CgroupVersion.V2);

        Assert.Equal(10UL, v1.Cache);
        Assert.Equal(20UL, v1.Rss);
        Assert.Equal(v1, v2);
    }

    [Fact]
    public void Io_stat_parses_one_record_per_device_with_optional_keys_absent()
    {
        IReadOnlyList<IoStatFile> rows = IoStatFile.ParseAll("8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=5 dios=6\n253:1 rbytes=7 wbytes=8 rios=9 wios=10\n", CgroupVersion.V2);

        Assert.Equal(2, rows.Count);
        Assert.Equal(new CgroupDeviceNumber(8, 0), rows[0].Device);
        Assert.Equal(5UL, rows[0].DiscardBytes);
        Assert.Equal(new CgroupDeviceNumber(253, 1), rows[1].Device);
        Assert.Equal(7UL, rows[1].ReadBytes);
        Assert.Null(rows[1].DiscardBytes);
    }

    [Fact]
    public void Blkio_lines_group_by_device_and_skip_the_total_line()
    {
        IReadOnlyList<BlkioOpsFile> rows = BlkioOpsFile.ParseAll("8:0 Read 10\n8:16 Read 1\n8:0 Write 20\n8:0 Total 30\nTotal 31\n", CgroupVersion.V1);

        Assert.Equal(2, rows.Count);
        Assert.Equal((10UL, 20UL, 30UL), (rows[0].Read!.Value, rows[0].Write!.Value, rows[0].Total!.Value));
        Assert.Null(rows[1].Write);
    }

    [Fact]
    public void Io_max_reads_max_as_the_largest_value()
    {
        IoMaxFile row = Assert.Single(IoMaxFile.ParseAll("8:0 rbps=1048576 wbps=max riops=max wiops=max\n", CgroupVersion.V2));

        Assert.Equal(1048576UL, row.ReadBps);
        Assert.Equal(ulong.MaxValue, row.WriteBps);
    }

    [Fact]
    public void A_bad_keyed_value_names_the_key()
    {
        var e = Assert.Throws<FormatException>(() => CpuStatFile.Parse("nr_periods many\n", CgroupVersion.V1));

        Assert.Contains("nr_periods", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(2UL, 1UL)]
    [InlineData(1024UL, 100UL)]
    [InlineData(262144UL, 10000UL)]
    [InlineData(512UL, 59UL)]
    [InlineData(2048UL, 174UL)]
    public void Cpu_shares_convert_to_weight_as_runc_does(ulong shares, ulong weight) =>
        Assert.Equal(weight, CpuController.SharesToWeight(shares));

    [Theory]
    [InlineData(0L, -1L, -1L)]
    [InlineData(-1L, 100L, -1L)]
    [InlineData(0L, 100L, 0L)]
    [InlineData(300L, 100L, 200L)]
    public void Oci_swap_converts_to_v2_swap_max(long swap, long limit, long expected) =>
        Assert.Equal(expected, MemoryController.SwapToV2(swap, limit));

    [Theory]
    [InlineData(50L, 100L, "must be >= memory limit")]
    [InlineData(200L, 0L, "without a memory limit")]
    public void Impossible_swap_is_refused(long swap, long limit, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => MemoryController.SwapToV2(swap, limit));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_write_names_the_file_the_value_and_the_errno()
    {
        string dir = Path.Join(Path.GetTempPath(), "cg-" + Guid.NewGuid().ToString("N")[..8]);
        var e = Assert.Throws<SyscallException>(() => CgroupFileSystem.Instance.WriteFile(Path.Join(dir, "memory.max"), "1"));

        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Contains(Path.Join(dir, "memory.max"), e.Message, StringComparison.Ordinal);
        Assert.Contains("ENOENT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Device_rules_reduce_to_a_default_and_exceptions_for_a_v2_program()
    {
        CgroupDeviceRules rules = DevicesController.RulesForV2(
        [
            new CgroupDeviceRule(Allow: true),
            new CgroupDeviceRule(Allow: false),
            new CgroupDeviceRule(Allow: true, 'c', 1, 3, "rwm"),
            new CgroupDeviceRule(Allow: true, 'c', 136, null, "rw"),
        ]);

        Assert.False(rules.DefaultAllow);
        Assert.Equal(2, rules.Rules.Count);
        Assert.True(rules.IsAllowed('c', 1, 3, 'r'));
        Assert.True(rules.IsAllowed('c', 136, 7, 'w'));
        Assert.False(rules.IsAllowed('c', 136, 7, 'm'));
        Assert.False(rules.IsAllowed('b', 8, 0, 'r'));
    }

    [Fact]
    public void Device_rules_with_bad_access_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => DevicesController.RulesForV2([new CgroupDeviceRule(true, 'c', 1, 3, "rx")]));
        Assert.Contains("\"rx\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2097152L, "2MB")]
    [InlineData(1073741824L, "1GB")]
    [InlineData(65536L, "64KB")]
    public void Huge_page_sizes_are_named_as_the_kernel_names_them(long bytes, string name) =>
        Assert.Equal(name, HugetlbController.PageSizeName(bytes));
}
