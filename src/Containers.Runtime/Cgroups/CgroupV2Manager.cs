namespace Containers.Runtime.Cgroups;

/// <summary>Optional: builds and attaches the BPF program that enforces device rules on cgroup v2.</summary>
public interface ICgroupDeviceFilter
{
    void Apply(string cgroupPath, CgroupDeviceRules rules);
}

/// <summary>cgroup v2 (unified) over cgroupfs: one directory, controllers enabled from the parents.</summary>
public sealed class CgroupV2Manager : ICgroupManager
{
    private readonly ICgroupFileSystem _fs;
    private readonly string _mountPoint;
    private readonly IReadOnlyList<string> _hugePageSizes;
    private readonly bool _enableControllers;
    private readonly ICgroupDeviceFilter? _deviceFilter;

    /// <param name="enableControllers">
    /// Write the parents' cgroup.subtree_control so the container gets every available controller
    /// (runc's CreateCgroupPath). Off for the hybrid layout's cgroup2 mount, which we only join.
    /// </param>
    public CgroupV2Manager(string mountPoint, string path, ICgroupFileSystem fileSystem, IReadOnlyList<string> hugePageSizes, bool enableControllers = true, ICgroupDeviceFilter? deviceFilter = null)
    {
        _mountPoint = mountPoint;
        Path = path;
        _fs = fileSystem;
        _hugePageSizes = hugePageSizes;
        _enableControllers = enableControllers;
        _deviceFilter = deviceFilter;
    }

    public CgroupMode Mode => CgroupMode.Unified;

    /// <summary>The container's cgroup directory.</summary>
    public string Path { get; }

    public IReadOnlyDictionary<string, string> Paths => new Dictionary<string, string> { [string.Empty] = Path };

    /// <summary>The device rules Set computed last: what a BPF device program must enforce.</summary>
    public CgroupDeviceRules? DeviceRules { get; private set; }

    private CgroupDirectory Dir => new(_fs, Path, CgroupVersion.V2);

    public bool Exists() => _fs.DirectoryExists(Path);

    public void Apply(int pid)
    {
        if (_enableControllers)
        {
            EnableControllers();
        }

        _fs.CreateDirectory(Path);
        if (pid > 0)
        {
            CoreFiles.AddProcess(Dir, pid);
        }
    }

    /// <summary>Enables, from the mount root down to the container's parent, what each level offers.</summary>
    private void EnableControllers()
    {
        string relative = System.IO.Path.GetRelativePath(_mountPoint, Path);
        string current = _mountPoint;
        foreach (string part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var dir = new CgroupDirectory(_fs, current, CgroupVersion.V2);
            if (!_fs.DirectoryExists(current))
            {
                _fs.CreateDirectory(current);
            }

            string[] available = CoreFiles.HasControllers(dir)
                ? CoreFiles.ReadControllers(dir).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                : [];
            IReadOnlySet<string> enabled = CoreFiles.EnabledForChildren(dir);
            string[] missing = available.Where(c => !enabled.Contains(c)).ToArray();
            if (missing.Length > 0)
            {
                CoreFiles.WriteSubtreeControl(dir, string.Join(' ', missing.Select(c => "+" + c)));
            }

            current = System.IO.Path.Join(current, part);
        }
    }

