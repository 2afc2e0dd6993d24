using System.Diagnostics;
using Containers.Runtime.Cgroups;

namespace Containers.Cgroups.Tests;

public sealed class DeviceFilterTests
{
    [Fact]
    public void Rules_assemble_last_first_with_a_default_at_the_end()
    {
        CgroupDeviceRules rules = DevicesController.RulesForV2(
        [
            new CgroupDeviceRule(false),
            new CgroupDeviceRule(true, 'c', 1, 3, "rwm"),
            new CgroupDeviceRule(true, 'c', 136, null, "rw"),
        ]);

        IReadOnlyList<BpfInstruction> program = DeviceFilterProgram.Assemble(rules);

        Assert.Equal(
        [
            new(0x61, 2, 1, 0, 0), new(0x54, 2, 0, 0, 0xffff), new(0x61, 3, 1, 0, 0), new(0x74, 3, 0, 0, 16),
            new(0x61, 4, 1, 4, 0), new(0x61, 5, 1, 8, 0),
            // c 136:* rw — type, access subset, major; then allow
            new(0x55, 2, 0, 6, 2), new(0xbc, 1, 3, 0, 0), new(0x54, 1, 0, 0, 6), new(0x5d, 1, 3, 3, 0), new(0x55, 4, 0, 2, 136),
            new(0xb4, 0, 0, 0, 1), new(0x95, 0, 0, 0, 0),
            // c 1:3 rwm — no access test
            new(0x55, 2, 0, 4, 2), new(0x55, 4, 0, 3, 1), new(0x55, 5, 0, 2, 3), new(0xb4, 0, 0, 0, 1), new(0x95, 0, 0, 0, 0),
            // default deny
            new(0xb4, 0, 0, 0, 0), new(0x95, 0, 0, 0, 0),
        ], program);
        Assert.Equal([0x55, 0x02, 0x06, 0x00, 0x02, 0x00, 0x00, 0x00], DeviceFilterProgram.Encode(program)[48..56]);
    }

    [Fact]
    public void A_v2_manager_hands_the_rules_to_its_device_filter()
    {
        var fs = new FixtureCgroupFileSystem(_ => "v2");
        using (fs)
        {
            string root = fs.AddHierarchy("unified", "v2");
            var filter = new RecordingFilter();
            var manager = new CgroupV2Manager(root, Path.Join(root, "ctr"), fs, [], enableControllers: true, filter);
            manager.Apply(0);

            manager.Set(new CgroupResources { Devices = [new CgroupDeviceRule(false), new CgroupDeviceRule(true, 'c', 1, 3, "r")] });

            (string path, CgroupDeviceRules rules) = Assert.Single(filter.Calls);
            Assert.Equal(Path.Join(root, "ctr"), path);
            Assert.False(rules.DefaultAllow);
            Assert.Equal(new CgroupDeviceRule(true, 'c', 1, 3, "r"), Assert.Single(rules.Rules));
        }
    }

    /// <summary>
    /// Real: the host's cgroup2 mount (even with no controllers, as here) runs device programs.
    /// A shell in our own sub-cgroup may open /dev/null (c 1:3) but not /dev/zero (c 1:5).
    /// </summary>
    [Fact]
    public void A_real_device_program_denies_what_the_rules_do_not_allow()
    {
        CgroupMount? unified = CgroupMounts.Read().Unified;
        Assert.NotNull(unified);
        string own = ProcessCgroups.Read().Unified ?? "/";
        string name = "containers-cgtest-" + Guid.NewGuid().ToString("N")[..10];
        string path = CgroupPaths.Resolve(unified, own, name);
        var manager = new CgroupV2Manager(unified.MountPoint, path, CgroupFileSystem.Instance, [], enableControllers: false, new BpfDeviceFilter());
        using Process shell = Process.Start(new ProcessStartInfo("/bin/sh",
            ["-c", "read go; (: < /dev/zero) 2>/dev/null && echo zero-open || echo zero-denied; (: < /dev/null) && echo null-open || echo null-denied"])
        { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true })!;
        try
        {
            manager.Apply(shell.Id);
            var rules = new CgroupResources { Devices = [new CgroupDeviceRule(false), new CgroupDeviceRule(true, 'c', 1, 3, "rwm")] };
            manager.Set(rules);
            manager.Set(rules); // an update replaces the program instead of stacking a second one
            Assert.Single(BpfDeviceFilter.AttachedProgramIds(path));

            shell.StandardInput.WriteLine("go");
            shell.StandardInput.Flush();
            string output = shell.StandardOutput.ReadToEnd();
            shell.WaitForExit();

            Assert.Equal("zero-denied\nnull-open\n", output);
        }
        finally
        {
            if (!shell.HasExited)
            {
                shell.Kill();
                shell.WaitForExit();
            }

            manager.Destroy();
        }

        Assert.False(Directory.Exists(path));
    }

    private sealed class RecordingFilter : ICgroupDeviceFilter
    {
        public List<(string Path, CgroupDeviceRules Rules)> Calls { get; } = [];

        public void Apply(string cgroupPath, CgroupDeviceRules rules) => Calls.Add((cgroupPath, rules));
    }
}
