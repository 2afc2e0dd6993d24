using System.Globalization;
using System.Text;
using Containers.Runtime.Spec;

namespace Containers.Engine;

/// <summary>
/// A ContainerCreateRequest as an OCI config.json: Docker's defaults (DefaultSpec) changed by what the
/// request asks. Every check names the request's field; nothing here touches the disk but reads.
/// </summary>
internal static class SpecBuilder
{
    public const long MinimumMemory = 6 * 1024 * 1024;
    public const ulong CpuPeriod = 100_000;
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <param name="rootfs">The container's root as it will be seen (the lower directory: /etc/passwd is read from it).</param>
    public static RuntimeSpec Build(ContainerCreateRequest request, string id, string rootfs, string cgroupsPath)
    {
        RuntimeSpec spec = DefaultSpec.Create();
        IReadOnlyList<string> args = CommandOf(request);
        UserSpec user = UserResolver.Resolve(request.User, rootfs, out string? home);

        var env = new List<string> { DefaultPath };
        if (home is not null) env.Add("HOME=" + home);
        if (request.Tty) env.Add("TERM=xterm");
        foreach ((string key, string value) in request.Environment ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || key.Contains('=') || key.Contains('\0'))
            {
                throw Invalid("Environment", $"\"{key}\" is not a variable name");
            }
            env.RemoveAll(e => e.StartsWith(key + "=", StringComparison.Ordinal));
            env.Add($"{key}={value}");
        }

