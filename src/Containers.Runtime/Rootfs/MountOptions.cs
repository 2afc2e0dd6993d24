using Containers.Interop;

namespace Containers.Runtime.Rootfs;

/// <summary>A mount's options split the way mount(2) wants them: flags, propagation, and fs data.</summary>
public sealed record MountOptions(MountFlags Flags, MountFlags ClearedFlags, IReadOnlyList<MountFlags> Propagation, string Data)
{
    public bool IsBind => (Flags & MountFlags.Bind) != 0;
    public bool IsReadOnly => (Flags & MountFlags.ReadOnly) != 0;

    private static readonly Dictionary<string, (bool Clear, MountFlags Flag)> FlagOptions = new()
    {
        ["acl"] = (false, MountFlags.PosixAcl),
        ["async"] = (true, MountFlags.Synchronous),
        ["atime"] = (true, MountFlags.NoAtime),
        ["bind"] = (false, MountFlags.Bind),
        ["defaults"] = (false, MountFlags.None),
        ["dev"] = (true, MountFlags.NoDev),
        ["diratime"] = (true, MountFlags.NoDirAtime),
        ["dirsync"] = (false, MountFlags.DirSync),
        ["exec"] = (true, MountFlags.NoExec),
        ["iversion"] = (false, MountFlags.IVersion),
        ["lazytime"] = (false, MountFlags.LazyTime),
        ["loud"] = (true, MountFlags.Silent),
        ["mand"] = (false, MountFlags.MandatoryLock),
        ["noacl"] = (true, MountFlags.PosixAcl),
        ["noatime"] = (false, MountFlags.NoAtime),
        ["nodev"] = (false, MountFlags.NoDev),
        ["nodiratime"] = (false, MountFlags.NoDirAtime),
        ["noexec"] = (false, MountFlags.NoExec),
        ["noiversion"] = (true, MountFlags.IVersion),
        ["nolazytime"] = (true, MountFlags.LazyTime),
        ["nomand"] = (true, MountFlags.MandatoryLock),
        ["norelatime"] = (true, MountFlags.RelAtime),
        ["nostrictatime"] = (true, MountFlags.StrictAtime),
        ["nosuid"] = (false, MountFlags.NoSuid),
        ["nosymfollow"] = (false, MountFlags.NoSymFollow),
        ["rbind"] = (false, MountFlags.Bind | MountFlags.Recursive),
        ["relatime"] = (false, MountFlags.RelAtime),
        ["remount"] = (false, MountFlags.Remount),
        ["ro"] = (false, MountFlags.ReadOnly),
        ["rw"] = (true, MountFlags.ReadOnly),
        ["silent"] = (false, MountFlags.Silent),
        ["strictatime"] = (false, MountFlags.StrictAtime),
        ["suid"] = (true, MountFlags.NoSuid),
        ["sync"] = (false, MountFlags.Synchronous),
    };

    private static readonly Dictionary<string, MountFlags> PropagationOptions = new()
    {
        ["private"] = MountFlags.Private,
        ["rprivate"] = MountFlags.Private | MountFlags.Recursive,
        ["shared"] = MountFlags.Shared,
        ["rshared"] = MountFlags.Shared | MountFlags.Recursive,
        ["slave"] = MountFlags.Slave,
        ["rslave"] = MountFlags.Slave | MountFlags.Recursive,
        ["unbindable"] = MountFlags.Unbindable,
        ["runbindable"] = MountFlags.Unbindable | MountFlags.Recursive,
    };

    public static MountOptions Parse(IEnumerable<string>? options)
    {
        MountFlags flags = MountFlags.None, cleared = MountFlags.None;
        var propagation = new List<MountFlags>();
        var data = new List<string>();
        foreach (string option in options ?? [])
        {
            if (FlagOptions.TryGetValue(option, out var f))
            {
                if (f.Clear) { flags &= ~f.Flag; cleared |= f.Flag; }
                else { flags |= f.Flag; cleared &= ~f.Flag; }
            }
            else if (PropagationOptions.TryGetValue(option, out MountFlags p))
            {
                propagation.Add(p);
            }
            else if (option is "rro")
            {
                flags |= MountFlags.ReadOnly; // recursive read-only: approximated by ro on each bind
            }
            else if (option.Length > 0 && !option.StartsWith("x-", StringComparison.Ordinal)
                     && option is not ("rrw" or "idmap" or "ridmap" or "tmpcopyup" or "copyup"))
            {
                data.Add(option); // filesystem-specific: size=, mode=, newinstance, ptmxmode=...
            }
        }
        return new MountOptions(flags, cleared, propagation, string.Join(',', data));
    }

    /// <summary>Parses the propagation named by linux.rootfsPropagation ("" means rprivate, as runc).</summary>
    public static MountFlags ParseRootPropagation(string? value) =>
        string.IsNullOrEmpty(value) ? MountFlags.Private | MountFlags.Recursive
        : PropagationOptions.TryGetValue(value, out MountFlags p) ? p
        : throw new ArgumentException($"linux.rootfsPropagation: unknown propagation \"{value}\"");
}
