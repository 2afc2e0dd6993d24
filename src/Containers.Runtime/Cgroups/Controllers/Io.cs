using System.Globalization;
using Containers.Cgroups;

namespace Containers.Runtime.Cgroups;

// v2 io (v1's blkio).
[CgroupFile("io", "Weight", CgroupValueKind.FlatKeyed, V2 = "io.weight")]
[CgroupFile("io", "BfqWeight", CgroupValueKind.FlatKeyed, V2 = "io.bfq.weight")]
[CgroupFile("io", "Max", CgroupValueKind.NestedKeyed, V2 = "io.max", Record = typeof(IoMaxFile))]
[CgroupFile("io", "Stat", CgroupValueKind.NestedKeyed, V2 = "io.stat", ReadOnly = true, Record = typeof(IoStatFile))]
internal static partial class IoController
{
    public static void Set(CgroupDirectory dir, CgroupBlockIo? io)
    {
        if (io is null)
        {
            return;
        }

        bool bfq = HasBfqWeight(dir);
        if (io.Weight is { } weight && weight != 0)
        {
            // io.bfq.weight takes blkio's 1–1000 scale; io.weight is 1–10000.
            if (bfq)
            {
                WriteBfqWeight(dir, Invariant($"default {weight}"));
            }
            else
            {
                WriteWeight(dir, Invariant($"default {BlkioWeightToIoWeight(weight)}"));
            }
        }

        if (io.LeafWeight is { } leaf && leaf != 0)
        {
            throw new NotSupportedException("blockIO.leafWeight has no cgroup v2 equivalent; leave it unset");
        }

        foreach (CgroupWeightDevice device in io.WeightDevice)
        {
            if (device.Weight is { } w && w != 0)
            {
                if (bfq)
                {
                    WriteBfqWeight(dir, Invariant($"{device.Major}:{device.Minor} {w}"));
                }
                else
                {
                    WriteWeight(dir, Invariant($"{device.Major}:{device.Minor} {BlkioWeightToIoWeight(w)}"));
                }
            }
        }

        WriteMaxLines(dir, io.ThrottleReadBpsDevice, "rbps");
        WriteMaxLines(dir, io.ThrottleWriteBpsDevice, "wbps");
        WriteMaxLines(dir, io.ThrottleReadIopsDevice, "riops");
        WriteMaxLines(dir, io.ThrottleWriteIopsDevice, "wiops");
    }

    /// <summary>blkio weight [10, 1000] to io.weight [1, 10000], linearly (runc's convertBlkIOToIOWeightValue).</summary>
    public static ulong BlkioWeightToIoWeight(ulong weight) => weight == 0 ? 0 : 1 + ((weight - 10) * 9999 / 990);

    private static void WriteMaxLines(CgroupDirectory dir, IReadOnlyList<CgroupThrottleDevice> devices, string key)
    {
        foreach (CgroupThrottleDevice d in devices)
        {
            // A rate of 0 removes the limit (runc writes "max").
            string rate = d.Rate == 0 ? "max" : d.Rate.ToString(CultureInfo.InvariantCulture);
            WriteMax(dir, Invariant($"{d.Major}:{d.Minor} {key}={rate}"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static BlockIoStats Stats(CgroupDirectory dir)
    {
        var bytes = new List<BlockIoEntry>();
        var ios = new List<BlockIoEntry>();
        foreach (IoStatFile row in ReadStat(dir))
        {
            long major = row.Device.Major, minor = row.Device.Minor;
            bytes.Add(new BlockIoEntry(major, minor, "Read", row.ReadBytes));
            bytes.Add(new BlockIoEntry(major, minor, "Write", row.WriteBytes));
            ios.Add(new BlockIoEntry(major, minor, "Read", row.ReadIos));
            ios.Add(new BlockIoEntry(major, minor, "Write", row.WriteIos));
            if (row.DiscardBytes is { } db)
            {
                bytes.Add(new BlockIoEntry(major, minor, "Discard", db));
            }

            if (row.DiscardIos is { } di)
            {
                ios.Add(new BlockIoEntry(major, minor, "Discard", di));
            }
        }

        return new BlockIoStats { ServiceBytes = bytes, Serviced = ios };
    }
}

/// <summary>io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0".</summary>
[CgroupKeyedRecord(PerDevice = true)]
internal sealed partial record IoStatFile
{
    [CgroupKey(V2 = "rbytes")]
    public ulong ReadBytes { get; init; }

    [CgroupKey(V2 = "wbytes")]
    public ulong WriteBytes { get; init; }

    [CgroupKey(V2 = "rios")]
    public ulong ReadIos { get; init; }

    [CgroupKey(V2 = "wios")]
    public ulong WriteIos { get; init; }

    /// <summary>Since Linux 4.19.</summary>
    [CgroupKey(V2 = "dbytes")]
    public ulong? DiscardBytes { get; init; }

    [CgroupKey(V2 = "dios")]
    public ulong? DiscardIos { get; init; }
}

/// <summary>io.max: "8:0 rbps=max wbps=1048576 riops=max wiops=max"; max reads as ulong.MaxValue.</summary>
[CgroupKeyedRecord(PerDevice = true)]
internal sealed partial record IoMaxFile
{
    [CgroupKey(V2 = "rbps")]
    public ulong? ReadBps { get; init; }

    [CgroupKey(V2 = "wbps")]
    public ulong? WriteBps { get; init; }

    [CgroupKey(V2 = "riops")]
    public ulong? ReadIops { get; init; }

    [CgroupKey(V2 = "wiops")]
    public ulong? WriteIops { get; init; }
}