        string cwd = request.WorkingDirectory ?? "/";
        if (!cwd.StartsWith('/')) throw Invalid("WorkingDirectory", $"\"{cwd}\" is not an absolute path");
        string hostname = request.Hostname ?? id[..12];
        if (hostname.Length is 0 or > 63 || hostname.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.')))
        {
            throw Invalid("Hostname", $"\"{hostname}\" is not a valid host name");
        }

        CapabilitiesSpec caps = Capabilities(request);
        var process = spec.Process! with
        {
            Terminal = request.Tty,
            Args = args,
            Env = env,
            Cwd = cwd,
            User = user,
            Capabilities = caps,
            NoNewPrivileges = false,
        };
        LinuxSpec linux = spec.Linux! with
        {
            CgroupsPath = cgroupsPath,
            Resources = Resources(request, spec.Linux!.Resources!),
            Namespaces = Network(request.Network, spec.Linux!.Namespaces!),
        };
        var mounts = new List<MountSpec>(spec.Mounts!);
        if (request.Privileged)
        {
            linux = linux with
            {
                Seccomp = null,
                MaskedPaths = [],
                ReadonlyPaths = [],
                Resources = linux.Resources! with { Devices = [new DeviceCgroupSpec { Allow = true, Access = "rwm" }] },
            };
            // All host devices: /dev is the host's (rbind, rslave), with the container's own pts, shm and mqueue over it.
            mounts[mounts.FindIndex(m => m.Destination == "/dev")] =
                new MountSpec { Destination = "/dev", Type = "bind", Source = "/dev", Options = ["rbind", "nosuid", "rslave"] };
            mounts[mounts.FindIndex(m => m.Destination == "/sys")] = new MountSpec { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev"] };
            mounts[mounts.FindIndex(m => m.Destination == "/sys/fs/cgroup")] = mounts.First(m => m.Destination == "/sys/fs/cgroup") with { Options = ["nosuid", "noexec", "nodev", "relatime"] };
        }
        (linux, process) = SecurityOptions(request.SecurityOptions, linux, process);
        mounts.AddRange(Mounts(request.Mounts));

        return spec with
        {
            Process = process,
            Root = new RootSpec { Path = "rootfs", Readonly = request.ReadOnlyRootfs },
            Hostname = hostname,
            Mounts = mounts,
            Linux = linux,
            Annotations = request.Labels.Count > 0 ? new Dictionary<string, string>(request.Labels) : null,
        };
    }

    public static IReadOnlyList<string> CommandOf(ContainerCreateRequest request)
    {
        List<string> args = [.. request.Entrypoint ?? [], .. request.Command ?? []];
        if (args.Count == 0) throw Invalid("Command", "give a command to run (no image supplies one)");
        if (args[0].Length == 0) throw Invalid("Command", "the executable must not be empty");
        return args;
    }

    private static CapabilitiesSpec Capabilities(ContainerCreateRequest request)
    {
        var set = new List<string>(request.Privileged ? Available() : DefaultSpec.Capabilities);
        foreach (string add in request.CapabilityAdd)
        {
            if (IsAll(add))
            {
                set = [.. Available()];
                continue;
            }
            string name = Normalize("CapabilityAdd", add);
            if (!set.Contains(name)) set.Add(name);
        }
        foreach (string drop in request.CapabilityDrop)
        {
            if (IsAll(drop))
            {
                set.Clear();
                continue;
            }
            set.Remove(Normalize("CapabilityDrop", drop));
        }
        // Docker's order: drop ALL then add some keeps the added ones.
        if (request.CapabilityDrop.Any(IsAll))
        {
            foreach (string add in request.CapabilityAdd.Where(a => !IsAll(a)))
            {
                string name = Normalize("CapabilityAdd", add);
                if (!set.Contains(name)) set.Add(name);
            }
        }
        return new CapabilitiesSpec { Bounding = set, Effective = set, Permitted = set };

        static bool IsAll(string c) => string.Equals(c, "ALL", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"All" capabilities: those this process can still give (its bounding set), as Docker does.</summary>
    private static IEnumerable<string> Available() => KnownNames.Capabilities.Where(name =>
    {
        try
        {
            return Containers.Interop.Syscalls.IsInBoundingSet(KnownNames.CapabilityNumber(name));
        }
        catch (Containers.Interop.SyscallException)
        {
            return false; // newer than the kernel
        }
    });

    private static string Normalize(string field, string capability)
    {
        string name = capability.ToUpperInvariant();
        if (!name.StartsWith("CAP_", StringComparison.Ordinal)) name = "CAP_" + name;
        if (!KnownNames.Capabilities.Contains(name))
        {
            throw Invalid(field, $"unknown capability \"{capability}\"");
        }
        return name;
    }

    internal static ResourcesSpec Resources(ContainerCreateRequest request, ResourcesSpec defaults) =>
        defaults with
        {
            Memory = Memory(request.Memory, request.MemorySwap),
            Cpu = Cpu(request.Cpus, request.CpuShares, request.CpusetCpus),
            Pids = Pids(request.PidsLimit),
        };

    internal static MemorySpec? Memory(long? memory, long? swap)
    {
        if (memory is null && swap is null) return null;
        if (memory is { } m && m < MinimumMemory)
        {
            throw Invalid("Memory", "must be at least 6 MiB");
        }
        if (swap is { } s)
        {
            if (memory is null) throw Invalid("MemorySwap", "needs Memory as well");
            if (s != -1 && s < memory) throw Invalid("MemorySwap", "must be at least Memory (it counts memory plus swap), or -1 for unlimited swap");
        }
        return new MemorySpec { Limit = memory, Swap = swap };
    }

    internal static CpuSpec? Cpu(double? cpus, ulong? shares, string? cpuset)
    {
        if (cpus is null && shares is null && cpuset is null) return null;
        long? quota = null;
        if (cpus is { } c)
        {
            if (double.IsNaN(c) || c < 0.01 || c > Environment.ProcessorCount)
            {
                throw Invalid("Cpus", $"must be between 0.01 and {Environment.ProcessorCount} (the CPUs available)");
            }
            quota = (long)Math.Round(c * CpuPeriod);
        }
        if (shares is { } sh && sh is < 2 or > 262144)
        {
            throw Invalid("CpuShares", "must be between 2 and 262144");
        }
        if (cpuset is not null) ValidateCpuset(cpuset);
        return new CpuSpec { Quota = quota, Period = quota is null ? null : CpuPeriod, Shares = shares, Cpus = cpuset };
    }

    private static void ValidateCpuset(string cpuset)
    {
        foreach (string part in cpuset.Split(','))
        {
            string[] range = part.Split('-');
            if (range.Length is < 1 or > 2 || !range.All(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw Invalid("CpusetCpus", $"\"{cpuset}\" is not a list of CPUs like 0-1,3");
            }
            int last = int.Parse(range[^1], CultureInfo.InvariantCulture);
            if (last >= Environment.ProcessorCount || int.Parse(range[0], CultureInfo.InvariantCulture) > last)
            {
                throw Invalid("CpusetCpus", $"\"{cpuset}\": CPUs available are 0-{Environment.ProcessorCount - 1}");
            }
        }
    }

    internal static PidsSpec? Pids(long? limit) => limit switch
    {
        null => null,
        0 or < -1 => throw Invalid("PidsLimit", "must be positive, or -1 for unlimited"),
        _ => new PidsSpec { Limit = limit.Value },
    };

    private static List<NamespaceSpec> Network(string network, IReadOnlyList<NamespaceSpec> namespaces) => network switch
    {
        "none" or "" => [.. namespaces],
        "host" => [.. namespaces.Where(n => n.Type != "network")],
        _ => throw Invalid("Network", $"\"{network}\" is not supported: use none or host"),
    };

    private static (LinuxSpec, ProcessSpec) SecurityOptions(IReadOnlyList<string> options, LinuxSpec linux, ProcessSpec process)
    {
        foreach (string option in options)
        {
            string[] kv = option.Split(['=', ':'], 2);
            switch (kv[0])
            {
                case "no-new-privileges" when kv.Length == 1 || kv[1] is "true":
                    process = process with { NoNewPrivileges = true };
                    break;
                case "no-new-privileges" when kv[1] is "false":
                    process = process with { NoNewPrivileges = false };
                    break;
                case "seccomp" when kv.Length == 2 && kv[1] == "unconfined":
                    linux = linux with { Seccomp = null };
                    break;
                case "seccomp" when kv.Length == 2:
                    linux = linux with { Seccomp = LoadSeccomp(kv[1]) };
                    break;
                default:
                    throw Invalid("SecurityOptions", $"\"{option}\" is not supported: use seccomp=unconfined, seccomp=PROFILE.json or no-new-privileges");
            }
        }
        return (linux, process);
    }

    private static SeccompSpec LoadSeccomp(string file)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(File.ReadAllBytes(file), SpecJsonContext.Default.SeccompSpec)
                ?? throw Invalid("SecurityOptions", $"seccomp profile \"{file}\" is empty");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw Invalid("SecurityOptions", $"seccomp profile \"{file}\": {e.Message}");
        }
    }

    private static IEnumerable<MountSpec> Mounts(IReadOnlyList<MountRequest> mounts)
    {
        for (int i = 0; i < mounts.Count; i++)
        {
            MountRequest m = mounts[i];
            string field = $"Mounts[{i}]";
            if (string.IsNullOrEmpty(m.Destination) || !m.Destination.StartsWith('/') || m.Destination.Split('/').Contains(".."))
            {
                throw Invalid(field + ".Destination", $"\"{m.Destination}\" must be an absolute path without ..");
            }
            var options = new List<string>(m.Options ?? []);
            switch (m.Type.ToLowerInvariant())
            {
                case "bind":
                    if (string.IsNullOrEmpty(m.Source) || !Path.IsPathRooted(m.Source)) throw Invalid(field + ".Source", "a bind mount needs an absolute source path");
                    if (!File.Exists(m.Source) && !Directory.Exists(m.Source)) throw Invalid(field + ".Source", $"\"{m.Source}\" does not exist");
                    options.Insert(0, "rbind");
                    if (!options.Contains("rprivate") && !options.Any(o => o.EndsWith("shared", StringComparison.Ordinal) || o.EndsWith("slave", StringComparison.Ordinal))) options.Add("rprivate");
                    if (m.ReadOnly) options.Add("ro");
                    yield return new MountSpec { Destination = m.Destination, Type = "bind", Source = Path.GetFullPath(m.Source), Options = options };
                    break;
                case "tmpfs":
                    if (options.Count == 0) options.AddRange(["nosuid", "nodev", "noexec"]);
                    if (m.ReadOnly) options.Add("ro");
                    yield return new MountSpec { Destination = m.Destination, Type = "tmpfs", Source = "tmpfs", Options = options };
                    break;
                default:
                    throw Invalid(field + ".Type", $"\"{m.Type}\" is not supported: use bind or tmpfs");
            }
        }
    }

    internal static EngineException Invalid(string field, string message) => new(EngineErrorKind.InvalidArgument, $"{field}: {message}");
}

/// <summary>User as uid[:gid] or name[:group], names from the rootfs's /etc/passwd and /etc/group.</summary>
internal static class UserResolver
{
    public static UserSpec Resolve(string? user, string rootfs, out string? home)
    {
        home = null;
        if (string.IsNullOrEmpty(user))
        {
            home = "/root";
            return new UserSpec { Uid = 0, Gid = 0 };
        }
        string[] parts = user.Split(':', 2);
        var passwd = ReadTable(Path.Join(rootfs, "etc", "passwd"));
        var groups = ReadTable(Path.Join(rootfs, "etc", "group"));
        uint uid, gid;
        string? userName = null;
        if (uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out uid))
        {
            string[]? entry = passwd.FirstOrDefault(p => p.Length > 3 && p[2] == parts[0]);
            gid = entry is not null && uint.TryParse(entry[3], out uint g) ? g : 0;
            if (entry is not null)
            {
                userName = entry[0];
                home = entry.Length > 5 ? entry[5] : null;
            }
        }
        else
        {
            string[] entry = passwd.FirstOrDefault(p => p.Length > 3 && p[0] == parts[0])
                ?? throw SpecBuilder.Invalid("User", $"no user \"{parts[0]}\" in the rootfs's /etc/passwd");
            if (!uint.TryParse(entry[2], out uid) || !uint.TryParse(entry[3], out gid))
            {
                throw SpecBuilder.Invalid("User", $"the rootfs's /etc/passwd entry of \"{parts[0]}\" is malformed");
            }
            userName = entry[0];
            home = entry.Length > 5 ? entry[5] : null;
        }
        if (parts.Length == 2)
        {
            if (!uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out gid))
            {
                string[] entry = groups.FirstOrDefault(g => g.Length > 2 && g[0] == parts[1])
                    ?? throw SpecBuilder.Invalid("User", $"no group \"{parts[1]}\" in the rootfs's /etc/group");
                gid = uint.TryParse(entry[2], out uint g) ? g : throw SpecBuilder.Invalid("User", $"the rootfs's /etc/group entry of \"{parts[1]}\" is malformed");
            }
        }
        // Supplementary groups: those that list the user by name (as Docker does).
        List<uint> additional = userName is null
            ? []
            : [.. groups.Where(g => g.Length > 3 && g[3].Split(',').Contains(userName) && uint.TryParse(g[2], out _)).Select(g => uint.Parse(g[2], CultureInfo.InvariantCulture)).Where(g => g != gid).Distinct()];
        return new UserSpec { Uid = uid, Gid = gid, AdditionalGids = additional.Count > 0 ? additional : null };
    }

    private static List<string[]> ReadTable(string path)
    {
        try
        {
            return [.. File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':'))];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
    }
}