    public void Set(CgroupResources resources)
    {
        CgroupDirectory dir = Dir;
        if (resources.Pids is not null)
        {
            PidsController.Set(Require(dir, "pids"), resources.Pids);
        }

        if (resources.Memory is not null)
        {
            MemoryController.Set(Require(dir, "memory"), resources.Memory);
        }

        if (resources.BlockIo is not null)
        {
            IoController.Set(Require(dir, "io"), resources.BlockIo);
        }

        if (CgroupV1Manager.Wants(resources, "cpu"))
        {
            CpuController.Set(Require(dir, "cpu"), resources.Cpu);
        }

        if (CgroupV1Manager.Wants(resources, "cpuset"))
        {
            CpusetController.Set(Require(dir, "cpuset"), resources.Cpu);
        }

        if (resources.HugepageLimits.Count > 0)
        {
            HugetlbController.Set(Require(dir, "hugetlb"), resources.HugepageLimits);
        }

        if (resources.Devices.Count > 0)
        {
            DeviceRules = DevicesController.RulesForV2(resources.Devices);
            if (_deviceFilter is null)
            {
                throw new NotSupportedException(
                    $"linux.resources.devices: cgroup v2 enforces device rules with a BPF program, and no device filter was given to the cgroup manager ({DeviceRules.Rules.Count} rules, default {(DeviceRules.DefaultAllow ? "allow" : "deny")})");
            }

            _deviceFilter.Apply(Path, DeviceRules);
        }

        foreach ((string file, string value) in resources.Unified)
        {
            if (file.Contains('/', StringComparison.Ordinal) || file.StartsWith('.'))
            {
                throw new ArgumentException($"linux.resources.unified: \"{file}\" is not a cgroup interface file name");
            }

            if (!dir.Exists(file))
            {
                throw new NotSupportedException($"linux.resources.unified: {dir.FilePath(file)} does not exist (controller not enabled, or no such file)");
            }

            dir.Write(file, value);
        }

        if (resources.Freezer is CgroupFreezerState.Frozen or CgroupFreezerState.Thawed)
        {
            FreezerController.Set(dir, resources.Freezer.Value);
        }
    }

    /// <summary>The controller must be enabled for the container's cgroup (listed in its cgroup.controllers).</summary>
    private CgroupDirectory Require(CgroupDirectory dir, string controller)
    {
        if (!HasController(controller))
        {
            throw new NotSupportedException($"the {controller} controller is not available in {Path} (not in its cgroup.controllers)");
        }

        return dir;
    }

    public bool HasController(string controller)
    {
        CgroupDirectory dir = Dir;
        return CoreFiles.HasControllers(dir)
            && CoreFiles.ReadControllers(dir).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(controller);
    }

    public void Freeze() => FreezerController.Set(Dir, CgroupFreezerState.Frozen);

    public void Thaw() => FreezerController.Set(Dir, CgroupFreezerState.Thawed);

    public CgroupFreezerState GetFreezerState() => Exists() ? FreezerController.GetState(Dir) : CgroupFreezerState.Undefined;

    public CgroupStats GetStats()
    {
        CgroupDirectory dir = Dir;
        var stats = new CgroupStats { Freezer = FreezerController.GetState(dir) };
        if (CpuController.HasStat(dir))
        {
            stats = stats with { Cpu = CpuController.Stats(dir, null) };
        }

        if (MemoryController.HasUsage(dir))
        {
            stats = stats with { Memory = MemoryController.Stats(dir) };
        }

        if (PidsController.HasCurrent(dir))
        {
            stats = stats with { Pids = PidsController.Stats(dir) };
        }

        if (IoController.HasStat(dir))
        {
            stats = stats with { BlockIo = IoController.Stats(dir) };
        }

        if (HasController("cpuset"))
        {
            stats = stats with { Cpuset = CpusetController.Stats(dir) };
        }

        if (HasController("hugetlb"))
        {
            stats = stats with { Hugetlb = HugetlbController.Stats(dir, _hugePageSizes) };
        }

        return stats;
    }

    public IReadOnlyList<int> GetPids() => CoreFiles.ReadPids(Dir);

    public IReadOnlyList<int> GetAllPids() => CollectPids(_fs, Dir);

    public void Destroy() => CgroupRemover.Remove(_fs, Path);

    internal static IReadOnlyList<int> CollectPids(ICgroupFileSystem fs, CgroupDirectory dir)
    {
        var pids = new List<int>(CoreFiles.ReadPids(dir));
        foreach (string child in fs.EnumerateDirectories(dir.Path))
        {
            pids.AddRange(CollectPids(fs, new CgroupDirectory(fs, child, dir.Version)));
        }

        return pids;
    }
}
