namespace Containers.Runtime.Cgroups;

/// <summary>
/// The cgroups of one container (youki's CgroupManager, runc's cgroups.Manager): create and join,
/// apply limits, freeze, read statistics and pids, remove.
/// </summary>
public interface ICgroupManager
{
    CgroupMode Mode { get; }

    /// <summary>The cgroup directory per controller ("memory" → "/sys/fs/cgroup/memory/ctr"); "" is the cgroup2 directory.</summary>
    IReadOnlyDictionary<string, string> Paths { get; }

    /// <summary>Whether the container's cgroup directories exist.</summary>
    bool Exists();

    /// <summary>Creates the cgroups where missing and moves <paramref name="pid"/> (all its threads) into them.</summary>
    void Apply(int pid);

    /// <summary>Applies the limits; members left null keep the kernel's current values.</summary>
    void Set(CgroupResources resources);

    /// <summary>Freezes every task and waits until the kernel reports the cgroup frozen.</summary>
    void Freeze();

    /// <summary>Thaws the tasks and waits until the kernel reports the cgroup thawed.</summary>
    void Thaw();

    CgroupFreezerState GetFreezerState();

    CgroupStats GetStats();

    /// <summary>The processes directly in the container's cgroup.</summary>
    IReadOnlyList<int> GetPids();

    /// <summary>The processes in the container's cgroup and every cgroup below it.</summary>
    IReadOnlyList<int> GetAllPids();

    /// <summary>
    /// Removes the cgroup directories (children first), retrying while the kernel still drains
    /// exiting tasks (EBUSY). Tasks must have been killed before. Idempotent.
    /// </summary>
    void Destroy();
}
