using Containers.Runtime.Cgroups;

namespace Containers.Cgroups.Tests;

/// <summary>
/// A nested relative cgroupsPath ("parent/child") leaves its parent behind after Destroy unless
/// pruned; pruning removes only empty parents the path introduced. Real v1 hierarchy, as root.
/// </summary>
public sealed class PruneParentsTests
{
    [Fact]
    public void Empty_parents_of_a_nested_relative_path_are_removed_and_busy_ones_kept()
    {
        string parent = "containers-prunetest-" + Guid.NewGuid().ToString("N")[..10];
        ICgroupManager first = CgroupManagerFactory.Create(parent + "/a");
        ICgroupManager second = CgroupManagerFactory.Create(parent + "/b");
        first.Apply(0);  // pid 0: creates the directories, moves nobody
        second.Apply(0);
        Assert.All(first.Paths.Values, p => Assert.True(Directory.Exists(p), p));
        List<string> parents = first.Paths.Values.Select(p => Path.GetDirectoryName(p)!).ToList();

        first.Destroy();
        CgroupPaths.PruneEmptyParents(parent + "/a", first.Paths.Values, CgroupFileSystem.Instance);
        Assert.All(parents, p => Assert.True(Directory.Exists(p), $"{p} still holds b"));

        second.Destroy();
        CgroupPaths.PruneEmptyParents(parent + "/b", second.Paths.Values, CgroupFileSystem.Instance);
        Assert.All(parents, p => Assert.False(Directory.Exists(p), $"{p} should be pruned"));
    }

    [Fact]
    public void A_single_level_or_absolute_path_prunes_nothing_above_it()
    {
        string name = "containers-prunetest-" + Guid.NewGuid().ToString("N")[..10];
        ICgroupManager manager = CgroupManagerFactory.Create(name);
        manager.Apply(0);
        List<string> parents = manager.Paths.Values.Select(p => Path.GetDirectoryName(p)!).Distinct().ToList();
        manager.Destroy();
        CgroupPaths.PruneEmptyParents(name, manager.Paths.Values, CgroupFileSystem.Instance);
        CgroupPaths.PruneEmptyParents("/" + name, manager.Paths.Values, CgroupFileSystem.Instance);
        Assert.All(parents, p => Assert.True(Directory.Exists(p), p)); // our own cgroup stays
    }
}
