using Containers.Runtime.Cgroups;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Lifecycle;

/// <summary>config.json's linux.resources → the cgroup managers' resources (runc's specconv).</summary>
public static class ResourcesConverter
{
    /// <summary>What every container may use whatever its config says (runc's AllowedDevices).</summary>
    public static readonly IReadOnlyList<CgroupDeviceRule> AlwaysAllowedDevices =
    [
        new(true, 'c', null, null, "m"), new(true, 'b', null, null, "m"),
        new(true, 'c', 1, 3), new(true, 'c', 1, 8), new(true, 'c', 1, 7), new(true, 'c', 5, 0),
        new(true, 'c', 1, 5), new(true, 'c', 1, 9), new(true, 'c', 136, null), new(true, 'c', 5, 2),
        new(true, 'c', 10, 200),
    ];

    public static CgroupResources Convert(ResourcesSpec? spec, bool addDefaultDevices = true)
    {
        var devices = new List<CgroupDeviceRule>();
        foreach (DeviceCgroupSpec d in spec?.Devices ?? [])
        {
            devices.Add(new CgroupDeviceRule(d.Allow, string.IsNullOrEmpty(d.Type) ? 'a' : d.Type[0], d.Major, d.Minor, d.Access ?? "rwm"));
        }
        if (addDefaultDevices)
        {
            devices.AddRange(AlwaysAllowedDevices);
        }

        return new CgroupResources
        {
            Devices = devices,
            Memory = spec?.Memory is { } m ? new CgroupMemory
            {
                Limit = m.Limit, Reservation = m.Reservation, Swap = m.Swap, Kernel = m.Kernel, KernelTcp = m.KernelTCP,
                Swappiness = m.Swappiness, DisableOomKiller = m.DisableOOMKiller, UseHierarchy = m.UseHierarchy,
                CheckBeforeUpdate = m.CheckBeforeUpdate,
            } : null,
            Cpu = spec?.Cpu is { } c ? new CgroupCpu
            {
                Shares = c.Shares, Quota = c.Quota, Burst = c.Burst, Period = c.Period, RealtimeRuntime = c.RealtimeRuntime,
                RealtimePeriod = c.RealtimePeriod, Cpus = c.Cpus, Mems = c.Mems, Idle = c.Idle,
            } : null,
            Pids = spec?.Pids is { } p ? new CgroupPids { Limit = p.Limit } : null,
            BlockIo = spec?.BlockIO is { } b ? new CgroupBlockIo
            {
                Weight = b.Weight, LeafWeight = b.LeafWeight,
                WeightDevice = b.WeightDevice?.Select(w => new CgroupWeightDevice(w.Major, w.Minor, w.Weight, w.LeafWeight)).ToList() ?? [],
                ThrottleReadBpsDevice = Throttle(b.ThrottleReadBpsDevice),
                ThrottleWriteBpsDevice = Throttle(b.ThrottleWriteBpsDevice),
                ThrottleReadIopsDevice = Throttle(b.ThrottleReadIOPSDevice),
                ThrottleWriteIopsDevice = Throttle(b.ThrottleWriteIOPSDevice),
            } : null,
            HugepageLimits = spec?.HugepageLimits?.Select(h => new CgroupHugepageLimit(h.PageSize!, h.Limit)).ToList() ?? [],
            Unified = spec?.Unified ?? new Dictionary<string, string>(),
        };
    }

    private static IReadOnlyList<CgroupThrottleDevice> Throttle(IReadOnlyList<ThrottleDeviceSpec>? devices) =>
        devices?.Select(t => new CgroupThrottleDevice(t.Major, t.Minor, t.Rate)).ToList() ?? [];
}
