using System.Formats.Tar;
using System.Text;
using Containers.Interop;

namespace Containers.Image.Tests;

/// <summary>
/// Layers built to escape: each must be rejected or kept inside the layer directory. After every attempt the
/// canary outside is unchanged, has one link, and nothing new appeared next to it.
/// </summary>
public sealed class MaliciousLayerTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _outside;
    private readonly string _canary;
    private readonly string _layer;

    public MaliciousLayerTests()
    {
        _outside = _dir.Combine("outside");
        Directory.CreateDirectory(_outside);
        _canary = Path.Combine(_outside, "canary.txt");
        File.WriteAllText(_canary, "original");
        _layer = _dir.Combine("layer");
    }

    public void Dispose() => _dir.Dispose();

    private void AssertCanaryIntact()
    {
        Assert.Equal("original", File.ReadAllText(_canary));
        Assert.Equal(["canary.txt"], Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName));
        Syscalls.Statx(SafeFd.CurrentDirectory, _canary, AtFlags.SymlinkNoFollow, StatxMask.Basic, out StatxBuffer stat);
        Assert.Equal(1u, stat.Nlink);
        Assert.Subset(new HashSet<string?> { "layer", "outside" }, Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).ToHashSet());
    }

    private UnpackResult? Unpack(Action<TarWriter> write, UnpackOptions? options = null)
    {
        byte[] tar = TestImages.Tar(write);
        try
        {
            return LayerUnpacker.Unpack(new MemoryStream(tar), _layer, options);
        }
        finally
        {
            AssertCanaryIntact();
        }
    }

    private void Rejected(Action<TarWriter> write, string reason, UnpackOptions? options = null)
    {
        var error = Assert.Throws<LayerFormatException>(() => Unpack(write, options));
        Assert.Contains(reason, error.Message);
    }

    private static void Write(TarWriter w, string name, string content) => w.File(name, content);

    [Theory]
    [InlineData("../outside/canary.txt")]
    [InlineData("a/../../outside/canary.txt")]
    [InlineData("./../outside/canary.txt")]
    public void Dot_dot_paths_are_rejected(string name) =>
        Rejected(w => Write(w, name, "pwned"), "climbs above the layer root");

    [Fact]
    public void Absolute_paths_stay_inside()
    {
        Unpack(w => Write(w, _canary, "pwned"));
        Assert.Equal("pwned", File.ReadAllText(Path.Combine(_layer, _canary.TrimStart('/'))));
    }

    [Fact]
    public void File_written_through_an_absolute_symlink_stays_inside()
    {
        Unpack(w =>
        {
            w.Symlink("link", "/");
            w.Dir("etc/");
            Write(w, "link/etc/written", "inside");
        });
        Assert.Equal("inside", File.ReadAllText(Path.Combine(_layer, "etc/written")));
    }

    [Fact]
    public void File_written_through_a_symlink_to_the_outside_directory_is_contained()
    {
        // The link resolves to <layer>/<outside path> (missing), never to the real outside directory.
        Assert.ThrowsAny<IOException>(() => Unpack(w =>
        {
            w.Symlink("link", _outside);
            Write(w, "link/canary.txt", "pwned");
        }));
        Assert.ThrowsAny<IOException>(() => Unpack(w =>
        {
            w.Symlink("rel", "../../../../../../../../.." + _outside);
            Write(w, "rel/canary.txt", "pwned");
        }));
    }

    [Fact]
    public void Symlink_then_file_of_the_same_name_replaces_the_link()
    {
        Unpack(w =>
        {
            w.Symlink("evil", _canary);
            Write(w, "evil", "pwned");
        });
        Assert.Null(new FileInfo(Path.Combine(_layer, "evil")).LinkTarget);
        Assert.Equal("pwned", File.ReadAllText(Path.Combine(_layer, "evil")));
    }

    [Fact]
    public void Symlink_then_directory_then_file_below_it()
    {
        Unpack(w =>
        {
            w.Symlink("d", _outside);
            w.Dir("d/");   // replaces the link by a directory
            Write(w, "d/canary.txt", "pwned");
        });
        Assert.Equal("pwned", File.ReadAllText(Path.Combine(_layer, "d/canary.txt")));
    }

    [Theory]
    [InlineData("../outside/canary.txt", "climbs above the layer root")]
    [InlineData("/ABSOLUTE", "is not in the layer")]
    [InlineData("via/canary.txt", "is not in the layer")]
    public void Hard_links_to_the_outside_are_rejected(string target, string reason) =>
        Rejected(w =>
        {
            w.Symlink("via", _outside);
            w.Hardlink("h", target.Replace("/ABSOLUTE", _canary));
        }, reason);

    [Fact]
    public void Hard_link_to_a_symlink_links_the_symlink_not_its_target()
    {
        Unpack(w =>
        {
            w.Symlink("s", _canary);
            w.Hardlink("h", "s");
        });
        Assert.Equal(_canary, new FileInfo(Path.Combine(_layer, "h")).LinkTarget);
    }

    [Fact]
    public void Devices_are_skipped_when_not_allowed()
    {
        UnpackResult? result = Unpack(w =>
        {
            var disk = new PaxTarEntry(TarEntryType.BlockDevice, "dev/sda") { DeviceMajor = 8, DeviceMinor = 0, Mode = (UnixFileMode)0b110_110_110 };
            w.WriteEntry(disk);
            Write(w, "after", "ok");
        }, new UnpackOptions { AllowDevices = false });
        Assert.False(File.Exists(Path.Combine(_layer, "dev/sda")));
        Assert.Contains("dev/sda: device 8:0 not allowed", Assert.Single(result!.Skipped));
        Assert.True(File.Exists(Path.Combine(_layer, "after")));
    }

    [Theory]
    [InlineData(WhiteoutMode.Apply)]
    [InlineData(WhiteoutMode.Overlay)]
    public void Whiteouts_cannot_reach_outside(WhiteoutMode mode)
    {
        var options = new UnpackOptions { Whiteouts = mode };
        Rejected(w => Write(w, "../outside/.wh.canary.txt", ""), "climbs above", options);
        Rejected(w => Write(w, "dir/.wh..", ""), "whiteout of \".\"", options);
        Rejected(w => Write(w, "dir/.wh...", ""), "whiteout of \"..\"", options);
        void Through(TarWriter w)
        {
            w.Symlink("link", _outside);
            w.Symlink("root", "/");
            Write(w, "link/.wh.canary.txt", "");
            Write(w, "root/.wh.outside", "");
        }

        if (mode == WhiteoutMode.Apply)
        {
            Unpack(Through, options);   // nothing to remove inside the layer
            Assert.Equal(_outside, new FileInfo(Path.Combine(_layer, "link")).LinkTarget);
        }
        else
        {
            // Overlay mode must create the whiteout in link's directory, which resolves to a missing one inside the layer.
            Assert.Throws<LayerFormatException>(() => Unpack(Through, options));
        }
    }

    [Fact]
    public void Opaque_directory_through_a_symlink_does_not_empty_the_outside()
    {
        Unpack(w =>
        {
            w.Symlink("o", _outside);
            Write(w, "o/.wh..wh..opq", "");
        }, new UnpackOptions { Whiteouts = WhiteoutMode.Apply });
    }

    [Fact]
    public void Long_gnu_names_and_nul_bytes()
    {
        string deep = string.Join('/', Enumerable.Repeat("abcdefghij", 30)) + "/file";
        byte[] tar = TestImages.Tar(w => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, deep) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("deep")) }));
        LayerUnpacker.Unpack(new MemoryStream(tar), _layer);
        Assert.Equal("deep", File.ReadAllText(Path.Combine(_layer, deep)));
        AssertCanaryIntact();
    }
}
