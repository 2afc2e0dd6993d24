namespace Containers.Image.Tests;

public class ReferenceTests
{
    private const string Hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest")]
    [InlineData("busybox:1.36", "docker.io/library/busybox:1.36")]
    [InlineData("library/busybox", "docker.io/library/busybox:latest")]
    [InlineData("docker.io/busybox", "docker.io/library/busybox:latest")]
    [InlineData("index.docker.io/library/busybox", "docker.io/library/busybox:latest")]
    [InlineData("user/app", "docker.io/user/app:latest")]
    [InlineData("user/app/sub:v1", "docker.io/user/app/sub:v1")]
    [InlineData("localhost/app", "localhost/app:latest")]
    [InlineData("localhost:5000/a/b:tag", "localhost:5000/a/b:tag")]
    [InlineData("127.0.0.1:5000/app", "127.0.0.1:5000/app:latest")]
    [InlineData("quay.io/coreos/etcd:v3.5", "quay.io/coreos/etcd:v3.5")]
    [InlineData("[::1]:5000/app:x", "[::1]:5000/app:x")]
    [InlineData("x.io/a.b-c__d/e--f.g_h:T_a.g-1", "x.io/a.b-c__d/e--f.g_h:T_a.g-1")]
    [InlineData("busybox@sha256:" + Hex, "docker.io/library/busybox@sha256:" + Hex)]
    [InlineData("busybox:1.36@sha256:" + Hex, "docker.io/library/busybox:1.36@sha256:" + Hex)]
    [InlineData("localhost:5000/a@sha256:" + Hex, "localhost:5000/a@sha256:" + Hex)]
    public void Normalizes_as_docker(string input, string expected) =>
        Assert.Equal(expected, ImageReference.Parse(input).ToString());

    [Theory]
    [InlineData("busybox", "busybox:latest")]
    [InlineData("user/app:v1", "user/app:v1")]
    [InlineData("localhost:5000/a/b:tag", "localhost:5000/a/b:tag")]
    public void Familiar_form_is_dockers_short_form(string input, string expected) =>
        Assert.Equal(expected, ImageReference.Parse(input).FamiliarString);

    [Theory]
    [InlineData("", "empty reference")]
    [InlineData("Busybox", "repository name must be lowercase")]
    [InlineData("docker.io/User/app", "repository name must be lowercase")]
    [InlineData("busybox:", "invalid tag")]
    [InlineData("busybox:-x", "invalid tag")]
    [InlineData("busybox@sha256:abc", "invalid digest")]
    [InlineData("busybox@md5:" + Hex, "invalid digest")]
    [InlineData("a//b", "invalid path component")]
    [InlineData("a/b_", "invalid path component")]
    [InlineData("-a", "invalid path component")]
    [InlineData("localhost:5000/", "missing repository name")]
    [InlineData(Hex, "64-byte hexadecimal")]
    [InlineData("bad_host:5000/app", "invalid registry host")]
    public void Rejects_with_reference_and_reason(string input, string reason)
    {
        var error = Assert.Throws<ReferenceFormatException>(() => ImageReference.Parse(input));
        Assert.Equal(input, error.Reference);
        Assert.Contains(reason, error.Reason);
        Assert.Contains("\"" + input + "\"", error.Message);
    }

    [Fact]
    public void Rejects_names_longer_than_255()
    {
        string input = "x.io/" + new string('a', 251);
        var error = Assert.Throws<ReferenceFormatException>(() => ImageReference.Parse(input));
        Assert.Contains("255", error.Reason);
    }

    [Fact]
    public void Splits_parts()
    {
        var r = ImageReference.Parse("localhost:5000/a/b:tag");
        Assert.Equal("localhost:5000", r.Domain);
        Assert.Equal("a/b", r.Path);
        Assert.Equal("tag", r.Tag);
        Assert.Null(r.Digest);
        Assert.Equal("tag", r.ManifestReference);
        var d = ImageReference.Parse("busybox@sha256:" + Hex);
        Assert.Null(d.Tag);
        Assert.Equal("sha256:" + Hex, d.ManifestReference);
    }

    [Fact]
    public void Digest_round_trips_and_validates()
    {
        Assert.Equal("sha256:" + Hex, Digest.Sha256([]).ToString());
        Assert.Equal(Digest.Sha256([]), Digest.Parse("sha256:" + Hex));
        Assert.False(Digest.TryParse("sha256:" + Hex.ToUpperInvariant(), out _));
        Assert.False(Digest.TryParse("sha256", out _));
    }
}
