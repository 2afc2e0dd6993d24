namespace Containers.Runtime.Cgroups;

/// <summary>Where the factory reads the host's layout; every path can point at a test fixture.</summary>
public sealed record CgroupManagerOptions
{
    public string MountInfoPath { get; init; } = "/proc/self/mountinfo";

    /// <summary>The runtime's own memberships, base of relative cgroupsPaths.</summary>
    public string ProcessCgroupPath { get; init; } = "/proc/self/cgroup";

    public ICgroupFileSystem FileSystem { get; init; } = CgroupFileSystem.Instance;

    /// <summary>Page sizes for hugetlb ("2MB"); null reads /sys/kernel/mm/hugepages.</summary>
    public IReadOnlyList<string>? HugePageSizes { get; init; }

    /// <summary>Enforces device rules on cgroup v2; null makes Set refuse device rules there.</summary>
    public ICgroupDeviceFilter? DeviceFilter { get; init; } = new BpfDeviceFilter();

    public CgroupDriver Driver { get; init; } = CgroupDriver.Cgroupfs;
}

/// <summary>Chooses the manager for the host's layout (crun's table of backends, here one driver: cgroupfs).</summary>
public static class CgroupManagerFactory
{
    public static ICgroupManager Create(string cgroupsPath, CgroupManagerOptions? options = null)
    {
        options ??= new CgroupManagerOptions();
        CgroupDriverCheck.EnsureAvailable(options.Driver);
        CgroupMounts mounts = CgroupMounts.Parse(File.ReadAllText(options.MountInfoPath));
        ProcessCgroups own = ProcessCgroups.Parse(File.ReadAllText(options.ProcessCgroupPath));
        return Create(cgroupsPath, mounts, own, options);
    }

    public static ICgroupManager Create(string cgroupsPath, CgroupMounts mounts, ProcessCgroups own, CgroupManagerOptions options)
    {
        CgroupPaths.Validate(cgroupsPath);
        IReadOnlyList<string> pageSizes = options.HugePageSizes ?? HugetlbController.HostPageSizes();
        switch (mounts.Mode)
        {
            case CgroupMode.Unified:
                return CreateV2(cgroupsPath, mounts.Unified!, own, options, pageSizes, enableControllers: true);
            case CgroupMode.Legacy:
                return CreateV1(cgroupsPath, mounts, own, options, pageSizes);
            default:
                return new CgroupHybridManager(
                    CreateV1(cgroupsPath, mounts, own, options, pageSizes),
                    CreateV2(cgroupsPath, mounts.Unified!, own, options, pageSizes, enableControllers: false));
        }
    }

    private static CgroupV1Manager CreateV1(string cgroupsPath, CgroupMounts mounts, ProcessCgroups own, CgroupManagerOptions options, IReadOnlyList<string> pageSizes)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string controller, CgroupMount mount) in mounts.V1)
        {
            own.V1.TryGetValue(controller, out string? ownPath);
            paths[controller] = CgroupPaths.Resolve(mount, ownPath, cgroupsPath);
        }

        return new CgroupV1Manager(paths, mounts.V1, options.FileSystem, pageSizes);
    }

    private static CgroupV2Manager CreateV2(string cgroupsPath, CgroupMount unified, ProcessCgroups own, CgroupManagerOptions options, IReadOnlyList<string> pageSizes, bool enableControllers)
    {
        string path = CgroupPaths.Resolve(unified, own.Unified, cgroupsPath);
        return new CgroupV2Manager(unified.MountPoint, path, options.FileSystem, pageSizes, enableControllers, options.DeviceFilter);
    }
}
