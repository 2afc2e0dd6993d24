using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Containers.Image;

namespace Containers.Engine.Tests;

/// <summary>
/// The sandbox plus a busybox image in the engine's own store, made as a registry would serve it: one gzip
/// layer of the busybox rootfs (with /work and /etc/motd), a config with Entrypoint, Cmd, Env, WorkingDir,
/// Labels, ExposedPorts, Volumes and StopSignal.
/// </summary>
public sealed class ImageSandbox : IDisposable
{
    public const string Reference = "example.test/busybox:1";

    public ImageSandbox()
    {
        Sandbox = new EngineSandbox();
        string rootfs = Path.Join(Sandbox.Root, "image-rootfs");
        EngineSandbox.MakeBusybox(rootfs);
        foreach (string applet in new[] { "pwd", "rm", "test", "mkdir" }) File.CreateSymbolicLink(Path.Join(rootfs, "bin", applet), "busybox");
        Directory.CreateDirectory(Path.Join(rootfs, "work"));
        File.WriteAllText(Path.Join(rootfs, "etc", "motd"), "from the image\n");
        LayerTar = Path.Join(Sandbox.Root, "image-rootfs.tar");
        using (FileStream tar = File.Create(LayerTar))
        {
            TarFile.CreateFromDirectory(rootfs, tar, includeBaseDirectory: false);
        }
        ImageId = AddImage(Engine.Images.Store, Reference, File.ReadAllBytes(LayerTar), new ContainerConfig
        {
            Entrypoint = ["/bin/sh", "-c"],
            Cmd = ["echo \"FOO=$FOO PWD=$(pwd)\""],
            Env = ["PATH=/bin", "FOO=bar"],
            WorkingDir = "/work",
            Labels = new() { ["org.test"] = "yes" },
            ExposedPorts = new() { ["8080/tcp"] = new EmptyObject() },
            Volumes = new() { ["/data"] = new EmptyObject() },
            StopSignal = "SIGINT",
        });
    }

    public EngineSandbox Sandbox { get; }
    public ContainerEngine Engine => Sandbox.Engine;
    public string LayerTar { get; }
    public Digest ImageId { get; }

    /// <summary>Stores one gzip layer, a config and an OCI manifest, and tags them; returns the image ID.</summary>
    public static Digest AddImage(ImageStore store, string reference, byte[] layerTar, ContainerConfig config)
    {
        var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(layerTar);
        Digest layer = store.Blobs.Write(gz.ToArray());
        byte[] configBytes = JsonSerializer.SerializeToUtf8Bytes(new ImageConfig
        {
            Created = DateTimeOffset.UtcNow,
            Architecture = PlatformSelector.Default.Architecture,
            OS = "linux",
            Config = config,
            RootFs = new RootFs { DiffIds = [Digest.Sha256(layerTar).ToString()] },
        }, Options);
        Digest configDigest = store.Blobs.Write(configBytes);
        byte[] manifest = JsonSerializer.SerializeToUtf8Bytes(new Manifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest.ToString(), Size = configBytes.Length },
            Layers = [new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = layer.ToString(), Size = gz.Length }],
        }, Options);
        store.Tag(ImageReference.Parse(reference), store.Blobs.Write(manifest));
        return configDigest;
    }

    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public void Dispose() => Sandbox.Dispose();
}

