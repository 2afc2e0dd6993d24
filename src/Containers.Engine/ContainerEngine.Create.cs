using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Containers.Image;
using Containers.Interop;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Spec;
using RuntimeStatus = Containers.Runtime.Spec.ContainerStatus;

namespace Containers.Engine;

/// <summary>Create: claim a name and an id, build the bundle, mount the rootfs; nothing left behind on failure.</summary>
public sealed partial class ContainerEngine
{
    public ContainerInfo Create(ContainerCreateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Name is { } given && !ContainerStore.IsValidName(given))
        {
            throw SpecBuilder.Invalid("Name", $"\"{given}\" is not valid: use [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        bool hasRootfs = !string.IsNullOrEmpty(request.Rootfs), hasImage = !string.IsNullOrEmpty(request.Image);
        if (hasRootfs == hasImage)
        {
            throw SpecBuilder.Invalid(hasRootfs ? "Image" : "Rootfs", hasRootfs
                ? "give either a root filesystem or an image, not both"
                : "give a root filesystem (a directory or a .tar/.tar.gz file) or an image");
        }
        if (hasImage) return CreateFromImage(request);
        string source = Path.GetFullPath(request.Rootfs!);
        string lowerDir = RootfsProvider.LowerDirFor(source, _store.RootfsCacheDir);
        string id = ContainerStore.NewId();
        RuntimeSpec spec = SpecBuilder.Build(request, id, lowerDir, $"containers-ps/{id}");
        if (request.StopSignal is { } stop) ParseSignal(stop, "StopSignal");

        string name = ClaimName(request.Name, id);
        string dir = _store.DirectoryOf(id);
        return CreateClaimed(id, name, () =>
        {
            File.WriteAllText(Path.Join(_store.BundleOf(id), "config.json"), SpecLoader.Serialize(spec));
            string mode = RootfsProvider.Provide(lowerDir, dir, _store.RootfsOf(id), out string? warning);
            if (warning is not null) AppendEngineLog(id, warning);
            return new StoredContainer
            {
                Id = id,
                Name = name,
                CreatedAt = DateTimeOffset.UtcNow,
                Request = request with { Name = name },
                RootfsSource = source,
                LowerDir = lowerDir,
                RootfsMode = mode,
                Command = spec.Process!.Args!,
            };
        });
    }

    /// <summary>
    /// `docker run IMAGE`: the image from the store (pulled when absent), an overlay of its layers as the
    /// root, and its config's defaults under the request's own values (Docker's rules: a command replaces
    /// Cmd; an entrypoint replaces Entrypoint and clears Cmd; environment merges over the image's).
    /// </summary>
    private ContainerInfo CreateFromImage(ContainerCreateRequest request)
    {
        if (request.StopSignal is { } stop) ParseSignal(stop, "StopSignal");
        ImageRecord image = Images.Find(request.Image!) ?? Images.Pull(request.Image!, request.PullAccess, request.PullProgress);
        ImageDefaults defaults = Images.Defaults(image);
        IReadOnlyList<string> layers = new LayerCache(Images.Store).Prepare(image);
        ContainerCreateRequest effective = ImageRequest(request, defaults);
        if (defaults.StopSignal is { } imageStop) ParseSignal(imageStop, "StopSignal");
        SpecBuilder.CommandOf(effective);

        string id = ContainerStore.NewId();
        string name = ClaimName(request.Name, id);
        string dir = _store.DirectoryOf(id);
        return CreateClaimed(id, name, () =>
        {
            string target = _store.RootfsOf(id);
            string mode = "overlay";
            Directory.CreateDirectory(target);
            try
            {
                ImageRootfs.MountOverlay(layers, dir, target);
            }
            catch (SyscallException e)
            {
                AppendEngineLog(id, $"overlay mount on {target} failed ({e.Message}); applying the layers of {image.Reference} into a private copy instead");
                foreach (string sub in new[] { "upper", "work" })
                {
                    if (Directory.Exists(Path.Join(dir, sub))) Directory.Delete(Path.Join(dir, sub), recursive: true);
                }
                ImageRootfs.Create(Images.Store, image, dir, target, forceCopy: true);
                mode = "copy";
            }
            // The spec reads /etc/passwd for User: from the merged view the container will see.
            RuntimeSpec spec = SpecBuilder.Build(effective, id, target, $"containers-ps/{id}");
            File.WriteAllText(Path.Join(_store.BundleOf(id), "config.json"), SpecLoader.Serialize(spec));
            return new StoredContainer
            {
                Id = id,
                Name = name,
                CreatedAt = DateTimeOffset.UtcNow,
                Request = effective with { Name = name, Image = image.Reference.ToString(), PullAccess = null, PullProgress = null },
                RootfsSource = target,
                LowerDir = layers.Count > 0 ? layers[^1] : target,
                RootfsMode = mode,
                Command = spec.Process!.Args!,
                Image = image.Reference.ToString(),
                ImageId = image.Id.ToString(),
                ImageLayers = layers,
                ExposedPorts = defaults.ExposedPorts,
                Volumes = defaults.Volumes,
            };
        });
    }

    internal static ContainerCreateRequest ImageRequest(ContainerCreateRequest request, ImageDefaults image)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in image.Env)
        {
            int eq = pair.IndexOf('=');
            if (eq > 0) environment[pair[..eq]] = pair[(eq + 1)..];
        }
        foreach ((string key, string value) in request.Environment ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var labels = new Dictionary<string, string>(image.Labels, StringComparer.Ordinal);
        foreach ((string key, string value) in request.Labels) labels[key] = value;
        return request with
        {
            Entrypoint = request.Entrypoint ?? image.Entrypoint,
            Command = request.Command ?? (request.Entrypoint is null ? image.Cmd : []),
            Environment = environment,
            WorkingDirectory = request.WorkingDirectory ?? image.WorkingDir,
            User = request.User ?? (string.IsNullOrEmpty(image.User) ? null : image.User),
            StopSignal = request.StopSignal ?? image.StopSignal,
            Labels = labels,
        };
    }

