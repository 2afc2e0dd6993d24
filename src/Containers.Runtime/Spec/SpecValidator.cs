namespace Containers.Runtime.Spec;

/// <summary>
/// Ordered, small checks of a parsed config (in the manner of runc's configs/validate): each names the
/// field it rejects, e.g. <c>process.args: must not be empty</c>.
/// </summary>
public static partial class SpecValidator
{
    /// <summary>Every problem found, in check order; empty when the config is usable.</summary>
    public static IReadOnlyList<SpecError> Validate(RuntimeSpec spec, SpecValidatorOptions? options = null)
    {
        var v = new Checks(spec, options ?? SpecValidatorOptions.Default);
        v.OciVersion();
        v.Root();
        v.Process();
        v.Hostname();
        v.Mounts();
        v.Hooks();
        v.Linux();
        return v.Errors;
    }

    /// <summary>Throws a <see cref="SpecException"/> whose message is the first error.</summary>
    public static void ThrowIfInvalid(RuntimeSpec spec, SpecValidatorOptions? options = null)
    {
        var errors = Validate(spec, options);
        if (errors.Count > 0)
        {
            throw new SpecException(errors);
        }
    }

    private sealed partial class Checks(RuntimeSpec spec, SpecValidatorOptions options)
    {
        public List<SpecError> Errors { get; } = [];

        private void Fail(string path, string reason) => Errors.Add(new SpecError(path, reason));

        private static string Quote(string? s) => s is null ? "null" : "\"" + s + "\"";

        private bool HasNamespace(string type) =>
            spec.Linux?.Namespaces?.Any(n => n is not null && n.Type == type) ?? false;

        private NamespaceSpec? Namespace(string type) =>
            spec.Linux?.Namespaces?.FirstOrDefault(n => n is not null && n.Type == type);

        public void OciVersion()
        {
            if (string.IsNullOrEmpty(spec.OciVersion))
            {
                Fail("ociVersion", "required");
            }
            else if (!spec.OciVersion.StartsWith("1.", StringComparison.Ordinal))
            {
                Fail("ociVersion", $"{Quote(spec.OciVersion)} is not a 1.x version of the runtime spec");
            }
        }

        public void Root()
        {
            if (spec.Root is null)
            {
                Fail("root", "required");
                return;
            }

            if (string.IsNullOrEmpty(spec.Root.Path))
            {
                Fail("root.path", "required");
                return;
            }

            if (options.BundleDir is { } bundle)
            {
                var full = Path.Combine(bundle, spec.Root.Path);
                if (!Directory.Exists(full))
                {
                    Fail("root.path", $"{Quote(spec.Root.Path)} does not exist in the bundle");
                }
            }
        }

        public void Hostname()
        {
            if (!string.IsNullOrEmpty(spec.Hostname) && !HasNamespace("uts"))
            {
                Fail("hostname", "needs a new uts namespace (linux.namespaces)");
            }

            if (!string.IsNullOrEmpty(spec.Domainname) && !HasNamespace("uts"))
            {
                Fail("domainname", "needs a new uts namespace (linux.namespaces)");
            }
        }

        public void Mounts()
        {
            if (spec.Mounts is not { } mounts)
            {
                return;
            }

            for (var i = 0; i < mounts.Count; i++)
            {
                var path = $"mounts[{i}]";
                var m = mounts[i];
                if (m is null)
                {
                    Fail(path, "must be an object, not null");
                    continue;
                }

                if (string.IsNullOrEmpty(m.Destination))
                {
                    Fail(path + ".destination", "required");
                }
                else if (!IsAbsolute(m.Destination))
                {
                    Fail(path + ".destination", $"{Quote(m.Destination)} must be an absolute path");
                }

                StringList(path + ".options", m.Options);
                if ((m.UidMappings is null) != (m.GidMappings is null))
                {
                    Fail(path, "uidMappings and gidMappings must be given together");
                }

                IdMappings(path + ".uidMappings", m.UidMappings);
                IdMappings(path + ".gidMappings", m.GidMappings);
            }
        }

        public void Hooks()
        {
            if (spec.Hooks is not { } hooks)
            {
                return;
            }

            HookList("hooks.prestart", hooks.Prestart);
            HookList("hooks.createRuntime", hooks.CreateRuntime);
            HookList("hooks.createContainer", hooks.CreateContainer);
            HookList("hooks.startContainer", hooks.StartContainer);
            HookList("hooks.poststart", hooks.Poststart);
            HookList("hooks.poststop", hooks.Poststop);
        }

        private void HookList(string path, IReadOnlyList<HookSpec>? hooks)
        {
            for (var i = 0; i < (hooks?.Count ?? 0); i++)
            {
                var at = $"{path}[{i}]";
                var hook = hooks![i];
                if (hook is null)
                {
                    Fail(at, "must be an object, not null");
                    continue;
                }

                if (string.IsNullOrEmpty(hook.Path))
                {
                    Fail(at + ".path", "required");
                }
                else if (!IsAbsolute(hook.Path))
                {
                    Fail(at + ".path", $"{Quote(hook.Path)} must be an absolute path");
                }

                StringList(at + ".args", hook.Args);
                EnvList(at + ".env", hook.Env);
                if (hook.Timeout is <= 0)
                {
                    Fail(at + ".timeout", $"must be positive, not {hook.Timeout}");
                }
            }
        }

        private void IdMappings(string path, IReadOnlyList<IdMapping>? mappings)
        {
            for (var i = 0; i < (mappings?.Count ?? 0); i++)
            {
                var m = mappings![i];
                if (m is null)
                {
                    Fail($"{path}[{i}]", "must be an object, not null");
                }
                else if (m.Size == 0)
                {
                    Fail($"{path}[{i}].size", "must not be 0");
                }
                else if ((ulong)m.ContainerID + m.Size > 1UL << 32 || (ulong)m.HostID + m.Size > 1UL << 32)
                {
                    Fail($"{path}[{i}]", "range goes past 4294967295");
                }
            }
        }

        private void StringList(string path, IReadOnlyList<string>? list)
        {
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                if (list![i] is null)
                {
                    Fail($"{path}[{i}]", "must be a string, not null");
                }
            }
        }

        private void EnvList(string path, IReadOnlyList<string>? env)
        {
            for (var i = 0; i < (env?.Count ?? 0); i++)
            {
                var entry = env![i];
                if (entry is null)
                {
                    Fail($"{path}[{i}]", "must be a string, not null");
                }
                else if (entry.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    Fail($"{path}[{i}]", $"{Quote(entry)} must have the form NAME=value");
                }
                else if (entry.Contains('\0', StringComparison.Ordinal))
                {
                    Fail($"{path}[{i}]", "must not contain a NUL character");
                }
            }
        }

        private void AbsolutePaths(string path, IReadOnlyList<string>? list)
        {
            for (var i = 0; i < (list?.Count ?? 0); i++)
            {
                if (list![i] is null)
                {
                    Fail($"{path}[{i}]", "must be a string, not null");
                }
                else if (!IsAbsolute(list[i]))
                {
                    Fail($"{path}[{i}]", $"{Quote(list[i])} must be an absolute path");
                }
            }
        }

        private static bool IsAbsolute(string path) =>
            path.StartsWith('/') && !path.Contains('\0', StringComparison.Ordinal);
    }
}
