namespace Containers.Image.Tests;

/// <summary>Import and export as OCI layout (directory and tar) and docker-archive, checked against skopeo both ways.</summary>
public sealed class ArchiveTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ImageStore _store;
    private readonly ImageRecord _image;

    public ArchiveTests()
    {
        _store = new ImageStore(_dir.Combine("store"));
        TestImages.AddImage(_store, "example.com/arch/app:v1", new ContainerConfig { Cmd = ["/bin/tool"], WorkingDir = "/srv" }, UnpackTests.BaseLayer(), UnpackTests.TopLayer());
        _image = _store.Get("example.com/arch/app:v1");
    }

    public void Dispose() => _dir.Dispose();

    private static string Skopeo(params string[] args) => RegistryTests.Run("skopeo", args);

    [Fact]
    public async Task Oci_layout_round_trips_through_skopeo()
    {
        string layout = _dir.Combine("layout");
        OciLayout.ExportDirectory(_store, ["example.com/arch/app:v1"], layout);
        Assert.Contains(_image.ManifestDigest.ToString(), Skopeo("inspect", "oci:" + layout + ":v1"));

        // skopeo rewrites it into another layout; we import that.
        string copied = _dir.Combine("copied");
        Skopeo("copy", "oci:" + layout + ":v1", "oci:" + copied + ":other");
        var fresh = new ImageStore(_dir.Combine("fresh"));
        ImageRecord imported = Assert.Single(await OciLayout.ImportDirectoryAsync(fresh, copied, "example.com/arch/copy"));
        Assert.Equal("example.com/arch/copy:other", imported.Reference.ToString());
        Assert.Equal(_image.Id, imported.Id);
        Assert.Equal("/srv", fresh.ReadConfig(imported.Id).Config?.WorkingDir);

        // Our own layout keeps the full name, so it needs no repository.
        var again = new ImageStore(_dir.Combine("again"));
        Assert.Equal(_image.Reference, Assert.Single(await OciLayout.ImportDirectoryAsync(again, layout)).Reference);
    }

    [Fact]
    public async Task Oci_archive_tar_round_trips()
    {
        string tar = _dir.Combine("image.oci.tar");
        OciLayout.ExportTar(_store, ["example.com/arch/app:v1"], tar);
        Assert.Contains(_image.ManifestDigest.ToString(), Skopeo("inspect", "oci-archive:" + tar + ":v1"));
        var fresh = new ImageStore(_dir.Combine("fresh"));
        ImageRecord imported = Assert.Single(await OciLayout.ImportTarAsync(fresh, tar));
        Assert.Equal(_image.ManifestDigest, imported.ManifestDigest);
    }

    [Fact]
    public async Task Docker_archive_export_is_read_by_skopeo_and_imported_back()
    {
        string tar = _dir.Combine("saved.tar");
        DockerArchive.Export(_store, ["example.com/arch/app:v1"], tar);
        string inspect = Skopeo("inspect", "--config", "docker-archive:" + tar);
        Assert.Contains("\"WorkingDir\": \"/srv\"", inspect);
        string layers = Skopeo("inspect", "docker-archive:" + tar);
        Assert.All(_store.ReadConfig(_image.Id).RootFs.DiffIds, diffId => Assert.Contains(diffId, layers));   // uncompressed layers are named by DiffID

        var fresh = new ImageStore(_dir.Combine("fresh"));
        ImageRecord imported = Assert.Single(await DockerArchive.ImportAsync(fresh, tar));
        Assert.Equal("example.com/arch/app:v1", imported.Reference.ToString());
        Assert.Equal(_image.Id, imported.Id);   // the same config: the same image ID
        Manifest manifest = fresh.ReadManifest(imported.ManifestDigest);
        Assert.All(manifest.Layers, l => Assert.Equal(MediaTypes.OciLayer, l.MediaType));
        // No stray blobs: manifest.json and friends were not kept.
        Assert.Equal(4, fresh.Blobs.List().Count());

        // And the layers unpack to the same tree.
        string a = _dir.Combine("a");
        string b = _dir.Combine("b");
        ImageRootfs.Create(_store, _image, _dir.Combine("ca"), a, forceCopy: true);
        ImageRootfs.Create(fresh, imported, _dir.Combine("cb"), b, forceCopy: true);
        Assert.Equal(Tree(a), Tree(b));
    }

    [Fact]
    public async Task Docker_archive_written_by_skopeo_is_imported()
    {
        string layout = _dir.Combine("layout");
        OciLayout.ExportDirectory(_store, ["example.com/arch/app:v1"], layout);
        string tar = _dir.Combine("skopeo.tar");
        Skopeo("copy", "oci:" + layout + ":v1", "docker-archive:" + tar + ":example.com/arch/skopeo:v2");
        var fresh = new ImageStore(_dir.Combine("fresh"));
        ImageRecord imported = Assert.Single(await DockerArchive.ImportAsync(fresh, tar));
        Assert.Equal("example.com/arch/skopeo:v2", imported.Reference.ToString());
        Assert.Equal(_image.Id, imported.Id);
        Assert.Equal(_store.ReadConfig(_image.Id).RootFs.DiffIds, fresh.ReadConfig(imported.Id).RootFs.DiffIds);
        new LayerCache(fresh).Prepare(imported);   // verifies every DiffID while unpacking
    }

    [Fact]
    public async Task Import_refuses_an_archive_without_a_manifest()
    {
        string tar = _dir.Combine("bogus.tar");
        int before = _store.Blobs.List().Count();
        File.WriteAllBytes(tar, TestImages.Tar(w => w.File("hello", "world")));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => DockerArchive.ImportAsync(_store, tar));
        Assert.Contains("no manifest.json", error.Message);
        Assert.Equal(before, _store.Blobs.List().Count());   // the stray file's blob was removed again
    }

    private static string Tree(string root) =>
        RegistryTests.Run("find", root, "-mindepth", "1", "-printf", "%P %y %m %U %G %s %l\n").Split('\n').Order(StringComparer.Ordinal).Aggregate("", (a, l) => a + l + "\n");
}
