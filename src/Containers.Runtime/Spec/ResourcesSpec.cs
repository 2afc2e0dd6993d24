namespace Containers.Runtime.Spec;

public sealed record ResourcesSpec
{
    public IReadOnlyList<DeviceCgroupSpec>? Devices { get; init; }
    public MemorySpec? Memory { get; init; }
    public CpuSpec? Cpu { get; init; }
    public PidsSpec? Pids { get; init; }
    public BlockIOSpec? BlockIO { get; init; }
    public IReadOnlyList<HugepageLimitSpec>? HugepageLimits { get; init; }
    public NetworkResourcesSpec? Network { get; init; }
    public IReadOnlyDictionary<string, RdmaSpec>? Rdma { get; init; }
    /// <summary>cgroup v2 files by name, written as given.</summary>
    public IReadOnlyDictionary<string, string>? Unified { get; init; }
}

public sealed record DeviceCgroupSpec
{
    public bool Allow { get; init; }
    /// <summary>a (all), c or b.</summary>
    public string? Type { get; init; }
    public long? Major { get; init; }
    public long? Minor { get; init; }
    /// <summary>Any of r, w, m.</summary>
    public string? Access { get; init; }
}

public sealed record MemorySpec
{
    public long? Limit { get; init; }
    public long? Reservation { get; init; }
    /// <summary>Memory plus swap; -1 for unlimited.</summary>
    public long? Swap { get; init; }
    public long? Kernel { get; init; }
    public long? KernelTCP { get; init; }
    public ulong? Swappiness { get; init; }
    public bool? DisableOOMKiller { get; init; }
    public bool? UseHierarchy { get; init; }
    public bool? CheckBeforeUpdate { get; init; }
}

public sealed record CpuSpec
{
    public ulong? Shares { get; init; }
    public long? Quota { get; init; }
    public ulong? Burst { get; init; }
    public ulong? Period { get; init; }
    public long? RealtimeRuntime { get; init; }
    public ulong? RealtimePeriod { get; init; }
    public string? Cpus { get; init; }
    public string? Mems { get; init; }
    public long? Idle { get; init; }
}

public sealed record PidsSpec
{
    public long Limit { get; init; }
}

public sealed record BlockIOSpec
{
    public ushort? Weight { get; init; }
    public ushort? LeafWeight { get; init; }
    public IReadOnlyList<WeightDeviceSpec>? WeightDevice { get; init; }
    public IReadOnlyList<ThrottleDeviceSpec>? ThrottleReadBpsDevice { get; init; }
    public IReadOnlyList<ThrottleDeviceSpec>? ThrottleWriteBpsDevice { get; init; }
    public IReadOnlyList<ThrottleDeviceSpec>? ThrottleReadIOPSDevice { get; init; }
    public IReadOnlyList<ThrottleDeviceSpec>? ThrottleWriteIOPSDevice { get; init; }
}

public sealed record WeightDeviceSpec
{
    public long Major { get; init; }
    public long Minor { get; init; }
    public ushort? Weight { get; init; }
    public ushort? LeafWeight { get; init; }
}

public sealed record ThrottleDeviceSpec
{
    public long Major { get; init; }
    public long Minor { get; init; }
    public ulong Rate { get; init; }
}

public sealed record HugepageLimitSpec
{
    /// <summary>e.g. "2MB", "1GB".</summary>
    public string? PageSize { get; init; }
    public ulong Limit { get; init; }
}

public sealed record NetworkResourcesSpec
{
    public uint? ClassID { get; init; }
    public IReadOnlyList<InterfacePrioritySpec>? Priorities { get; init; }
}

public sealed record InterfacePrioritySpec
{
    public string? Name { get; init; }
    public uint Priority { get; init; }
}

public sealed record RdmaSpec
{
    public uint? HcaHandles { get; init; }
    public uint? HcaObjects { get; init; }
}
