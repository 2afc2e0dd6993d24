namespace Containers.Runtime.Spec;

public static partial class SpecValidator
{
    private sealed partial class Checks
    {
        public void Linux()
        {
            if (spec.Linux is not { } linux)
            {
                return;
            }

            Namespaces(linux.Namespaces);
            UserMappings(linux);
            TimeOffsets(linux.TimeOffsets);
            Devices(linux.Devices);
            CgroupsPath(linux.CgroupsPath);
            Resources(linux.Resources);
            Sysctl(linux.Sysctl);
            Seccomp(linux.Seccomp);
            if (linux.RootfsPropagation is { Length: > 0 } propagation && !KnownNames.RootfsPropagations.Contains(propagation))
            {
                Fail("linux.rootfsPropagation", $"unknown propagation {Quote(propagation)}");
            }

            AbsolutePaths("linux.maskedPaths", linux.MaskedPaths);
            AbsolutePaths("linux.readonlyPaths", linux.ReadonlyPaths);
            if (linux.Personality is { } personality
                && (personality.Domain is null || !KnownNames.PersonalityDomains.Contains(personality.Domain)))
            {
                Fail("linux.personality.domain", $"unknown domain {Quote(personality.Domain)}");
            }
        }

        private void Namespaces(IReadOnlyList<NamespaceSpec>? namespaces)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < (namespaces?.Count ?? 0); i++)
            {
                var path = $"linux.namespaces[{i}]";
                var ns = namespaces![i];
                if (ns is null)
                {
                    Fail(path, "must be an object, not null");
                    continue;
                }

                if (ns.Type is null || !KnownNames.NamespaceTypes.Contains(ns.Type))
                {
                    Fail(path + ".type", $"unknown {Quote(ns.Type)}");
                    continue;
                }

                if (!seen.Add(ns.Type))
                {
                    Fail(path, $"duplicate namespace {Quote(ns.Type)}");
                }

                if (ns.Path is { Length: > 0 } nsPath && !IsAbsolute(nsPath))
                {
                    Fail(path + ".path", $"{Quote(nsPath)} must be an absolute path");
                }
            }
        }

        private void UserMappings(LinuxSpec linux)
        {
            var user = Namespace("user");
            var mapped = linux.UidMappings is { Count: > 0 } || linux.GidMappings is { Count: > 0 };
            if (user is null && mapped)
            {
                Fail(linux.UidMappings is { Count: > 0 } ? "linux.uidMappings" : "linux.gidMappings",
                    "needs a user namespace (linux.namespaces)");
            }
            else if (user is not null && string.IsNullOrEmpty(user.Path)
                && (linux.UidMappings is not { Count: > 0 } || linux.GidMappings is not { Count: > 0 }))
            {
                Fail("linux.uidMappings", "a new user namespace needs both uidMappings and gidMappings");
            }

            IdMappings("linux.uidMappings", linux.UidMappings);
            IdMappings("linux.gidMappings", linux.GidMappings);
        }

        private void TimeOffsets(IReadOnlyDictionary<string, TimeOffsetSpec>? offsets)
        {
            if (offsets is not { Count: > 0 })
            {
                return;
            }

            if (!HasNamespace("time"))
            {
                Fail("linux.timeOffsets", "needs a new time namespace (linux.namespaces)");
            }

            foreach (var (clock, offset) in offsets)
            {
                if (!KnownNames.TimeOffsetClocks.Contains(clock))
                {
                    Fail($"linux.timeOffsets.{clock}", "unknown clock (monotonic or boottime)");
                }
                else if (offset is null)
                {
                    Fail($"linux.timeOffsets.{clock}", "must be an object, not null");
                }
                else if (offset.Nanosecs >= 1_000_000_000)
                {
                    Fail($"linux.timeOffsets.{clock}.nanosecs", "must be less than 1000000000");
                }
            }
        }

        private void Devices(IReadOnlyList<DeviceSpec>? devices)
        {
            for (var i = 0; i < (devices?.Count ?? 0); i++)
            {
                var path = $"linux.devices[{i}]";
                var d = devices![i];
                if (d is null)
                {
                    Fail(path, "must be an object, not null");
                    continue;
                }

                if (d.Type is not ("c" or "b" or "u" or "p"))
                {
                    Fail(path + ".type", $"unknown device type {Quote(d.Type)} (c, b, u or p)");
                }

                if (string.IsNullOrEmpty(d.Path))
                {
                    Fail(path + ".path", "required");
                }
                else if (!IsAbsolute(d.Path))
                {
                    Fail(path + ".path", $"{Quote(d.Path)} must be an absolute path");
                }

                if (d.Type is "c" or "b" or "u" && (d.Major < 0 || d.Minor < 0))
                {
                    Fail(path, "major and minor must not be negative");
                }
            }
        }

        private void CgroupsPath(string? cgroupsPath)
        {
            if (string.IsNullOrEmpty(cgroupsPath))
            {
                return;
            }

            if (cgroupsPath.Contains('\0', StringComparison.Ordinal))
            {
                Fail("linux.cgroupsPath", "must not contain a NUL character");
            }
            else if (cgroupsPath.Contains(':', StringComparison.Ordinal))
            {
                // The systemd driver's form: slice:prefix:name.
                var parts = cgroupsPath.Split(':');
                if (parts.Length != 3 || parts[2].Length == 0 || parts[0].Contains('/', StringComparison.Ordinal))
                {
                    Fail("linux.cgroupsPath", $"{Quote(cgroupsPath)} is neither a path nor slice:prefix:name");
                }
            }
            else if (cgroupsPath.Split('/').Any(part => part == ".."))
            {
                Fail("linux.cgroupsPath", $"{Quote(cgroupsPath)} must not contain \"..\"");
            }
        }

        private void Sysctl(IReadOnlyDictionary<string, string>? sysctl)
        {
            foreach (var (key, value) in sysctl ?? new Dictionary<string, string>())
            {
                var path = $"linux.sysctl.{key}";
                var name = key.Replace('/', '.');
                if (value is null)
                {
                    Fail(path, "must be a string, not null");
                }
                else if (name.Length == 0 || name.StartsWith('.') || name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal))
                {
                    Fail(path, "is not a sysctl name");
                }
                else if (IpcSysctls.Contains(name) || name.StartsWith("fs.mqueue.", StringComparison.Ordinal))
                {
                    if (!HasNamespace("ipc"))
                    {
                        Fail(path, "needs a new ipc namespace (linux.namespaces)");
                    }
                }
                else if (name.StartsWith("net.", StringComparison.Ordinal))
                {
                    if (!HasNamespace("network"))
                    {
                        Fail(path, "needs a new network namespace (linux.namespaces)");
                    }
                }
                else if (name is "kernel.hostname" or "kernel.domainname" && HasNamespace("uts"))
                {
                    var field = name == "kernel.hostname" ? "hostname" : "domainname";
                    var conflicts = name == "kernel.hostname" || !string.IsNullOrEmpty(spec.Domainname);
                    if (conflicts)
                    {
                        Fail(path, $"conflicts with the {field} field; set that instead");
                    }
                }
                else
                {
                    Fail(path, "is not in a separate kernel namespace");
                }
            }
        }

        /// <summary>The kernel.* sysctls an ipc namespace owns (runc's list).</summary>
        private static readonly HashSet<string> IpcSysctls = new(StringComparer.Ordinal)
        {
            "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
        };
    }
}
