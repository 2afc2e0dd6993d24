namespace Containers.Runtime.Cgroups;

/// <summary>
/// The hybrid layout (v1 controllers plus a cgroup2 mount, usually at /sys/fs/cgroup/unified):
/// limits go through v1; the container also joins the cgroup2 hierarchy, as systemd places
/// processes there, and a controller missing from v1 (hugetlb on our hosts) is used through
/// cgroup2 when the parent enables it. crun refuses this layout; runc, like us, runs on it.
/// </summary>
public sealed class CgroupHybridManager : ICgroupManager
{
    private readonly CgroupV1Manager _v1;
    private readonly CgroupV2Manager _unified;

    public CgroupHybridManager(CgroupV1Manager v1, CgroupV2Manager unified)
    {
        _v1 = v1;
        _unified = unified;
    }

    public CgroupMode Mode => CgroupMode.Hybrid;

    public IReadOnlyDictionary<string, string> Paths
    {
        get
        {
            var paths = new Dictionary<string, string>(_v1.Paths) { [string.Empty] = _unified.Path };
            return paths;
        }
    }

    public bool Exists() => _v1.Exists() || _unified.Exists();

    public void Apply(int pid)
    {
        _v1.Apply(pid);
        _unified.Apply(pid);
    }

    public void Set(CgroupResources resources)
    {
        bool hugetlbViaUnified = resources.HugepageLimits.Count > 0 && !_v1.HasController("hugetlb");
        if (hugetlbViaUnified && !_unified.HasController("hugetlb"))
        {
            throw new NotSupportedException(
                $"hugepageLimits: the hugetlb controller is neither a v1 hierarchy nor enabled for {_unified.Path} (the parent's cgroup.subtree_control lacks +hugetlb)");
        }

        if (resources.Unified.Count > 0)
        {
            throw new NotSupportedException("linux.resources.unified needs a cgroup v2 host; on this hybrid host limits go through cgroup v1");
        }

        _v1.Set(hugetlbViaUnified ? resources with { HugepageLimits = [] } : resources);
        if (hugetlbViaUnified)
        {
            _unified.Set(new CgroupResources { HugepageLimits = resources.HugepageLimits });
        }
    }

    public void Freeze() => _v1.Freeze();

    public void Thaw() => _v1.Thaw();

    public CgroupFreezerState GetFreezerState() => _v1.GetFreezerState();

    public CgroupStats GetStats()
    {
        if (_v1.HasController("hugetlb") || !_unified.Exists() || !_unified.HasController("hugetlb"))
        {
            return _v1.GetStats();
        }

        return _v1.GetStats(includeHugetlb: false) with { Hugetlb = _unified.GetStats().Hugetlb };
    }

    public IReadOnlyList<int> GetPids() => _v1.GetPids();

    public IReadOnlyList<int> GetAllPids() => _v1.GetAllPids();

    public void Destroy()
    {
        // Both, even when one fails; report the first failure.
        Exception? first = null;
        foreach (Action remove in new Action[] { _v1.Destroy, _unified.Destroy })
        {
            try
            {
                remove();
            }
            catch (IOException e)
            {
                first ??= e;
            }
        }

        if (first is not null)
        {
            throw first;
        }
    }
}