    /// <summary>Makes the container's directories and rootfs (<paramref name="make"/>), then saves it; undoes everything on failure.</summary>
    private ContainerInfo CreateClaimed(string id, string name, Func<StoredContainer> make)
    {
        string dir = _store.DirectoryOf(id);
        try
        {
            Directory.CreateDirectory(_store.ContainersDir);
            Directory.CreateDirectory(dir);
            Directory.CreateDirectory(_store.BundleOf(id));
            StoredContainer stored = make();
            _store.Save(stored); // last: the container exists once container.json does
            return ToInfo(stored, ContainerState.Created, null, null);
        }
        catch
        {
            // The mount goes first; the directory only once nothing is mounted in it any more.
            RootfsProvider.Release(_store.RootfsOf(id));
            _store.Delete(id);
            _store.ReleaseName(name, id);
            throw;
        }
    }

    /// <summary>Mounts the container's root again after a reboot (the mount is gone, the upper directory is not).</summary>
    private void EnsureRootfs(StoredContainer stored)
    {
        string target = _store.RootfsOf(stored.Id);
        if (stored.ImageLayers is { } layers)
        {
            if (stored.RootfsMode == "overlay" && !RootfsProvider.IsMountPoint(target))
            {
                ImageRootfs.MountOverlay(layers, _store.DirectoryOf(stored.Id), target);
            }
            return;
        }
        RootfsProvider.EnsureMounted(stored.RootfsMode, stored.LowerDir, _store.DirectoryOf(stored.Id), target);
    }

    private string ClaimName(string? requested, string id)
    {
        if (requested is not null)
        {
            return _store.TryClaimName(requested, id)
                ? requested
                : throw new EngineException(EngineErrorKind.AlreadyExists, $"the name \"{requested}\" is already in use by container {File.ReadAllText(_store.NameFileOf(requested)).Trim()[..Math.Min(12, 64)]}");
        }
        for (int attempt = 0; ; attempt++)
        {
            string name = NameGenerator.Next(attempt);
            if (_store.TryClaimName(name, id)) return name;
        }
    }

    private void AppendEngineLog(string id, string message)
    {
        string line = JsonSerializer.Serialize(new LogLine { Stream = "engine", Time = DateTimeOffset.UtcNow, Line = message }, EngineJsonContext.Default.LogLine)
            .Replace("\n", string.Empty).Replace("\r", string.Empty);
        File.AppendAllText(_store.LogOf(id), line + "\n");
    }
}
