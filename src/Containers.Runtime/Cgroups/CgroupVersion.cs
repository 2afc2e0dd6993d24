namespace Containers.Runtime.Cgroups;

/// <summary>The interface a cgroup directory speaks: v1 (one hierarchy per controller) or v2 (unified).</summary>
public enum CgroupVersion
{
    V1 = 1,
    V2 = 2,
}

/// <summary>How the host mounts cgroups, as /proc/self/mountinfo shows it.</summary>
public enum CgroupMode
{
    /// <summary>Only cgroup v1 hierarchies.</summary>
    Legacy,

    /// <summary>v1 controller hierarchies plus a cgroup2 mount (usually <c>/sys/fs/cgroup/unified</c>).</summary>
    Hybrid,

    /// <summary>One cgroup2 hierarchy holds every controller.</summary>
    Unified,
}