public sealed class ImageContainerTests(ImageSandbox images) : IClassFixture<ImageSandbox>
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private readonly ContainerEngine _engine = images.Engine;

    private ContainerInfo RunToEnd(ContainerCreateRequest request)
    {
        ContainerInfo c = _engine.Create(request);
        _engine.Start(c.Id);
        ContainerInfo? exited = _engine.Wait(c.Id, Long, CancellationToken.None);
        Assert.NotNull(exited);
        return exited;
    }

    private string[] Output(ContainerInfo c) =>
        [.. _engine.Logs(c.Id, false, null, null, CancellationToken.None).Where(e => e.Stream is "stdout" or "stderr").Select(e => e.Line)];

    private static ContainerCreateRequest FromImage(string image = ImageSandbox.Reference) => new() { Image = image };

    [Fact]
    public void A_container_from_an_image_runs_its_entrypoint_with_its_environment_and_working_directory()
    {
        ContainerInfo c = RunToEnd(FromImage());
        Assert.Equal(0, c.ExitCode);
        Assert.Equal(["FOO=bar PWD=/work"], Output(c));
        Assert.Equal("example.test/busybox:1", c.Image);
        Assert.Equal(images.ImageId.ToString(), c.ImageId);
        Assert.Equal(["/bin/sh", "-c", "echo \"FOO=$FOO PWD=$(pwd)\""], c.Command);
        Assert.Equal("yes", c.Labels["org.test"]);
        Assert.Equal(["8080/tcp"], c.ExposedPorts);
        Assert.Equal(["/data"], c.Volumes);
        _engine.Remove(c.Id, false);
    }

    [Fact]
    public void The_root_is_an_overlay_of_the_shared_layers_and_writes_stay_in_the_container()
    {
        ContainerInfo c = RunToEnd(FromImage() with { Command = ["echo changed > /etc/motd"] });
        Assert.Equal(0, c.ExitCode);
        string layer = new LayerCache(_engine.Images.Store).PathOf(Digest.Sha256(File.ReadAllBytes(images.LayerTar)));
        Assert.Equal("from the image\n", File.ReadAllText(Path.Join(layer, "etc", "motd")));
        Assert.Contains(images.Sandbox.Mounts(), m => m.EndsWith($"/{c.Id}/bundle/rootfs", StringComparison.Ordinal));
        ContainerInfo second = RunToEnd(FromImage() with { Command = ["cat /etc/motd"] });
        Assert.Equal(["from the image"], Output(second));
        _engine.Remove(c.Id, false);
        _engine.Remove(second.Id, false);
    }

    [Theory]
    [InlineData("command", "cmd bar")]
    [InlineData("entrypoint", "")]
    [InlineData("entrypoint+command", "a b")]
    [InlineData("environment", "mine qux /bin")]
    [InlineData("workdir", "/etc")]
    public void The_request_overrides_the_image_as_docker_does(string what, string expected)
    {
        ContainerCreateRequest request = what switch
        {
            "command" => FromImage() with { Command = ["echo cmd $FOO"] },
            "entrypoint" => FromImage() with { Entrypoint = ["/bin/echo"] },
            "entrypoint+command" => FromImage() with { Entrypoint = ["/bin/echo"], Command = ["a", "b"] },
            "environment" => FromImage() with { Command = ["echo $FOO $BAZ $PATH"], Environment = new Dictionary<string, string> { ["FOO"] = "mine", ["BAZ"] = "qux" } },
            _ => FromImage() with { Command = ["pwd"], WorkingDirectory = "/etc" },
        };
        ContainerInfo c = RunToEnd(request);
        Assert.Equal(0, c.ExitCode);
        Assert.Equal([expected], Output(c));
        _engine.Remove(c.Id, false);
    }

    [Fact]
    public void Stop_sends_the_image_stop_signal_unless_the_request_names_another()
    {
        const string script = "trap 'echo got INT; exit 3' INT; trap 'echo got TERM; exit 4' TERM; echo ready; while true; do sleep 0.1; done";
        foreach ((string? signal, int code) in new[] { ((string?)null, 3), ("SIGTERM", 4) })
        {
            ContainerInfo c = _engine.Create(FromImage() with { Command = [script], StopSignal = signal });
            _engine.Start(c.Id);
            Assert.True(EngineSandbox.WaitUntil(() => Output(c).Contains("ready"), Long));
            ContainerInfo stopped = _engine.Stop(c.Id, TimeSpan.FromSeconds(10));
            Assert.Equal(code, stopped.ExitCode);
            _engine.Remove(c.Id, false);
        }
    }

    [Fact]
    public void Rootfs_and_image_are_exclusive()
    {
        var both = Assert.Throws<EngineException>(() => _engine.Create(new ContainerCreateRequest { Rootfs = images.Sandbox.Rootfs, Image = ImageSandbox.Reference, Command = ["true"] }));
        Assert.Equal(EngineErrorKind.InvalidArgument, both.Kind);
        var neither = Assert.Throws<EngineException>(() => _engine.Create(new ContainerCreateRequest { Command = ["true"] }));
        Assert.Equal(EngineErrorKind.InvalidArgument, neither.Kind);
        Assert.Throws<ReferenceFormatException>(() => _engine.Create(FromImage("Not//Valid")));
    }

    [Fact]
    public void An_image_a_container_uses_is_kept_unless_forced()
    {
        ImageRecord copy = _engine.Images.Import(images.LayerTar, "example.test/inuse:1").Single();
        ContainerInfo c = _engine.Create(FromImage("example.test/inuse:1") with { Command = ["cat", "/etc/motd"] });
        Assert.Throws<ImageInUseException>(() => _engine.Images.Remove("example.test/inuse:1", force: false));
        Assert.NotNull(_engine.Images.Find("example.test/inuse:1"));
        _engine.Images.Remove("example.test/inuse:1", force: true);
        Assert.Null(_engine.Images.Find("example.test/inuse:1"));
        // The content stays for the container, by ID.
        Assert.NotNull(_engine.Images.Find(copy.Id.ToString()));
        _engine.Start(c.Id);
        ContainerInfo? exited = _engine.Wait(c.Id, Long, CancellationToken.None);
        Assert.Equal(["from the image"], Output(exited!));
        _engine.Remove(c.Id, false);
        _engine.Images.Remove(copy.Id.ToString(), force: false); // no container uses it now
        Assert.Null(_engine.Images.Find(copy.Id.ToString()));
    }

    [Fact]
    public void Commit_adds_the_container_changes_as_one_layer_with_whiteouts()
    {
        ContainerInfo c = RunToEnd(FromImage() with { Command = ["echo new > /work/made.txt; rm /etc/motd; mkdir -p /opt/x && echo deep > /opt/x/f"] });
        Assert.Equal(0, c.ExitCode);
        ImageRecord committed = _engine.Commit(c.Id, new CommitRequest { Reference = "example.test/committed:1", Author = "tests", Message = "commit test" });
        ImageConfig config = _engine.Images.Config(committed);
        Assert.Equal(2, config.RootFs.DiffIds.Count);
        Assert.Equal("tests", config.Author);
        Assert.Equal("/work", config.Config!.WorkingDir);
        Assert.Contains("FOO=bar", config.Config.Env!);
        ContainerInfo run = RunToEnd(FromImage("example.test/committed:1") with { Command = ["cat /work/made.txt /opt/x/f; test -e /etc/motd && echo motd || echo no-motd"] });
        Assert.Equal(["new", "deep", "no-motd"], Output(run));
        _engine.Remove(run.Id, false);
        _engine.Remove(c.Id, false);
    }

    [Fact]
    public void Commit_of_a_rootfs_container_is_a_one_layer_image()
    {
        ContainerInfo c = _engine.Create(images.Sandbox.Request("sh", "-c", "echo hi > /tmp/note"));
        _engine.Start(c.Id);
        _engine.Wait(c.Id, Long, CancellationToken.None);
        ImageRecord image = _engine.Commit(c.Name, new CommitRequest { Reference = "example.test/fromrootfs:1" });
        Assert.Single(_engine.Images.Config(image).RootFs.DiffIds);
        ContainerInfo run = RunToEnd(new ContainerCreateRequest { Image = image.Id.ToString(), Command = ["cat", "/tmp/note"] });
        Assert.Equal(["hi"], Output(run));
        Assert.Equal(["sh", "-c", "echo hi > /tmp/note"], _engine.Images.Defaults(image).Cmd);
        _engine.Remove(run.Id, false);
        _engine.Remove(c.Id, false);
    }

    [Fact]
    public void Export_writes_the_whole_filesystem_with_the_container_changes()
    {
        ContainerInfo c = RunToEnd(FromImage() with { Command = ["echo written > /work/made.txt; rm /etc/motd"] });
        string tar = Path.Join(images.Sandbox.Root, "export.tar");
        _engine.ExportFilesystem(c.Id, tar);
        var entries = new Dictionary<string, TarEntry>();
        using (var reader = new TarReader(File.OpenRead(tar)))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry) entries[entry.Name.TrimEnd('/')] = entry;
        }
        Assert.Contains("bin/busybox", entries.Keys);
        Assert.Equal(TarEntryType.SymbolicLink, entries["bin/sh"].EntryType);
        Assert.DoesNotContain("etc/motd", entries.Keys);
        Assert.Equal("written\n", new StreamReader(entries["work/made.txt"].DataStream!).ReadToEnd());
        _engine.Remove(c.Id, false);
    }

    [Theory]
    [InlineData(ImageArchiveFormat.DockerArchive, "image.tar")]
    [InlineData(ImageArchiveFormat.OciLayout, "layout")]
    [InlineData(ImageArchiveFormat.OciLayout, "layout.tar")]
    public void Export_then_import_gives_the_same_image(ImageArchiveFormat format, string file)
    {
        string reference = $"example.test/roundtrip-{format}-{file.Replace('.', '-')}:1".ToLowerInvariant();
        ImageRecord original = _engine.Images.Import(images.LayerTar, reference).Single();
        string path = Path.Join(images.Sandbox.Root, $"{format}-{file}");
        _engine.Images.Export([reference], format, path);
        _engine.Images.Remove(reference, force: false);
        Assert.Null(_engine.Images.Find(reference));
        IReadOnlyList<ImageRecord> imported = _engine.Images.Import(path, null);
        Assert.Contains(imported, i => i.Reference.ToString() == reference && i.Id == original.Id);
        ContainerInfo run = RunToEnd(new ContainerCreateRequest { Image = reference, Command = ["cat", "/etc/motd"] });
        Assert.Equal(["from the image"], Output(run));
        _engine.Remove(run.Id, false);
    }

    [Fact]
    public void A_rootfs_tarball_needs_a_reference()
    {
        Assert.Throws<ArgumentException>(() => _engine.Images.Import(images.LayerTar, null));
    }

    [Fact]
    public void The_image_store_lives_under_the_data_root_by_default()
    {
        Assert.Equal(Path.Join(images.Sandbox.Options.DataRoot, "images"), Path.TrimEndingDirectorySeparator(_engine.Images.Store.Root));
    }
}
