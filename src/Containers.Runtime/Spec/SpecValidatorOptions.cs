namespace Containers.Runtime.Spec;

/// <summary>What validation may assume about the host and the bundle.</summary>
public sealed record SpecValidatorOptions
{
    private static readonly Lazy<int> KernelCapLastCap = new(KnownNames.ReadKernelCapLastCap);

    /// <summary>When set, root.path must exist inside (or, if absolute, at) this bundle.</summary>
    public string? BundleDir { get; init; }

    /// <summary>Highest capability number the kernel knows; names above it are rejected.</summary>
    public int CapLastCap { get; init; } = KnownNames.Capabilities.Count - 1;

    /// <summary>The running kernel's view (cap_last_cap read once from /proc).</summary>
    public static SpecValidatorOptions Default => new() { CapLastCap = KernelCapLastCap.Value };
}
