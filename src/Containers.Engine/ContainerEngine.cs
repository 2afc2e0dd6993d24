using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Containers.Image;
using Containers.Interop;
using Containers.Runtime.Lifecycle;
using Containers.Runtime.Spec;
using RuntimeStatus = Containers.Runtime.Spec.ContainerStatus;

namespace Containers.Engine;

/// <summary>
/// Containers as users see them. State lives on disk (DATA/containers/ID) and in the kernel (the
/// runtime's state under RUN, the shim's exit.json), never in this object: any number of engines, in
/// any number of sessions, see the same containers. Changes to one container hold its lock.
/// </summary>
public sealed partial class ContainerEngine : IContainerEngine
{
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);
    private readonly EngineOptions _options;
    private readonly ContainerStore _store;
    private readonly StateStore _runtimeStore;
    private readonly ContainerOperations _operations;

    public ContainerEngine(EngineOptions? options = null)
    {
        _options = options ?? new EngineOptions();
        _store = new ContainerStore(_options.DataRoot);
        _runtimeStore = new StateStore(_options.RunRoot);
        _operations = new ContainerOperations(_runtimeStore);
        Images = new ImageService(_options.ImageStoreRoot, UsesImage);
    }

    public EngineOptions Options => _options;

    public ImageService Images { get; }

    /// <summary>The image store's InUse hook: does any container (whatever its state) run on this image ID?</summary>
    private bool UsesImage(Digest imageId)
    {
        string wanted = imageId.ToString();
        return _store.Ids().Any(id => _store.TryLoad(id)?.ImageId == wanted);
    }

    // ---- create -------------------------------------------------------------------------------

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
        ImageRecord image = Images.Find(request.Image!) ?? Images.Pull(request.Image!);
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
                Request = effective with { Name = name, Image = image.Reference.ToString() },
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

    // ---- start, wait, stop ----------------------------------------------------------------------

    public ContainerInfo Start(string idOrName)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            Snapshot snapshot = Inspect(id, locked: true);
            switch (snapshot.Info.State)
            {
                case ContainerState.Running:
                    return snapshot.Info;
                case ContainerState.Paused:
                    throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is paused: resume it instead");
            }
            StoredContainer stored = snapshot.Stored;
            EnsureRootfs(stored);
            WaitForShimToLeave(id); // the last run's shim may still be deleting its runtime state
            File.Delete(_store.ExitFileOf(id));
            DeleteRuntimeState(id);
            DateTimeOffset runSince = DateTimeOffset.UtcNow;
            ShimStartResult result = ShimClient.Start(new ShimClient.Options(_options.RuntimeExecutable, _runtimeStore.Root, _store.DirectoryOf(id), id,
                stored.Request.Interactive, stored.Request.AutoRemove ? _store.NameFileOf(stored.Name) : null,
                _options.LogMaxBytes, _options.LogMaxFiles));
            if (!result.Ok)
            {
                throw new EngineException(StartErrorKind(result.Error), $"container {stored.Name}: {result.Error}");
            }
            stored = stored with
            {
                StartedAt = result.StartedAt,
                RunSince = runSince,
                ShimPid = result.ShimPid,
                ShimStartTime = ProcessInfo.StartTime(result.ShimPid),
            };
            _store.Save(stored);
            return Inspect(id, locked: true).Info;
        }
    }

    private static EngineErrorKind StartErrorKind(string? error) =>
        error is not null && (error.Contains("permission denied", StringComparison.OrdinalIgnoreCase) || error.Contains("EACCES", StringComparison.Ordinal) || error.Contains("EPERM", StringComparison.Ordinal))
            ? EngineErrorKind.PermissionDenied
            : EngineErrorKind.Failed;

    public ContainerInfo? Wait(string idOrName, TimeSpan? timeout, CancellationToken cancellation)
    {
        string id = _store.Resolve(idOrName);
        long deadline = timeout is { } t ? Environment.TickCount64 + (long)t.TotalMilliseconds : long.MaxValue;
        Snapshot snapshot = Inspect(id);
        while (true)
        {
            if (snapshot.Info.State == ContainerState.Exited) return snapshot.Info;
            cancellation.ThrowIfCancellationRequested();
            long left = deadline - Environment.TickCount64;
            if (left <= 0) return null;
            if (snapshot.Info.State is ContainerState.Running or ContainerState.Paused)
            {
                ShimExit? exit = ShimClient.Wait(_store.SocketOf(id), TimeSpan.FromMilliseconds(Math.Min(left, int.MaxValue)), cancellation);
                if (exit is not null)
                {
                    // With AutoRemove the container may be gone by now: report what the shim said.
                    Snapshot? after = TryInspect(id);
                    return after is { Info.State: ContainerState.Exited }
                        ? after.Info
                        : snapshot.Info with { State = ContainerState.Exited, ExitCode = exit.ExitCode, FinishedAt = exit.FinishedAt, Pid = null };
                }
            }
            cancellation.ThrowIfCancellationRequested();
            if (deadline - Environment.TickCount64 <= 0) return null;
            cancellation.WaitHandle.WaitOne(50);
            Snapshot? next = TryInspect(id);
            if (next is null)
            {
                return snapshot.Info.AutoRemove
                    ? snapshot.Info with { State = ContainerState.Exited, Pid = null }
                    : throw NotFound(idOrName);
            }
            snapshot = next;
        }
    }

    public ContainerInfo Stop(string idOrName, TimeSpan timeout)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            return StopLocked(id, timeout);
        }
    }

    private ContainerInfo StopLocked(string id, TimeSpan timeout)
    {
        Snapshot snapshot = Inspect(id, locked: true);
        if (snapshot.Info.State is not (ContainerState.Running or ContainerState.Paused)) return snapshot.Info;
        Signal signal = snapshot.Stored.Request.StopSignal is { } s ? ParseSignal(s, "StopSignal") : Signal.SIGTERM;
        try
        {
            if (snapshot.Info.State == ContainerState.Paused) _operations.Resume(id);
            _operations.Kill(id, signal, all: false);
        }
        catch (ContainerException)
        {
            // exited meanwhile
        }
        if (WaitForExit(id, timeout) is null)
        {
            KillAll(id);
            WaitForExit(id, KillGrace);
        }
        return Inspect(id, locked: true).Info;
    }

    private void KillAll(string id)
    {
        try
        {
            _operations.Kill(id, Signal.SIGKILL, all: true);
            _operations.Kill(id, Signal.SIGKILL, all: false);
        }
        catch (ContainerException)
        {
            // gone
        }
    }

    /// <summary>Waits for exit.json (or a dead shim); the caller holds the lock.</summary>
    private ShimExit? WaitForExit(string id, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        ShimExit? exit = ShimClient.Wait(_store.SocketOf(id), timeout, CancellationToken.None);
        while (exit is null)
        {
            exit = _store.TryLoadExit(id);
            if (exit is not null) break;
            if (Inspect(id, locked: true).Info.State == ContainerState.Exited) return _store.TryLoadExit(id) ?? new ShimExit();
            if (Environment.TickCount64 >= deadline) return null;
            Thread.Sleep(20);
        }
        return exit;
    }

    public ContainerInfo Restart(string idOrName, TimeSpan timeout)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            StopLocked(id, timeout);
            WaitForShimToLeave(id);
        }
        return Start(id);
    }

    public ContainerInfo Pause(string idOrName)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            Snapshot snapshot = Inspect(id, locked: true);
            if (snapshot.Info.State != ContainerState.Running)
            {
                throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is not running ({snapshot.Info.State})");
            }
            Runtime(() => _operations.Pause(id));
            return Inspect(id, locked: true).Info;
        }
    }

    public ContainerInfo Resume(string idOrName)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            Snapshot snapshot = Inspect(id, locked: true);
            if (snapshot.Info.State != ContainerState.Paused)
            {
                throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is not paused ({snapshot.Info.State})");
            }
            Runtime(() => _operations.Resume(id));
            return Inspect(id, locked: true).Info;
        }
    }

    // ---- remove ----------------------------------------------------------------------------------

    public void Remove(string idOrName, bool force)
    {
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            Snapshot snapshot = Inspect(id, locked: true);
            if (snapshot.Info.State is ContainerState.Running or ContainerState.Paused)
            {
                if (!force)
                {
                    throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is {snapshot.Info.State.ToString().ToLowerInvariant()}: stop it first, or remove with force");
                }
                if (snapshot.Info.State == ContainerState.Paused) Runtime(() => _operations.Resume(id));
                KillAll(id);
                WaitForExit(id, KillGrace);
            }
            RemoveLocked(id, snapshot.Stored);
        }
    }

    /// <summary>
    /// The shim first (it deletes the runtime state itself: never delete it at the same time), then the
    /// runtime state, the rootfs mount, the directory and the name. Anything that fails before the mount
    /// is released leaves the container whole (listed, removable again), never a mount without a container.
    /// </summary>
    private void RemoveLocked(string id, StoredContainer stored)
    {
        WaitForShimToLeave(id);
        DeleteRuntimeState(id);
        RootfsProvider.Release(_store.RootfsOf(id));
        _store.Delete(id);
        _store.ReleaseName(stored.Name, id);
    }

    /// <summary>
    /// After exit the shim deletes the runtime state and its socket, then goes (or, with AutoRemove, waits
    /// for the container's lock, which our caller holds: it finds the container gone afterwards). Gives it
    /// a moment to get that far, then kills it.
    /// </summary>
    private void WaitForShimToLeave(string id)
    {
        StoredContainer? stored = _store.TryLoad(id);
        if (stored?.ShimPid is not { } pid || stored.ShimStartTime is not { } start) return;
        long deadline = Environment.TickCount64 + 3000;
        while (ProcessInfo.IsAlive(pid, start))
        {
            if (stored.Request.AutoRemove && !File.Exists(_store.SocketOf(id)) && File.Exists(_store.ExitFileOf(id)))
            {
                return; // past its runtime cleanup, waiting for our lock to remove the container
            }
            if (Environment.TickCount64 > deadline)
            {
                Syscalls.TryKill(pid, Signal.SIGKILL);
                for (int i = 0; i < 200 && ProcessInfo.IsAlive(pid, start); i++) Thread.Sleep(5);
                break;
            }
            Thread.Sleep(5);
        }
    }

    private void DeleteRuntimeState(string id)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                _operations.Delete(id, force: true);
                return;
            }
            catch (ContainerException e) when (e.Kind == ContainerErrorKind.NotFound)
            {
                return;
            }
            catch (ContainerException e) when (e.Kind == ContainerErrorKind.Corrupt)
            {
                _runtimeStore.Remove(id);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // another process (a shim killed mid-delete, another session) was deleting it too
                Thread.Sleep(20);
            }
        }
    }

    // ---- queries -----------------------------------------------------------------------------------

    public IReadOnlyList<ContainerInfo> List() =>
        [.. _store.Ids().Select(TryInspect).OfType<Snapshot>().Select(s => s.Info).OrderByDescending(i => i.CreatedAt)];

    public ContainerInfo Get(string idOrName) => Inspect(_store.Resolve(idOrName)).Info;

    private sealed record Snapshot(StoredContainer Stored, ContainerInfo Info, ContainerRecord? Runtime);

    private Snapshot? TryInspect(string id)
    {
        try
        {
            return Inspect(id);
        }
        catch (EngineException e) when (e.Kind == EngineErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// The container's state from disk and the kernel. A shim that died before writing exit.json is
    /// settled here (under the lock): processes left in the cgroup are killed, the runtime state is
    /// deleted and exit.json written: exit code 137 if we had to kill the container (that is what
    /// ended it), null if it had already exited (its status died with the shim).
    /// </summary>
    private Snapshot Inspect(string id, bool locked = false)
    {
        StoredContainer stored = _store.TryLoad(id) ?? throw NotFound(id);
        if (stored.StartedAt is null) return new Snapshot(stored, ToInfo(stored, ContainerState.Created, null, null), null);
        ShimExit? exit = _store.TryLoadExit(id);
        if (exit is not null) return Exited(stored, exit);

        ContainerRecord? record = TryLoadRuntime(id);
        string status = record is null ? RuntimeStatus.Stopped : _operations.StatusOf(record);
        bool shimAlive = stored.ShimPid is { } pid && stored.ShimStartTime is { } start && ProcessInfo.IsAlive(pid, start);
        if (shimAlive)
        {
            if (status != RuntimeStatus.Stopped)
            {
                ContainerState state = status == "paused" ? ContainerState.Paused : ContainerState.Running;
                return new Snapshot(stored, ToInfo(stored, state, null, record!.Pid), record);
            }
            // The container has exited; the shim is writing exit.json.
            for (int i = 0; i < 200 && exit is null; i++)
            {
                Thread.Sleep(10);
                exit = _store.TryLoadExit(id);
                if (!ProcessInfo.IsAlive(stored.ShimPid!.Value, stored.ShimStartTime!.Value)) break;
            }
            exit ??= _store.TryLoadExit(id);
            if (exit is not null) return Exited(stored, exit);
        }
        return locked ? SettleLostShim(id, stored) : SettleLostShimLocked(id);
    }

    private Snapshot SettleLostShimLocked(string id)
    {
        using (_store.Lock(id))
        {
            return Inspect(id, locked: true);
        }
    }

    private Snapshot SettleLostShim(string id, StoredContainer stored)
    {
        ContainerRecord? record = TryLoadRuntime(id);
        bool wasRunning = record is not null && _operations.StatusOf(record) != RuntimeStatus.Stopped;
        if (record is not null)
        {
            KillAll(id);
            DeleteRuntimeState(id);
        }
        var exit = new ShimExit { ExitCode = wasRunning ? 137 : null, FinishedAt = DateTimeOffset.UtcNow, Reason = "shim-lost" };
        _store.SaveExit(id, exit);
        if (stored.Request.AutoRemove)
        {
            RemoveLocked(id, stored);
        }
        return Exited(stored, exit);
    }

    private static Snapshot Exited(StoredContainer stored, ShimExit exit) =>
        new(stored, ToInfo(stored, ContainerState.Exited, exit, null), null);

    private ContainerRecord? TryLoadRuntime(string id)
    {
        try
        {
            return _runtimeStore.Load(id);
        }
        catch (ContainerException)
        {
            return null;
        }
    }

    private static ContainerInfo ToInfo(StoredContainer stored, ContainerState state, ShimExit? exit, int? pid) => new()
    {
        Id = stored.Id,
        Name = stored.Name,
        State = state,
        Command = stored.Command,
        Rootfs = stored.RootfsSource,
        CreatedAt = stored.CreatedAt,
        StartedAt = stored.StartedAt,
        FinishedAt = exit?.FinishedAt,
        ExitCode = exit?.ExitCode,
        Pid = pid,
        MemoryLimit = stored.Request.Memory,
        Labels = stored.Request.Labels,
        AutoRemove = stored.Request.AutoRemove,
        Tty = stored.Request.Tty,
        Image = stored.Image,
        ImageId = stored.ImageId,
        ExposedPorts = stored.ExposedPorts ?? [],
        Volumes = stored.Volumes ?? [],
    };

    // ---- logs and attach ------------------------------------------------------------------------------

    public IEnumerable<ContainerLogEntry> Logs(string idOrName, bool follow, int? tail, DateTimeOffset? since, CancellationToken cancellation)
    {
        string id = _store.Resolve(idOrName);
        if (tail is < 0) throw SpecBuilder.Invalid("Tail", "must not be negative");
        return LogsIterator(id, follow, tail, since, cancellation);
    }

    private IEnumerable<ContainerLogEntry> LogsIterator(string id, bool follow, int? tail, DateTimeOffset? since, CancellationToken cancellation)
    {
        string log = _store.LogOf(id);
        long offset = LogReader.Length(log);
        IEnumerable<ContainerLogEntry> past = LogReader.ReadAll(log, offset).Where(e => since is null || e.Time >= since);
        if (tail is { } n) past = past.TakeLast(n);
        foreach (ContainerLogEntry entry in past)
        {
            if (cancellation.IsCancellationRequested) yield break;
            yield return entry;
        }
        if (!follow) yield break;
        foreach (ContainerLogEntry entry in LogReader.Follow(log, offset, () => !IsRunning(id), cancellation))
        {
            yield return entry;
        }
    }

    private bool IsRunning(string id) => TryInspect(id)?.Info.State is ContainerState.Running or ContainerState.Paused;

    public IEnumerable<ContainerLogEntry> Attach(string idOrName, TextReader? stdin, CancellationToken cancellation)
    {
        string id = _store.Resolve(idOrName);
        Snapshot snapshot = Inspect(id);
        if (snapshot.Stored.RunSince is not { } runSince)
        {
            throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} has not been started");
        }
        return AttachIterator(id, snapshot, runSince, stdin, cancellation);
    }

    // This run's output from its start (so nothing written before the caller attached is lost), then
    // what comes until the container exits; stdin goes to the shim when the container is interactive.
    private IEnumerable<ContainerLogEntry> AttachIterator(string id, Snapshot snapshot, DateTimeOffset runSince, TextReader? stdin, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        Task? forwarding = stdin is not null && snapshot.Stored.Request.Interactive && snapshot.Info.State == ContainerState.Running
            ? ShimClient.ForwardStdin(_store.SocketOf(id), stdin, stop.Token)
            : null;
        try
        {
            string log = _store.LogOf(id);
            long offset = LogReader.Length(log);
            foreach (ContainerLogEntry entry in LogReader.ReadAll(log, offset).Where(e => e.Time >= runSince && e.Stream is "stdout" or "stderr"))
            {
                yield return entry;
            }
            foreach (ContainerLogEntry entry in LogReader.Follow(log, offset, () => !IsRunning(id), cancellation))
            {
                if (entry.Stream is "stdout" or "stderr") yield return entry;
            }
        }
        finally
        {
            stop.Cancel();
            _ = forwarding; // a blocked stdin read ends with its reader; the task holds nothing else
        }
    }

    // ---- exec -------------------------------------------------------------------------------------------

    public IEnumerable<ContainerLogEntry> Exec(string idOrName, ExecRequest request, TextReader? stdin, Action<int> exitCode, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        string id = _store.Resolve(idOrName);
        Snapshot snapshot = Inspect(id);
        if (snapshot.Info.State != ContainerState.Running)
        {
            throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is not running");
        }
        if (request.Command is not { Count: > 0 }) throw SpecBuilder.Invalid("Command", "give a command to run");
        if (request.WorkingDirectory is { } cwd && !cwd.StartsWith('/')) throw SpecBuilder.Invalid("WorkingDirectory", $"\"{cwd}\" is not an absolute path");
        List<string> args = ["--root", _runtimeStore.Root, "exec"];
        if (request.User is { } user)
        {
            UserSpec resolved = UserResolver.Resolve(user, _store.RootfsOf(id), out _);
            args.AddRange(["--user", $"{resolved.Uid}:{resolved.Gid}"]);
        }
        if (request.WorkingDirectory is { } dir) args.AddRange(["--cwd", dir]);
        foreach ((string key, string value) in request.Environment ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || key.Contains('=')) throw SpecBuilder.Invalid("Environment", $"\"{key}\" is not a variable name");
            args.AddRange(["--env", $"{key}={value}"]);
        }
        if (request.Tty) return ExecWithTerminal.Run(_options.RuntimeExecutable, args, id, request, stdin, exitCode, cancellation);
        args.Add(id);
        args.AddRange(request.Command);
        return ExecIterator(args, request, stdin, exitCode, cancellation);
    }

    private IEnumerable<ContainerLogEntry> ExecIterator(List<string> args, ExecRequest request, TextReader? stdin, Action<int> exitCode, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(_options.RuntimeExecutable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        args.ForEach(start.ArgumentList.Add);
        using var lines = new System.Collections.Concurrent.BlockingCollection<ContainerLogEntry>();
        using Process process = Process.Start(start) ?? throw new EngineException(EngineErrorKind.Failed, "exec: cannot start containers-runtime");
        int open = 2;
        void OnLine(string stream, string? data)
        {
            if (data is null)
            {
                if (Interlocked.Decrement(ref open) == 0) lines.CompleteAdding();
                return;
            }
            lines.Add(new ContainerLogEntry(stream, DateTimeOffset.UtcNow, data));
        }
        process.OutputDataReceived += (_, e) => OnLine("stdout", e.Data);
        process.ErrorDataReceived += (_, e) => OnLine("stderr", e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null && request.Interactive)
        {
            _ = Task.Run(() =>
            {
                try
                {
                    char[] buffer = new char[4096];
                    int n;
                    while ((n = stdin.Read(buffer, 0, buffer.Length)) > 0) process.StandardInput.Write(buffer, 0, n);
                    process.StandardInput.Close();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
                {
                }
            }, CancellationToken.None);
        }
        else
        {
            process.StandardInput.Close();
        }
        bool completed = false;
        try
        {
            foreach (ContainerLogEntry entry in lines.GetConsumingEnumerable(cancellation))
            {
                yield return entry;
            }
            process.WaitForExit();
            completed = true;
            exitCode(process.ExitCode);
        }
        finally
        {
            if (!completed && !process.HasExited)
            {
                process.Kill();
            }
        }
    }

    // ---- update, processes, stats -------------------------------------------------------------------

    public ContainerInfo Update(string idOrName, ResourceUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        string id = _store.Resolve(idOrName);
        using (_store.Lock(id))
        {
            Snapshot snapshot = Inspect(id, locked: true);
            ContainerCreateRequest request = snapshot.Stored.Request with
            {
                Memory = update.Memory ?? snapshot.Stored.Request.Memory,
                MemorySwap = update.MemorySwap ?? (update.Memory is not null && snapshot.Stored.Request.MemorySwap is { } oldSwap && oldSwap != -1 && oldSwap < update.Memory ? null : snapshot.Stored.Request.MemorySwap),
                Cpus = update.Cpus ?? snapshot.Stored.Request.Cpus,
                CpuShares = update.CpuShares ?? snapshot.Stored.Request.CpuShares,
                CpusetCpus = update.CpusetCpus ?? snapshot.Stored.Request.CpusetCpus,
                PidsLimit = update.PidsLimit ?? snapshot.Stored.Request.PidsLimit,
            };
            var changes = new ResourcesSpec
            {
                Memory = update.Memory is null && update.MemorySwap is null ? null : SpecBuilder.Memory(request.Memory, request.MemorySwap),
                Cpu = update.Cpus is null && update.CpuShares is null && update.CpusetCpus is null ? null : SpecBuilder.Cpu(update.Cpus, update.CpuShares, update.CpusetCpus),
                Pids = SpecBuilder.Pids(update.PidsLimit),
            };
            if (update.Cpus is not null) SpecBuilder.Cpu(request.Cpus, request.CpuShares, request.CpusetCpus);
            if (snapshot.Info.State is ContainerState.Running or ContainerState.Paused)
            {
                Runtime(() => _operations.Update(id, changes));
            }
            string configPath = Path.Join(_store.BundleOf(id), "config.json");
            RuntimeSpec spec = SpecLoader.ParseJson(File.ReadAllBytes(configPath));
            spec = spec with { Linux = spec.Linux! with { Resources = SpecBuilder.Resources(request, spec.Linux!.Resources ?? new ResourcesSpec()) } };
            File.WriteAllText(configPath + ".tmp", SpecLoader.Serialize(spec));
            File.Move(configPath + ".tmp", configPath, overwrite: true);
            _store.Save(snapshot.Stored with { Request = request });
            return Inspect(id, locked: true).Info;
        }
    }

    public IReadOnlyList<ContainerProcessInfo> Processes(string idOrName)
    {
        string id = _store.Resolve(idOrName);
        Snapshot snapshot = Inspect(id);
        if (snapshot.Info.State is not (ContainerState.Running or ContainerState.Paused))
        {
            throw new EngineException(EngineErrorKind.InvalidState, $"container {snapshot.Info.Name} is not running");
        }
        IReadOnlyList<int> pids = Runtime(() => _operations.Processes(id));
        return [.. pids.Select(pid => ProcStat.Process(pid, _store.RootfsOf(id))).OfType<ContainerProcessInfo>().OrderBy(p => p.ContainerPid)];
    }

    public IEnumerable<ContainerStatsSample> Stats(IReadOnlyList<string> idsOrNames, TimeSpan interval, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(idsOrNames);
        if (interval <= TimeSpan.Zero) throw SpecBuilder.Invalid("Interval", "must be positive");
        string[] ids = [.. idsOrNames.Select(_store.Resolve).Distinct()];
        return new StatsCollector(this).Stream(ids, interval, cancellation);
    }

    /// <summary>For the stats collector: name, runtime record (null when not running).</summary>
    internal (string Name, ContainerRecord? Runtime, bool Exists) StatsTarget(string id)
    {
        Snapshot? snapshot = TryInspect(id);
        return snapshot is null ? (id, null, false) : (snapshot.Info.Name, snapshot.Runtime, true);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static EngineException NotFound(string idOrName) => new(EngineErrorKind.NotFound, $"no container named or with id \"{idOrName}\"");

    private static void Runtime(Action action) => Runtime(() =>
    {
        action();
        return 0;
    });

    private static T Runtime<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ContainerException e)
        {
            throw new EngineException(e.Kind switch
            {
                ContainerErrorKind.NotFound => EngineErrorKind.InvalidState, // the runtime state is gone: the container is not running
                ContainerErrorKind.InvalidState => EngineErrorKind.InvalidState,
                ContainerErrorKind.InvalidArgument => EngineErrorKind.InvalidArgument,
                ContainerErrorKind.AlreadyExists => EngineErrorKind.AlreadyExists,
                _ => EngineErrorKind.Failed,
            }, e.Message, e);
        }
        catch (SyscallException e) when (e.Kind == SyscallErrorKind.AccessDenied)
        {
            throw new EngineException(EngineErrorKind.PermissionDenied, e.Message, e);
        }
        catch (Exception e) when (e is SyscallException or IOException)
        {
            throw new EngineException(EngineErrorKind.Failed, e.Message, e);
        }
    }

    internal static Signal ParseSignal(string text, string field)
    {
        if (int.TryParse(text, out int number))
        {
            return number is > 0 and < 65 ? (Signal)number : throw SpecBuilder.Invalid(field, $"invalid signal number {number}");
        }
        string name = text.ToUpperInvariant();
        if (!name.StartsWith("SIG", StringComparison.Ordinal)) name = "SIG" + name;
        return Enum.TryParse(name, out Signal signal) && !int.TryParse(name, out _) ? signal : throw SpecBuilder.Invalid(field, $"unknown signal \"{text}\"");
    }
}
