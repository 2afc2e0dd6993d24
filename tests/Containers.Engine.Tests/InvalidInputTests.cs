namespace Containers.Engine.Tests;

public sealed class InvalidInputTests(EngineSandbox sandbox) : IClassFixture<EngineSandbox>
{
    public static TheoryData<string, string> Cases => new()
    {
        { "memory", "Memory: must be at least 6 MiB" },
        { "capability", "CapabilityAdd: unknown capability" },
        { "name", "Name:" },
        { "rootfs", "Rootfs:" },
        { "cpus", "Cpus:" },
        { "mount", "Mounts[0].Source:" },
        { "security", "SecurityOptions:" },
        { "swap", "MemorySwap:" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_is_refused_naming_the_field_and_leaves_nothing_behind(string which, string message)
    {
        ContainerCreateRequest request = sandbox.Request("true") with { Name = "bad-" + which };
        request = which switch
        {
            "memory" => request with { Memory = 1024 * 1024 },
            "capability" => request with { CapabilityAdd = ["NOT_A_CAP"] },
            "name" => request with { Name = "-bad name" },
            "rootfs" => request with { Rootfs = Path.Join(sandbox.Root, "missing") },
            "cpus" => request with { Cpus = 1000 },
            "mount" => request with { Mounts = [new MountRequest("bind", "/data", Path.Join(sandbox.Root, "nowhere"))] },
            "security" => request with { SecurityOptions = ["apparmor=x"] },
            "swap" => request with { Memory = 64 * 1024 * 1024, MemorySwap = 32 * 1024 * 1024 },
            _ => throw new ArgumentException(which),
        };
        EngineException e = Assert.Throws<EngineException>(() => sandbox.Engine.Create(request));
        Assert.Equal(EngineErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(message, e.Message);
        string containers = Path.Join(sandbox.Options.DataRoot, "containers");
        Assert.Empty(Directory.Exists(containers) ? Directory.GetDirectories(containers) : []);
        string names = Path.Join(sandbox.Options.DataRoot, "names");
        Assert.Empty(Directory.Exists(names) ? Directory.GetFiles(names) : []);
        Assert.Empty(sandbox.Mounts());
        Assert.Empty(Directory.Exists("/sys/fs/cgroup/memory/containers-ps") ? Directory.GetDirectories("/sys/fs/cgroup/memory/containers-ps").Where(d => sandbox.Engine.List().Any(c => d.EndsWith(c.Id))) : []);
    }

    [Fact]
    public void Unknown_container_is_not_found_and_a_used_name_already_exists()
    {
        Assert.Equal(EngineErrorKind.NotFound, Assert.Throws<EngineException>(() => sandbox.Engine.Get("nosuch")).Kind);
        Assert.Contains("no container named or with id", Assert.Throws<EngineException>(() => sandbox.Engine.Start("nosuch")).Message);
        ContainerInfo c = sandbox.Engine.Create(sandbox.Request("true") with { Name = "taken" });
        Assert.Equal(EngineErrorKind.AlreadyExists, Assert.Throws<EngineException>(() => sandbox.Engine.Create(sandbox.Request("true") with { Name = "taken" })).Kind);
        EngineException notRunning = Assert.Throws<EngineException>(() => sandbox.Engine.Pause(c.Id));
        Assert.Equal(EngineErrorKind.InvalidState, notRunning.Kind);
        sandbox.Engine.Remove(c.Id, false);
    }

    [Fact]
    public void A_tarball_with_an_escaping_entry_is_refused()
    {
        string dir = Path.Join(sandbox.Root, "evil");
        Directory.CreateDirectory(dir);
        string tar = Path.Join(sandbox.Root, "evil.tar");
        using (var stream = File.Create(tar))
        using (var writer = new System.Formats.Tar.TarWriter(stream))
        {
            var entry = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "../../escaped") { DataStream = new MemoryStream([1, 2, 3]) };
            writer.WriteEntry(entry);
        }
        EngineException e = Assert.Throws<EngineException>(() => sandbox.Engine.Create(new ContainerCreateRequest { Rootfs = tar, Command = ["true"] }));
        Assert.Equal(EngineErrorKind.InvalidArgument, e.Kind);
        Assert.False(File.Exists(Path.Join(sandbox.Root, "escaped")));
        Assert.False(File.Exists(Path.Join(sandbox.Options.DataRoot, "escaped")));
    }
}
