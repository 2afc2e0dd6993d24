using Containers.Runtime.Security;

namespace Containers.Runtime.Tests.Security;

public sealed class LinuxSecurityModulesTests : IDisposable
{
    private readonly string _sys = Directory.CreateTempSubdirectory("lsm-sys-").FullName;

    [Fact]
    public void AppArmorProfileIsSkippedWithAReasonWhenTheKernelHasNoAppArmor()
    {
        LsmDecision decision = LinuxSecurityModules.AppArmor("docker-default", _sys);

        Assert.False(decision.Apply);
        Assert.Equal("process.apparmorProfile \"docker-default\" not applied: AppArmor is not enabled in this kernel", decision.SkipReason);
    }

    [Fact]
    public void AppArmorProfileIsAppliedWhenTheModuleIsEnabled()
    {
        Directory.CreateDirectory(Path.Join(_sys, "module/apparmor/parameters"));
        File.WriteAllText(Path.Join(_sys, "module/apparmor/parameters/enabled"), "Y\n");

        Assert.Equal(new LsmDecision(true, null), LinuxSecurityModules.AppArmor("docker-default", _sys));
    }

    [Fact]
    public void AppArmorLoadedButDisabledIsSkipped()
    {
        Directory.CreateDirectory(Path.Join(_sys, "module/apparmor/parameters"));
        File.WriteAllText(Path.Join(_sys, "module/apparmor/parameters/enabled"), "N\n");

        Assert.False(LinuxSecurityModules.AppArmor("p", _sys).Apply);
    }

    [Fact]
    public void SELinuxLabelFollowsTheSelinuxFilesystem()
    {
        Assert.Contains("SELinux is not enabled", LinuxSecurityModules.SELinux("system_u:system_r:container_t:s0", _sys).SkipReason);

        Directory.CreateDirectory(Path.Join(_sys, "fs/selinux"));
        File.WriteAllText(Path.Join(_sys, "fs/selinux/enforce"), "1");
        Assert.True(LinuxSecurityModules.SELinux("system_u:system_r:container_t:s0", _sys).Apply);
    }

    [Fact]
    public void NoProfileAndNoLabelMeanNothingToDoAndNothingToSay()
    {
        Assert.Equal(LsmDecision.Nothing, LinuxSecurityModules.AppArmor(null, _sys));
        Assert.Equal(LsmDecision.Nothing, LinuxSecurityModules.SELinux("", _sys));
    }

    [Fact]
    public void ThisMachineHasNeitherModuleSoTheRealDecisionIsASkip()
    {
        // DESIGN.md: no AppArmor or SELinux in this kernel. If that changes, this test says so.
        Assert.False(LinuxSecurityModules.AppArmor("x").Apply);
        Assert.False(LinuxSecurityModules.SELinux("x").Apply);
    }

    public void Dispose() => Directory.Delete(_sys, recursive: true);
}
