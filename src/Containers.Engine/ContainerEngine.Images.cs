using Containers.Image;
using Containers.Runtime.Spec;

namespace Containers.Engine;

// A container's filesystem as a tar (`docker export`) and as a new image (`docker commit`).
public sealed partial class ContainerEngine
{
    public void ExportFilesystem(string idOrName, string tarPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tarPath);
        string id = _store.Resolve(idOrName);
        string rootfs = MountedRootfs(id).Rootfs;
        string temp = $"{tarPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (FileStream output = File.Create(temp))
            {
                LayerTarWriter.WriteTree(rootfs, output);
            }
            File.Move(temp, tarPath, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// An image of the container: for an overlay over an image, its upper directory as one new layer on the
    /// image's layers; otherwise (a rootfs container, or the copy fallback) the whole root as one layer. The
    /// config is the container's own (entrypoint, command, environment, working directory, user, labels).
    /// A running container is not paused: changes made meanwhile may be half in the layer.
    /// </summary>
    public ImageRecord Commit(string idOrName, CommitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ImageReference reference = ImageReference.Parse(request.Reference);
        string id = _store.Resolve(idOrName);
        (StoredContainer stored, string rootfs) = MountedRootfs(id);
        ImageRecord? parent = stored is { ImageId: { } imageId, RootfsMode: "overlay" } ? Images.Find(imageId) : null;
        string upper = Path.Join(_store.DirectoryOf(id), "upper");
        string temp = Path.Join(_store.DirectoryOf(id), $"commit-{Guid.NewGuid():N}.tar");
        try
        {
            using (FileStream output = File.Create(temp))
            {
                if (parent is not null) LayerTarWriter.WriteOverlayDiff(upper, output);
                else LayerTarWriter.WriteTree(rootfs, output);
            }
            using FileStream layer = File.OpenRead(temp);
            string comment = request.Message ?? $"committed from container {stored.Name}";
            return ImageBuilder.Build(Images.Store, parent, layer, reference, ConfigOf(stored), request.Author, comment);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private (StoredContainer Stored, string Rootfs) MountedRootfs(string id)
    {
        using (_store.Lock(id))
        {
            StoredContainer stored = Inspect(id, locked: true).Stored;
            EnsureRootfs(stored);
            return (stored, _store.RootfsOf(id));
        }
    }

    /// <summary>The container's execution settings as an image config: what it ran with becomes the image's defaults.</summary>
    private ContainerConfig ConfigOf(StoredContainer stored)
    {
        ContainerCreateRequest r = stored.Request;
        RuntimeSpec spec = SpecLoader.ParseJson(File.ReadAllBytes(Path.Join(_store.BundleOf(stored.Id), "config.json")));
        // HOME and TERM follow the user and the terminal of each run; the rest is the container's environment.
        List<string> env = [.. (spec.Process?.Env ?? []).Where(e => !e.StartsWith("HOME=", StringComparison.Ordinal) && !e.StartsWith("TERM=", StringComparison.Ordinal))];
        return new ContainerConfig
        {
            Entrypoint = r.Entrypoint is { Count: > 0 } entrypoint ? [.. entrypoint] : null,
            Cmd = r.Command is { Count: > 0 } command ? [.. command] : null,
            Env = env,
            WorkingDir = r.WorkingDirectory is { } cwd && cwd != "/" ? cwd : null,
            User = r.User,
            Labels = r.Labels.Count > 0 ? new Dictionary<string, string>(r.Labels) : null,
            StopSignal = r.StopSignal,
            ExposedPorts = stored.ExposedPorts is { Count: > 0 } ports ? ports.ToDictionary(p => p, _ => new EmptyObject()) : null,
            Volumes = stored.Volumes is { Count: > 0 } volumes ? volumes.ToDictionary(v => v, _ => new EmptyObject()) : null,
        };
    }
}
