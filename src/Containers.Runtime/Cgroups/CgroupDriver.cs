namespace Containers.Runtime.Cgroups;

/// <summary>Who creates the cgroups: this runtime writing cgroupfs, or systemd over D-Bus.</summary>
public enum CgroupDriver
{
    Cgroupfs,
    Systemd,
}

public static class CgroupDriverCheck
{
    /// <summary>
    /// Throws with a clear message when the driver cannot work here. Only cgroupfs is implemented;
    /// for systemd the first question is whether PID 1 is systemd at all (runc asks the same).
    /// </summary>
    /// <param name="procRoot">/proc, or a test's directory holding <c>1/comm</c>.</param>
    public static void EnsureAvailable(CgroupDriver driver, string procRoot = "/proc")
    {
        if (driver == CgroupDriver.Cgroupfs)
        {
            return;
        }

        string pid1 = ReadPid1(procRoot);
        if (pid1 != "systemd")
        {
            throw new InvalidOperationException(
                $"systemd cgroup driver requested, but systemd is not running (PID 1 is {pid1}); use the cgroupfs driver (drop --systemd-cgroup)");
        }

        throw new NotSupportedException("the systemd cgroup driver is not implemented yet; use the cgroupfs driver (drop --systemd-cgroup)");
    }

    private static string ReadPid1(string procRoot)
    {
        try
        {
            return File.ReadAllText(Path.Join(procRoot, "1", "comm")).Trim();
        }
        catch (IOException e)
        {
            return $"unknown: {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            return $"unknown: {e.Message}";
        }
    }
}
