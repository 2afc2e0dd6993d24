using Containers.Interop;

namespace Containers.Image;

/// <summary>How a container's root was made.</summary>
public enum RootfsMode
{
    /// <summary>overlayfs: lower = the image's layer directories, upper/work in the container's directory.</summary>
    Overlay,

    /// <summary>A private copy: the layers applied one over the other into the target.</summary>
    Copy,
}

/// <summary>A container's root filesystem from an image: overlayfs over the shared layers, or a copy where overlay is unavailable.</summary>
public static class ImageRootfs
{
    /// <summary>
    /// Mounts overlayfs on <paramref name="target"/> with <paramref name="layers"/> (bottom first) as lower
    /// directories and <c>containerDir/upper</c>, <c>containerDir/work</c>; if the mount fails (or
    /// <paramref name="forceCopy"/>), applies the image's layers into <paramref name="target"/> instead.
    /// </summary>
    public static RootfsMode Create(ImageStore store, ImageRecord image, string containerDir, string target, bool forceCopy = false, Action<string>? warning = null)
    {
        Directory.CreateDirectory(target);
        if (!forceCopy)
        {
            IReadOnlyList<string> layers = new LayerCache(store).Prepare(image);
            try
            {
                MountOverlay(layers, containerDir, target);
                return RootfsMode.Overlay;
            }
            catch (SyscallException e)
            {
                warning?.Invoke($"overlay mount on {target} failed ({e.Message}); applying the layers of {image.Reference} into a private copy instead");
            }
        }

        Manifest manifest = store.ReadManifest(image.ManifestDigest);
        ImageConfig config = store.ReadConfig(image.Id);
        var options = new UnpackOptions { Whiteouts = WhiteoutMode.Apply };
        for (int i = 0; i < manifest.Layers.Count; i++)
        {
            LayerUnpacker.Unpack(store.Blobs, manifest.Layers[i], target, Digest.Parse(config.RootFs.DiffIds[i]), options);
        }

        return RootfsMode.Copy;
    }

    /// <summary>
    /// overlayfs through the new mount API, one <c>lowerdir+</c> per layer (Linux 6.8), so neither the page-sized
    /// mount data limit nor ':' and ',' in paths matter; the classic mount(2) string before that.
    /// </summary>
    public static void MountOverlay(IReadOnlyList<string> layersBottomFirst, string containerDir, string target)
    {
        string upper = Path.Combine(containerDir, "upper");
        string work = Path.Combine(containerDir, "work");
        Directory.CreateDirectory(upper);
        Directory.CreateDirectory(work);
        IEnumerable<string> topFirst = layersBottomFirst.Reverse();
        try
        {
            using SafeFd fs = Syscalls.Fsopen("overlay", FsopenFlags.CloseOnExec);
            foreach (string layer in topFirst)
            {
                Syscalls.FsconfigSetString(fs, "lowerdir+", layer);
            }

            Syscalls.FsconfigSetString(fs, "upperdir", upper);
            Syscalls.FsconfigSetString(fs, "workdir", work);
            Syscalls.FsconfigCreate(fs);
            using SafeFd mount = Syscalls.Fsmount(fs, FsmountFlags.CloseOnExec, MountAttr.None);
            Syscalls.MoveMount(mount, "", SafeFd.CurrentDirectory, target, MoveMountFlags.FromEmptyPath);
        }
        catch (SyscallException e) when (e.Errno == Errno.EINVAL || e.Errno == Errno.ENOSYS)
        {
            // Kernels before 6.8 know no lowerdir+.
            string data = $"lowerdir={string.Join(':', topFirst)},upperdir={upper},workdir={work}";
            Syscalls.Mount("overlay", target, "overlay", MountFlags.None, data);
        }
    }

    public static void Unmount(string target)
    {
        try
        {
            Syscalls.Umount2(target, UmountFlags.None);
        }
        catch (SyscallException e) when (e.Errno == Errno.EBUSY)
        {
            Syscalls.Umount2(target, UmountFlags.Detach);
        }
    }
}
