using System.Globalization;
using Containers.Cgroups;

namespace Containers.Runtime.Cgroups;

// v1 blkio. blkio.weight exists with CFQ (gone since 5.0); BFQ has blkio.bfq.weight.
[CgroupFile("blkio", "Weight", CgroupValueKind.Integer, V1 = "blkio.weight")]
[CgroupFile("blkio", "BfqWeight", CgroupValueKind.Integer, V1 = "blkio.bfq.weight")]
[CgroupFile("blkio", "LeafWeight", CgroupValueKind.Integer, V1 = "blkio.leaf_weight")]
[CgroupFile("blkio", "WeightDevice", CgroupValueKind.List, V1 = "blkio.weight_device")]
[CgroupFile("blkio", "BfqWeightDevice", CgroupValueKind.List, V1 = "blkio.bfq.weight_device")]
[CgroupFile("blkio", "LeafWeightDevice", CgroupValueKind.List, V1 = "blkio.leaf_weight_device")]
[CgroupFile("blkio", "ThrottleReadBps", CgroupValueKind.List, V1 = "blkio.throttle.read_bps_device")]
[CgroupFile("blkio", "ThrottleWriteBps", CgroupValueKind.List, V1 = "blkio.throttle.write_bps_device")]
[CgroupFile("blkio", "ThrottleReadIops", CgroupValueKind.List, V1 = "blkio.throttle.read_iops_device")]
[CgroupFile("blkio", "ThrottleWriteIops", CgroupValueKind.List, V1 = "blkio.throttle.write_iops_device")]
[CgroupFile("blkio", "ThrottleServiceBytes", CgroupValueKind.NestedKeyed, V1 = "blkio.throttle.io_service_bytes_recursive", ReadOnly = true, Record = typeof(BlkioOpsFile))]
[CgroupFile("blkio", "ThrottleServiced", CgroupValueKind.NestedKeyed, V1 = "blkio.throttle.io_serviced_recursive", ReadOnly = true, Record = typeof(BlkioOpsFile))]
[CgroupFile("blkio", "BfqServiceBytes", CgroupValueKind.NestedKeyed, V1 = "blkio.bfq.io_service_bytes_recursive", ReadOnly = true, Record = typeof(BlkioOpsFile))]
[CgroupFile("blkio", "BfqServiced", CgroupValueKind.NestedKeyed, V1 = "blkio.bfq.io_serviced_recursive", ReadOnly = true, Record = typeof(BlkioOpsFile))]
internal static partial class BlkioController
{
    public static void Set(CgroupDirectory dir, CgroupBlockIo? io)
    {
        if (io is null)
        {
            return;
        }

        bool bfq = !HasWeight(dir) && HasBfqWeight(dir);
        if (io.Weight is { } weight && weight != 0)
        {
            RequireWeight(dir, "blockIO.weight");
            if (bfq)
            {
                WriteBfqWeight(dir, weight);
            }
            else
            {
                WriteWeight(dir, weight);
            }
        }

        if (io.LeafWeight is { } leaf && leaf != 0)
        {
            WriteLeafWeight(dir, leaf);
        }

        foreach (CgroupWeightDevice device in io.WeightDevice)
        {
            if (device.Weight is { } w && w != 0)
            {
                RequireWeight(dir, "blockIO.weightDevice");
                string line = Line(device.Major, device.Minor, w);
                if (bfq)
                {
                    WriteBfqWeightDevice(dir, line);
                }
                else
                {
                    WriteWeightDevice(dir, line);
                }
            }

            if (device.LeafWeight is { } lw && lw != 0)
            {
                WriteLeafWeightDevice(dir, Line(device.Major, device.Minor, lw));
            }
        }

        foreach (CgroupThrottleDevice d in io.ThrottleReadBpsDevice)
        {
            WriteThrottleReadBps(dir, Line(d.Major, d.Minor, d.Rate));
        }

        foreach (CgroupThrottleDevice d in io.ThrottleWriteBpsDevice)
        {
            WriteThrottleWriteBps(dir, Line(d.Major, d.Minor, d.Rate));
        }

        foreach (CgroupThrottleDevice d in io.ThrottleReadIopsDevice)
        {
            WriteThrottleReadIops(dir, Line(d.Major, d.Minor, d.Rate));
        }

        foreach (CgroupThrottleDevice d in io.ThrottleWriteIopsDevice)
        {
            WriteThrottleWriteIops(dir, Line(d.Major, d.Minor, d.Rate));
        }
    }

    private static void RequireWeight(CgroupDirectory dir, string field)
    {
        if (!HasWeight(dir) && !HasBfqWeight(dir))
        {
            throw new NotSupportedException($"{field}: {dir.Path} has neither blkio.weight nor blkio.bfq.weight (no CFQ or BFQ I/O scheduler)");
        }
    }

    private static string Line(long major, long minor, ulong value) =>
        string.Create(CultureInfo.InvariantCulture, $"{major}:{minor} {value}");

    /// <summary>Prefers the BFQ counters when present (they count what the scheduler saw), else throttle's, as runc does.</summary>
    public static BlockIoStats Stats(CgroupDirectory dir)
    {
        bool bfq = HasBfqServiceBytes(dir);
        IReadOnlyList<BlkioOpsFile> bytes = bfq ? ReadBfqServiceBytes(dir) : ReadThrottleServiceBytes(dir);
        IReadOnlyList<BlkioOpsFile> ios = bfq ? ReadBfqServiced(dir) : ReadThrottleServiced(dir);
        return new BlockIoStats { ServiceBytes = Entries(bytes), Serviced = Entries(ios) };
    }

    private static List<BlockIoEntry> Entries(IReadOnlyList<BlkioOpsFile> rows)
    {
        var entries = new List<BlockIoEntry>();
        foreach (BlkioOpsFile r in rows)
        {
            (string Op, ulong? Value)[] ops = [("Read", r.Read), ("Write", r.Write), ("Sync", r.Sync), ("Async", r.Async), ("Discard", r.Discard), ("Total", r.Total)];
            foreach ((string op, ulong? value) in ops)
            {
                if (value is { } v)
                {
                    entries.Add(new BlockIoEntry(r.Device.Major, r.Device.Minor, op, v));
                }
            }
        }

        return entries;
    }
}

/// <summary>v1 "8:0 Read 123" lines, one record per device.</summary>
[CgroupKeyedRecord(PerDevice = true)]
internal sealed partial record BlkioOpsFile
{
    [CgroupKey(V1 = "Read")]
    public ulong? Read { get; init; }

    [CgroupKey(V1 = "Write")]
    public ulong? Write { get; init; }

    [CgroupKey(V1 = "Sync")]
    public ulong? Sync { get; init; }

    [CgroupKey(V1 = "Async")]
    public ulong? Async { get; init; }

    [CgroupKey(V1 = "Discard")]
    public ulong? Discard { get; init; }

    [CgroupKey(V1 = "Total")]
    public ulong? Total { get; init; }
}
