using Containers.Interop;
using Containers.Runtime.Spec;

namespace Containers.Runtime.Rootfs;

/// <summary>Device nodes in the container's /dev: the default set every runtime provides, and the spec's.</summary>
public sealed class DeviceNodes
{
    private const uint S_IFCHR = 0x2000 /* 0020000 */, S_IFBLK = 0x6000 /* 0060000 */, S_IFIFO = 0x1000 /* 0010000 */;

    public static readonly IReadOnlyList<DeviceSpec> Defaults =
    [
        Char("/dev/null", 1, 3), Char("/dev/zero", 1, 5), Char("/dev/full", 1, 7),
        Char("/dev/random", 1, 8), Char("/dev/urandom", 1, 9), Char("/dev/tty", 5, 0),
    ];

    private readonly RootfsPaths _paths;
    private readonly IReadOnlyList<DeviceSpec> _devices;

    public DeviceNodes(RootfsPaths paths, IReadOnlyList<DeviceSpec> devices)
    {
        _paths = paths;
        _devices = devices;
    }

    public void Create(bool includeDefaults)
    {
        var byPath = new Dictionary<string, DeviceSpec>(StringComparer.Ordinal);
        foreach (DeviceSpec device in (includeDefaults ? Defaults : []).Concat(_devices))
        {
            byPath[device.Path!] = device; // the spec's entry wins over a default
        }
        foreach (DeviceSpec device in byPath.Values)
        {
            try
            {
                CreateOne(device);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InitStepException($"create device {device.Path} ({device.Type} {device.Major}:{device.Minor})", e);
            }
        }
    }

    /// <summary>/dev/fd, /dev/std{in,out,err}, /dev/ptmx and /dev/core, as runc makes them.</summary>
    public void CreateStandardLinks()
    {
        (string Link, string Target)[] links =
        [
            ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
            ("stderr", "/proc/self/fd/2"), ("ptmx", "pts/ptmx"),
        ];
        using SafeFd dev = _paths.OpenPath("/dev", directory: true);
        foreach (var (link, target) in links)
        {
            Errno errno = Syscalls.TrySymlinkat(target, dev, link);
            if (!errno.IsSuccess && errno != Errno.EEXIST)
            {
                throw new InitStepException($"symlink /dev/{link} -> {target}", new SyscallException("symlinkat", errno, $"\"{target}\", \"/dev/{link}\""));
            }
        }
        if (File.Exists("/proc/kcore"))
        {
            Syscalls.TrySymlinkat("/proc/kcore", dev, "core");
        }
    }

    private void CreateOne(DeviceSpec device)
    {
        string path = device.Path!;
        string name = Path.GetFileName(path);
        using SafeFd parent = _paths.EnsurePath(Path.GetDirectoryName(path) ?? "/", asFile: false);
        uint type = device.Type switch { "b" => S_IFBLK, "p" => S_IFIFO, _ => S_IFCHR };
        uint mode = (device.FileMode ?? 0x1B6 /* 0666 */) & 0xFFF /* 07777 */;
        ulong dev = Syscalls.MakeDevice((uint)device.Major, (uint)device.Minor);
        Errno errno = Syscalls.TryMknodat(parent, name, type | mode, dev);
        if (errno == Errno.EEXIST)
        {
            return;
        }
        if (errno == Errno.EPERM && device.Type != "p")
        {
            // No CAP_MKNOD (e.g. in a user namespace): bind the host's node instead, as runc does.
            Syscalls.TryMknodat(parent, name, 0x8000 /* 0100000 */ | 0x1A4 /* 0644 */, 0);
            using SafeFd target = _paths.OpenPath(path);
            Syscalls.Mount(path, RootfsPaths.ProcPath(target), null, MountFlags.Bind, null);
            return;
        }
        if (!errno.IsSuccess)
        {
            throw new SyscallException("mknodat", errno, $"\"{path}\", mode={Convert.ToString(type | mode, 8)}, dev={device.Major}:{device.Minor}");
        }
        using SafeFd node = _paths.OpenPath(path);
        if (device.Uid is not null || device.Gid is not null)
        {
            Syscalls.Fchownat(node, "", device.Uid ?? 0, device.Gid ?? 0, AtFlags.EmptyPath);
        }
    }

    private static DeviceSpec Char(string path, long major, long minor) =>
        new() { Type = "c", Path = path, Major = major, Minor = minor, FileMode = 0x1B6 /* 0666 */, Uid = 0, Gid = 0 };
}
