using Containers.Interop;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Process;

/// <summary>config.json's linux.namespaces as the spawner needs them: flags to unshare, paths to join.</summary>
public sealed record NamespacePlan(CloneFlags Unshare, IReadOnlyDictionary<CloneFlags, string> Join)
{
    public static NamespacePlan From(RuntimeSpec spec)
    {
        CloneFlags unshare = CloneFlags.None;
        var join = new Dictionary<CloneFlags, string>();
        foreach (NamespaceSpec ns in spec.Linux?.Namespaces ?? [])
        {
            CloneFlags flag = NamespaceSpawner.FlagOf(ns.Type!);
            if (string.IsNullOrEmpty(ns.Path))
            {
                unshare |= flag;
            }
            else
            {
                join[flag] = ns.Path;
            }
        }
        if ((unshare & CloneFlags.NewUser) != 0 || join.ContainsKey(CloneFlags.NewUser))
        {
            throw new ArgumentException("linux.namespaces: user namespaces are not supported by this runtime yet");
        }
        // The cgroup namespace is created by init itself, after the parent placed it in its cgroups.
        return new NamespacePlan(unshare, join);
    }

    /// <summary>The flags the spawner thread unshares (all but cgroup, which init unshares).</summary>
    public CloneFlags SpawnerUnshare => Unshare & ~CloneFlags.NewCgroup;

    public JoinedNamespaces OpenJoined()
    {
        var fds = new Dictionary<CloneFlags, SafeFd>();
        try
        {
            foreach (var (flag, path) in Join)
            {
                fds[flag] = Syscalls.Openat2(SafeFd.CurrentDirectory, path,
                    OpenHow.Create(OpenFlags.ReadOnly | OpenFlags.CloseOnExec, ResolveFlags.None));
            }
        }
        catch (SyscallException e)
        {
            foreach (SafeFd fd in fds.Values) fd.Dispose();
            throw new ArgumentException($"linux.namespaces: cannot open the namespace to join: {e.Message}", e);
        }
        return new JoinedNamespaces(fds);
    }
}

public sealed class JoinedNamespaces(Dictionary<CloneFlags, SafeFd> descriptors) : IDisposable
{
    public IReadOnlyDictionary<CloneFlags, SafeFd> Descriptors => descriptors;

    public void Dispose()
    {
        foreach (SafeFd fd in descriptors.Values) fd.Dispose();
    }
}
