using Containers.Interop;

namespace Containers.Image.Tests;

/// <summary>A container root from a stored image: overlay over the shared layer directories, and the copy fallback.</summary>
public sealed class RootfsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ImageStore _store;
    private readonly ImageRecord _image;

    public RootfsTests()
    {
        _store = new ImageStore(_dir.Combine("store"));
        var config = new ContainerConfig
        {
            Entrypoint = ["/bin/tool"],
            Cmd = ["--help"],
            Env = ["PATH=/bin", "A=1"],
            WorkingDir = "/srv",
            User = "1000:1001",
            ExposedPorts = new() { ["80/tcp"] = new EmptyObject(), ["53/udp"] = new EmptyObject() },
            Volumes = new() { ["/data"] = new EmptyObject() },
            StopSignal = "SIGQUIT",
            Labels = new() { ["org.example"] = "yes" },
        };
        TestImages.AddImage(_store, "example.com/rootfs:v1", config, UnpackTests.BaseLayer(), UnpackTests.TopLayer());
        _image = _store.Get("example.com/rootfs:v1");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Image_defaults_come_from_the_config()
    {
        ImageDefaults d = ImageDefaults.From(_store.ReadConfig(_image.Id));
        Assert.Equal(["/bin/tool"], d.Entrypoint);
        Assert.Equal(["--help"], d.Cmd);
        Assert.Equal(["PATH=/bin", "A=1"], d.Env);
        Assert.Equal("/srv", d.WorkingDir);
        Assert.Equal("1000:1001", d.User);
        Assert.Equal(["53/udp", "80/tcp"], d.ExposedPorts);
        Assert.Equal(["/data"], d.Volumes);
        Assert.Equal("SIGQUIT", d.StopSignal);
        Assert.Equal("yes", d.Labels["org.example"]);
        Assert.Equal(["/bin/tool", "--help"], d.Args());
        Assert.Equal(["/bin/tool", "-v"], d.Args(["-v"]));
        Assert.Equal(["/bin/sh"], d.Args(entrypoint: ["/bin/sh"]));
        Assert.Equal("/", ImageDefaults.From(new ImageConfig()).WorkingDir);
    }

    [Fact]
    public void Overlay_and_copy_show_the_same_tree()
    {
        string overlay = _dir.Combine("c1", "rootfs");
        string copy = _dir.Combine("c2", "rootfs");
        Assert.Equal(RootfsMode.Overlay, ImageRootfs.Create(_store, _image, _dir.Combine("c1"), overlay));
        try
        {
            Assert.Equal(RootfsMode.Copy, ImageRootfs.Create(_store, _image, _dir.Combine("c2"), copy, forceCopy: true));
            Assert.False(File.Exists(Path.Combine(overlay, "gone.txt")));
            Assert.Equal(["new.txt"], Directory.GetFileSystemEntries(Path.Combine(overlay, "opaque")).Select(Path.GetFileName));
            Assert.Equal("new-name\n", File.ReadAllText(Path.Combine(overlay, "etc/hostname")));
            Assert.Equal(Names(copy), Names(overlay));

            // Writes go to the container's upper directory; the shared layers stay as they were.
            File.WriteAllText(Path.Combine(overlay, "etc/hostname"), "changed");
            Assert.Equal("changed", File.ReadAllText(_dir.Combine("c1", "upper", "etc", "hostname")));
            IReadOnlyList<string> layers = new LayerCache(_store).Prepare(_image);
            Assert.Equal("new-name\n", File.ReadAllText(Path.Combine(layers[1], "etc/hostname")));
            Assert.Equal(2, Directory.GetDirectories(new LayerCache(_store).Directory).Length);
        }
        finally
        {
            ImageRootfs.Unmount(overlay);
        }
    }

    [Fact]
    public void Removing_the_image_removes_its_unpacked_layers()
    {
        var cache = new LayerCache(_store);
        cache.Prepare(_image);
        Assert.Equal(2, Directory.GetDirectories(cache.Directory).Length);
        _store.Remove("example.com/rootfs:v1");
        Assert.Empty(Directory.GetDirectories(cache.Directory));
        Assert.Empty(_store.Blobs.List());
    }

    private static string[] Names(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(root, p)).Order(StringComparer.Ordinal).ToArray();
}
