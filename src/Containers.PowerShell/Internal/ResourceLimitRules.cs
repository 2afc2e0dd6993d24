namespace Containers.PowerShell.Internal;

/// <summary>
/// The validation bounds New-Container and Update-Container share for resource parameters, so
/// the two cmdlets cannot drift apart (PowerShell parameters are declared per cmdlet).
/// </summary>
internal static class ResourceLimitRules
{
    public const double MinCpus = 0.01;
    public const double MaxCpus = 1024.0;
    public const ulong MinCpuShares = 2;
    public const ulong MaxCpuShares = 262144;
    /// <summary>A cpuset list: "0", "0-3", "0,2-3".</summary>
    public const string CpusetPattern = @"^\d+(-\d+)?(,\d+(-\d+)?)*$";
}
