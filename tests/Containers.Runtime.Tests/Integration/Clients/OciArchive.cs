using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Containers.Runtime.Tests.Integration.Clients;

/// <summary>Writes a one-layer OCI image archive (oci-layout, index.json, blobs) from a rootfs tar, for `ctr images import`.</summary>
internal static class OciArchive
{
    public static string Write(string rootfsTar, string dir, string refName)
    {
        string layout = Path.Combine(dir, "oci-layout-dir");
        string blobs = Path.Combine(layout, "blobs", "sha256");
        Directory.CreateDirectory(blobs);

        (string Digest, long Size) AddBlob(byte[] bytes)
        {
            string hex = Convert.ToHexStringLower(SHA256.HashData(bytes));
            File.WriteAllBytes(Path.Combine(blobs, hex), bytes);
            return ("sha256:" + hex, bytes.Length);
        }

        var layer = AddBlob(File.ReadAllBytes(rootfsTar));
        var config = AddBlob(System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Env"] = new JsonArray("PATH=/bin"), ["Cmd"] = new JsonArray("sh") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layer.Digest) },
        }.ToJsonString()));
        var manifest = AddBlob(System.Text.Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", config),
            ["layers"] = new JsonArray(Descriptor("application/vnd.oci.image.layer.v1.tar", layer)),
        }.ToJsonString()));

        JsonObject manifestDescriptor = Descriptor("application/vnd.oci.image.manifest.v1+json", manifest);
        manifestDescriptor["platform"] = new JsonObject { ["architecture"] = "amd64", ["os"] = "linux" };
        manifestDescriptor["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = refName };
        File.WriteAllText(Path.Combine(layout, "index.json"), new JsonObject
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new JsonArray(manifestDescriptor),
        }.ToJsonString());
        File.WriteAllText(Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");

        string archive = Path.Combine(dir, "busybox-oci.tar");
        RunResult tar = RuntimeSandbox.RunProcess("tar", ["-C", layout, "-cf", archive, "."], TimeSpan.FromSeconds(30));
        Assert.True(tar.ExitCode == 0, "tar: " + tar);
        return archive;
    }

    private static JsonObject Descriptor(string mediaType, (string Digest, long Size) blob) =>
        new() { ["mediaType"] = mediaType, ["digest"] = blob.Digest, ["size"] = blob.Size };
}
