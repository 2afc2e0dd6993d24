namespace Containers.Runtime.Cgroups;

/// <summary>cgroup v1 over cgroupfs: one directory per hierarchy (controllers mounted together share one).</summary>
public sealed class CgroupV1Manager : ICgroupManager
{
    // runc's order: cpuset before anything may join, devices before the process can open any,
    // freezer last so that Set with a frozen state sees the other limits in place.
    private static readonly string[] SetOrder = ["cpuset", "devices", "memory", "cpu", "pids", "blkio", "hugetlb", "freezer"];

    private readonly ICgroupFileSystem _fs;
    private readonly IReadOnlyDictionary<string, CgroupMount> _mounts;
    private readonly IReadOnlyList<string> _hugePageSizes;

    /// <param name="paths">The container's directory per v1 controller (and named hierarchy).</param>
    /// <param name="mounts">The hierarchy mount per controller, for cpuset's parent walk.</param>
    public CgroupV1Manager(IReadOnlyDictionary<string, string> paths, IReadOnlyDictionary<string, CgroupMount> mounts, ICgroupFileSystem fileSystem, IReadOnlyList<string> hugePageSizes)
    {
        Paths = paths;
        _mounts = mounts;
        _fs = fileSystem;
        _hugePageSizes = hugePageSizes;
    }

    public CgroupMode Mode => CgroupMode.Legacy;

    public IReadOnlyDictionary<string, string> Paths { get; }

    public bool HasController(string controller) => Paths.ContainsKey(controller);

    public bool Exists() => Paths.Values.Distinct().Any(_fs.DirectoryExists);

    public void Apply(int pid)
    {
        foreach (string dir in DistinctPaths())
        {
            string controller = Paths.First(p => p.Value == dir).Key;
            if (Paths.TryGetValue("cpuset", out string? cpuset) && cpuset == dir)
            {
                CpusetController.CreateV1(_fs, _mounts["cpuset"].MountPoint, dir);
            }
            else
            {
                _fs.CreateDirectory(dir);
            }

            if (pid > 0)
            {
                CoreFiles.AddProcess(Dir(controller), pid);
            }
        }
    }

    public void Set(CgroupResources resources)
    {
        if (resources.Unified.Count > 0)
        {
            throw new NotSupportedException($"linux.resources.unified ({string.Join(", ", resources.Unified.Keys)}) needs cgroup v2; this host runs cgroup v1");
        }

        foreach (string controller in SetOrder)
        {
            bool wanted = Wants(resources, controller);
            if (!wanted)
            {
                continue;
            }

            if (!Paths.ContainsKey(controller))
            {
                throw new NotSupportedException($"the {controller} cgroup controller is not mounted on this host, but the resources ask for it");
            }

            CgroupDirectory dir = Dir(controller);
            switch (controller)
            {
                case "cpuset": CpusetController.Set(dir, resources.Cpu); break;
                case "devices": DevicesController.SetV1(dir, resources.Devices); break;
                case "memory": MemoryController.Set(dir, resources.Memory); break;
                case "cpu": CpuController.Set(dir, resources.Cpu); break;
                case "pids": PidsController.Set(dir, resources.Pids); break;
                case "blkio": BlkioController.Set(dir, resources.BlockIo); break;
                case "hugetlb": HugetlbController.Set(dir, resources.HugepageLimits); break;
                case "freezer": FreezerController.Set(dir, resources.Freezer ?? CgroupFreezerState.Undefined); break;
            }
        }
    }

    /// <summary>Whether the resources ask anything of a controller.</summary>
    internal static bool Wants(CgroupResources r, string controller) => controller switch
    {
        "cpuset" => r.Cpu is { Cpus.Length: > 0 } or { Mems.Length: > 0 },
        "devices" => r.Devices.Count > 0,
        "memory" => r.Memory is not null,
        "cpu" => r.Cpu is { } c && (c.Shares is not null || c.Quota is not null || c.Period is not null || c.Burst is not null
            || c.RealtimePeriod is not null || c.RealtimeRuntime is not null || c.Idle is not null),
        "pids" => r.Pids is not null,
        "blkio" => r.BlockIo is not null,
        "hugetlb" => r.HugepageLimits.Count > 0,
        "freezer" => r.Freezer is CgroupFreezerState.Frozen or CgroupFreezerState.Thawed,
        _ => false,
    };

    public void Freeze() => FreezerController.Set(RequireDir("freezer"), CgroupFreezerState.Frozen);

    public void Thaw() => FreezerController.Set(RequireDir("freezer"), CgroupFreezerState.Thawed);

    public CgroupFreezerState GetFreezerState() =>
        Paths.ContainsKey("freezer") && _fs.DirectoryExists(Paths["freezer"]) ? FreezerController.GetState(Dir("freezer")) : CgroupFreezerState.Undefined;

    public CgroupStats GetStats() => GetStats(includeHugetlb: true);

    internal CgroupStats GetStats(bool includeHugetlb)
    {
        var stats = new CgroupStats();
        if (Available("cpu"))
        {
            stats = stats with { Cpu = CpuController.Stats(Dir("cpu"), Available("cpuacct") ? Dir("cpuacct") : null) };
        }
        else if (Available("cpuacct"))
        {
            stats = stats with { Cpu = CpuacctController.AddUsage(Dir("cpuacct"), new CpuStats()) };
        }

        if (Available("memory"))
        {
            stats = stats with { Memory = MemoryController.Stats(Dir("memory")) };
        }

        if (Available("pids"))
        {
            stats = stats with { Pids = PidsController.Stats(Dir("pids")) };
        }

        if (Available("blkio"))
        {
            stats = stats with { BlockIo = BlkioController.Stats(Dir("blkio")) };
        }

        if (Available("cpuset"))
        {
            stats = stats with { Cpuset = CpusetController.Stats(Dir("cpuset")) };
        }

        if (includeHugetlb && Available("hugetlb"))
        {
            stats = stats with { Hugetlb = HugetlbController.Stats(Dir("hugetlb"), _hugePageSizes) };
        }

        if (Available("freezer"))
        {
            stats = stats with { Freezer = FreezerController.GetState(Dir("freezer")) };
        }

        return stats;
    }

    public IReadOnlyList<int> GetPids() => CoreFiles.ReadPids(PidsDir());

    public IReadOnlyList<int> GetAllPids() => CgroupV2Manager.CollectPids(_fs, PidsDir());

    public void Destroy()
    {
        foreach (string dir in DistinctPaths())
        {
            CgroupRemover.Remove(_fs, dir);
        }
    }

    private CgroupDirectory PidsDir()
    {
        // Any hierarchy lists the same processes; prefer ones every host mounts.
        foreach (string controller in new[] { "pids", "memory", "devices", "freezer", "cpu" })
        {
            if (Paths.ContainsKey(controller))
            {
                return Dir(controller);
            }
        }

        return Paths.Count > 0 ? Dir(Paths.Keys.First()) : throw new InvalidOperationException("no cgroup v1 hierarchy is mounted");
    }

    private bool Available(string controller) => Paths.TryGetValue(controller, out string? path) && _fs.DirectoryExists(path);

    private IEnumerable<string> DistinctPaths() => Paths.Values.Distinct(StringComparer.Ordinal);

    private CgroupDirectory Dir(string controller) => new(_fs, Paths[controller], CgroupVersion.V1);

    private CgroupDirectory RequireDir(string controller) =>
        Paths.ContainsKey(controller) ? Dir(controller) : throw new NotSupportedException($"the {controller} cgroup controller is not mounted on this host");
}
