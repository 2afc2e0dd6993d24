using System.Collections;
using System.Management.Automation;
using Containers.Engine;
using Containers.PowerShell.Internal;

namespace Containers.PowerShell.Cmdlets;

/// <summary>
/// New-Container: creates a container (State Created) from a rootfs directory or tarball, or from an image
/// (pulled first when it is not in the store, as `docker run` does).
/// </summary>
[Cmdlet(VerbsCommon.New, "Container", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = RootfsSet)]
[OutputType(typeof(Container))]
public sealed class NewContainerCommand : ContainerCmdlet
{
    private const string RootfsSet = "Rootfs";
    private const string ImageSet = "Image";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = RootfsSet)]
    [ValidateNotNullOrEmpty]
    public string Rootfs { get; set; } = "";

    /// <summary>An image reference (busybox, 127.0.0.1:5000/busybox:1) or ID; its config gives the defaults.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    public string Image { get; set; } = "";

    /// <summary>User name and password for the registry when the image is pulled: basic auth, or the login for a bearer token.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>os/arch[/variant] to choose from a multi-platform image when it is pulled: linux/arm64/v8.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [ValidatePattern(@"^[a-z0-9_.-]+(/[a-z0-9_.-]+){0,2}$")]
    public string? Platform { get; set; }

    /// <summary>Plain HTTP to the registry when the image is pulled (loopback registries always are reached this way).</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Alias("Insecure")]
    public SwitchParameter AllowInsecureRegistry { get; set; }

    [Parameter(Position = 1)]
    public string[]? Command { get; set; }

    [Parameter]
    [ValidatePattern("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    public string? Name { get; set; }

    [Parameter]
    public string[]? Entrypoint { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Hostname { get; set; }

    /// <summary>Bytes: 64MB works.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long Memory { get; set; }

    /// <summary>Memory plus swap, in bytes; -1 is unlimited swap.</summary>
    [Parameter]
    [ValidateRange(-1, long.MaxValue)]
    public long MemorySwap { get; set; }

    [Parameter]
    [ValidateRange(ResourceLimitRules.MinCpus, ResourceLimitRules.MaxCpus)]
    public double Cpus { get; set; }

    [Parameter]
    [ValidateRange(ResourceLimitRules.MinCpuShares, ResourceLimitRules.MaxCpuShares)]
    public ulong CpuShares { get; set; }

    [Parameter]
    [ValidatePattern(ResourceLimitRules.CpusetPattern)]
    public string? CpusetCpus { get; set; }

    [Parameter]
    [ValidateRange(-1, long.MaxValue)]
    public long PidsLimit { get; set; }

    [Parameter]
    public SwitchParameter ReadOnlyRootfs { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Mount { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? CapabilityAdd { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? CapabilityDrop { get; set; }

    [Parameter]
    public SwitchParameter Privileged { get; set; }

    /// <summary>'seccomp=unconfined', 'seccomp=/path/profile.json', 'no-new-privileges'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? SecurityOpt { get; set; }

    [Parameter]
    [ValidateSet("none", "host")]
    public string Network { get; set; } = "none";

    [Parameter]
    public SwitchParameter Tty { get; set; }

    [Parameter]
    public SwitchParameter Interactive { get; set; }

    [Parameter]
    public Hashtable? Label { get; set; }

    [Parameter]
    public SwitchParameter AutoRemove { get; set; }

    /// <summary>The signal Stop-Container sends first: SIGTERM unless the image says otherwise.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StopSignal { get; set; }

    protected override void ProcessRecord()
    {
        var request = BuildRequest();
        string source = request.Rootfs ?? request.Image!;
        string target = Name is null ? source : $"{Name} ({source})";
        if (!ShouldProcess(target, "Create container")) return;
        // From an image the engine may pull first: that can take a while, and shows a progress record per blob
        // as Install-ContainerImage does.
        if (TryInvoke(() => request.Image is null
                    ? Engine.Create(request)
                    : WithLayerProgress("New-Container", $"Pulling {request.Image}", progress => Engine.Create(request with { PullProgress = progress })),
                Name ?? source, out var info))
        {
            WriteContainer(info);
        }
    }

    private ContainerCreateRequest BuildRequest()
    {
        string? rootfs = null;
        if (ParameterSetName == RootfsSet)
        {
            rootfs = ResolvePath(Rootfs);
            if (!Directory.Exists(rootfs) && !File.Exists(rootfs))
            {
                ThrowTerminatingError(ErrorIds.BadArgument(nameof(Rootfs), $"'{rootfs}' is neither a directory nor a rootfs tarball.", Rootfs));
            }
        }

        var mounts = new List<MountRequest>();
        foreach (string m in Mount ?? [])
        {
            try
            {
                mounts.Add(MountParser.Parse(m, ResolvePath));
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument, m));
            }
        }

        var security = new List<string>();
        foreach (string opt in SecurityOpt ?? [])
        {
            security.Add(NormalizeSecurityOpt(opt));
        }

        var bound = MyInvocation.BoundParameters;
        return new ContainerCreateRequest
        {
            Name = Name,
            Rootfs = rootfs,
            Image = ParameterSetName == ImageSet ? Image : null,
            Command = Command,
            Entrypoint = Entrypoint,
            Environment = Environment is null ? null : ToDictionary(Environment, nameof(Environment)),
            WorkingDirectory = WorkingDirectory,
            User = User,
            Hostname = Hostname,
            Memory = bound.ContainsKey(nameof(Memory)) ? Memory : null,
            MemorySwap = bound.ContainsKey(nameof(MemorySwap)) ? MemorySwap : null,
            Cpus = bound.ContainsKey(nameof(Cpus)) ? Cpus : null,
            CpuShares = bound.ContainsKey(nameof(CpuShares)) ? CpuShares : null,
            CpusetCpus = CpusetCpus,
            PidsLimit = bound.ContainsKey(nameof(PidsLimit)) ? PidsLimit : null,
            ReadOnlyRootfs = ReadOnlyRootfs,
            Mounts = mounts,
            CapabilityAdd = CapabilityAdd ?? [],
            CapabilityDrop = CapabilityDrop ?? [],
            Privileged = Privileged,
            SecurityOptions = security,
            Network = Network.ToLowerInvariant(),
            Tty = Tty,
            Interactive = Interactive,
            Labels = Label is null ? new Dictionary<string, string>() : ToDictionary(Label, nameof(Label)),
            AutoRemove = AutoRemove,
            StopSignal = StopSignal,
            PullAccess = ParameterSetName == ImageSet
                ? new RegistryAccess { Credentials = ToRegistryCredentials(Credential), Insecure = AllowInsecureRegistry, Platform = Platform }
                : null,
        };
    }

    /// <summary>A seccomp profile path is resolved against the PowerShell location, as every path the user types.</summary>
    private string NormalizeSecurityOpt(string opt)
    {
        // docker accepts both 'seccomp=x' and 'seccomp:x'.
        string normalized = opt.StartsWith("seccomp:", StringComparison.OrdinalIgnoreCase) ? "seccomp=" + opt[8..] : opt;
        if (normalized.StartsWith("seccomp=", StringComparison.OrdinalIgnoreCase))
        {
            string value = normalized[8..];
            if (value.Length == 0)
            {
                ThrowTerminatingError(ErrorIds.BadArgument(nameof(SecurityOpt), $"'{opt}': seccomp needs 'unconfined' or a profile file.", opt));
            }
            if (value.Equals("unconfined", StringComparison.OrdinalIgnoreCase)) return "seccomp=unconfined";
            string path = ResolvePath(value);
            if (!File.Exists(path))
            {
                ThrowTerminatingError(ErrorIds.BadArgument(nameof(SecurityOpt), $"'{opt}': the seccomp profile '{path}' does not exist.", opt));
            }
            return "seccomp=" + path;
        }
        if (normalized.Equals("no-new-privileges", StringComparison.OrdinalIgnoreCase)
            || normalized.Equals("no-new-privileges=true", StringComparison.OrdinalIgnoreCase)
            || normalized.Equals("no-new-privileges:true", StringComparison.OrdinalIgnoreCase))
        {
            return "no-new-privileges";
        }
        ThrowTerminatingError(ErrorIds.BadArgument(nameof(SecurityOpt),
            $"'{opt}' is not supported (seccomp=unconfined, seccomp=<profile.json>, no-new-privileges).", opt));
        return opt;
    }

    private Dictionary<string, string> ToDictionary(Hashtable table, string parameter)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            string key = LanguagePrimitives.ConvertTo<string>(entry.Key) ?? "";
            if (key.Length == 0 || (parameter == nameof(Environment) && key.Contains('=')))
            {
                ThrowTerminatingError(ErrorIds.BadArgument(parameter, $"'{key}' is not a valid key.", entry.Key));
            }
            result[key] = LanguagePrimitives.ConvertTo<string>(entry.Value) ?? "";
        }
        return result;
    }
}
