using Containers.Interop;

namespace Containers.Image;

/// <summary>
/// Unpacked layers, one directory per DiffID under <c>root/layers/</c>, in overlayfs form (whiteouts as 0/0
/// devices, opaque xattrs), shared by every image and container that uses them. A layer is unpacked into a
/// temporary directory and renamed into place, so a half-unpacked layer is never used.
/// </summary>
public sealed class LayerCache(ImageStore store)
{
    public string Directory { get; } = Path.Combine(store.Root, "layers");

    public string PathOf(Digest diffId) => Path.Combine(Directory, diffId.Hex);

    /// <summary>The layer directories of <paramref name="image"/>, bottom layer first, unpacking the ones missing.</summary>
    public IReadOnlyList<string> Prepare(ImageRecord image, UnpackOptions? options = null)
    {
        Manifest manifest = store.ReadManifest(image.ManifestDigest);
        ImageConfig config = store.ReadConfig(image.Id);
        if (config.RootFs.DiffIds.Count != manifest.Layers.Count)
        {
            throw new InvalidDataException($"image {image.Reference}: the config lists {config.RootFs.DiffIds.Count} diff_ids for {manifest.Layers.Count} layers");
        }

        System.IO.Directory.CreateDirectory(Directory);
        var directories = new List<string>();
        for (int i = 0; i < manifest.Layers.Count; i++)
        {
            Digest diffId = Digest.Parse(config.RootFs.DiffIds[i]);
            string target = PathOf(diffId);
            if (!System.IO.Directory.Exists(target))
            {
                string temp = Path.Combine(Directory, $".{diffId.Hex}.{Environment.ProcessId}.{Guid.NewGuid():N}");
                try
                {
                    LayerUnpacker.Unpack(store.Blobs, manifest.Layers[i], temp, diffId, (options ?? new UnpackOptions()) with { Whiteouts = WhiteoutMode.Overlay });
                    try
                    {
                        System.IO.Directory.Move(temp, target);
                    }
                    catch (IOException) when (System.IO.Directory.Exists(target))
                    {
                        // Another pull unpacked it at the same time: theirs is as good.
                    }
                }
                finally
                {
                    RemoveTree(temp);
                }
            }

            directories.Add(target);
        }

        return directories;
    }

    /// <summary>Removes unpacked layers no stored image uses; returns the DiffIDs removed.</summary>
    public IReadOnlyList<string> CollectGarbage()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (ImageRecord image in store.List())
        {
            if (store.Blobs.Contains(image.Id))
            {
                foreach (string diffId in store.ReadConfig(image.Id).RootFs.DiffIds)
                {
                    live.Add(Digest.Parse(diffId).Hex);
                }
            }
        }

        var removed = new List<string>();
        foreach (string dir in System.IO.Directory.EnumerateDirectories(Directory))
        {
            string name = Path.GetFileName(dir);
            if (!live.Contains(name) && !name.StartsWith('.'))
            {
                RemoveTree(dir);
                removed.Add("sha256:" + name);
            }
        }

        return removed;
    }

    /// <summary>Removes a directory tree without following symlinks (layers hold links to anywhere).</summary>
    internal static void RemoveTree(string path)
    {
        string? parent = Path.GetDirectoryName(path);
        if (parent is null || !System.IO.Directory.Exists(path))
        {
            return;
        }

        using SafeFd parentFd = Syscalls.Openat2(SafeFd.CurrentDirectory, parent, OpenHow.Create(OpenFlags.Path | OpenFlags.Directory | OpenFlags.CloseOnExec, ResolveFlags.None));
        RootedTree.RemoveAll(parentFd, Path.GetFileName(path));
    }
}
