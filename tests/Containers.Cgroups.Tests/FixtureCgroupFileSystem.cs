using Containers.Interop;
using Containers.Runtime.Cgroups;

namespace Containers.Cgroups.Tests;

/// <summary>
/// A cgroup hierarchy made of plain directories under a temporary root, behaving like cgroupfs
/// where the managers depend on it: a new directory gets its controller's interface files (copied
/// from Fixtures/), cgroup.procs collects pids, rmdir fails with EBUSY while tasks remain,
/// cgroup.freeze updates cgroup.events. Every write is recorded in order.
/// </summary>
internal sealed class FixtureCgroupFileSystem : ICgroupFileSystem, IDisposable
{
    private static readonly string Fixtures = Path.Join(AppContext.BaseDirectory, "Fixtures");

    /// <param name="templateFor">The fixture directory (under Fixtures/) for a new cgroup directory, by its hierarchy's top-level name.</param>
    public FixtureCgroupFileSystem(Func<string, string> templateFor)
    {
        Root = Path.Join(Path.GetTempPath(), "cgroup-fixture-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        TemplateFor = templateFor;
    }

    public string Root { get; }

    public Func<string, string> TemplateFor { get; }

    /// <summary>(path relative to <see cref="Root"/>, value) in the order the manager wrote them.</summary>
    public List<(string Path, string Value)> Writes { get; } = [];

    /// <summary>Creates a hierarchy root (a mount point) filled from a fixture directory.</summary>
    public string AddHierarchy(string name, string template)
    {
        string dir = Path.Join(Root, name);
        Directory.CreateDirectory(dir);
        CopyTemplate(template, dir);
        return dir;
    }

    public string Relative(string path) => Path.GetRelativePath(Root, path);

    public string ReadFile(string path) => CgroupFileSystem.Instance.ReadFile(path);

    public void WriteFile(string path, string value)
    {
        Writes.Add((Relative(path), value));
        string name = Path.GetFileName(path);
        string dir = Path.GetDirectoryName(path)!;
        switch (name)
        {
            case "cgroup.procs":
                if (!File.Exists(path))
                {
                    throw new SyscallException("open", Errno.ENOENT, $"\"{path}\", O_WRONLY");
                }

                File.AppendAllText(path, value + "\n");
                return;
            case "cgroup.subtree_control":
                var enabled = new SortedSet<string>(File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
                foreach (string change in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (change[0] == '+')
                    {
                        enabled.Add(change[1..]);
                    }
                    else
                    {
                        enabled.Remove(change[1..]);
                    }
                }

                File.WriteAllText(path, string.Join(' ', enabled) + "\n");
                return;
            case "cgroup.freeze":
                CgroupFileSystem.Instance.WriteFile(path, value);
                string events = Path.Join(dir, "cgroup.events");
                File.WriteAllText(events, File.ReadAllText(events).Replace("frozen 0", "frozen " + value.Trim(), StringComparison.Ordinal).Replace("frozen 1", "frozen " + value.Trim(), StringComparison.Ordinal));
                return;
            default:
                // Through the real implementation, so open(2)/write(2) errors look as on cgroupfs.
                CgroupFileSystem.Instance.WriteFile(path, value);
                return;
        }
    }

    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public void CreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        string parent = Path.GetDirectoryName(path)!;
        CreateDirectory(parent);
        Writes.Add((Relative(path), "<mkdir>"));
        Directory.CreateDirectory(path);
        string top = Relative(path).Split('/')[0];
        CopyTemplate(TemplateFor(top), path);

        // v2: a child offers what its parent enabled for children.
        string controllers = Path.Join(path, "cgroup.controllers");
        string subtree = Path.Join(parent, "cgroup.subtree_control");
        if (File.Exists(controllers) && File.Exists(subtree))
        {
            File.WriteAllText(controllers, File.ReadAllText(subtree));
            File.WriteAllText(Path.Join(path, "cgroup.subtree_control"), string.Empty);
        }
    }

    public void RemoveDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            throw new SyscallException("rmdir", Errno.ENOENT, $"\"{path}\"");
        }

        string procs = Path.Join(path, "cgroup.procs");
        if (File.Exists(procs) && File.ReadAllText(procs).Trim().Length > 0)
        {
            throw new SyscallException("rmdir", Errno.EBUSY, $"\"{path}\"");
        }

        if (Directory.EnumerateDirectories(path).Any())
        {
            throw new SyscallException("rmdir", Errno.ENOTEMPTY, $"\"{path}\"");
        }

        Writes.Add((Relative(path), "<rmdir>"));
        Directory.Delete(path, recursive: true);
    }

    public IEnumerable<string> EnumerateDirectories(string path) => Directory.EnumerateDirectories(path);

    /// <summary>A /proc/self/mountinfo line for a hierarchy under this root.</summary>
    public string MountLine(int id, string name, string fsType, string superOptions, string root = "/") =>
        $"{id} 23 0:{id} {root} {Path.Join(Root, name)} rw,nosuid,nodev,noexec,relatime shared:{id} - {fsType} {(fsType == "cgroup2" ? "cgroup2" : "cgroup")} {superOptions}";

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static void CopyTemplate(string template, string target)
    {
        foreach (string file in Directory.EnumerateFiles(Path.Join(Fixtures, template)))
        {
            string name = Path.GetFileName(file);
            File.WriteAllText(Path.Join(target, name), name == "cgroup.procs" ? string.Empty : File.ReadAllText(file));
        }
    }
}
