using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Containers.Engine;

/// <summary>
/// DATA/containers/ID/ (container.json written atomically, a lock file taken with flock around state
/// changes, exit.json from the shim, container.log*, bundle/) and DATA/names/NAME (the name claims,
/// created with O_EXCL so two sessions never get one name).
/// </summary>
internal sealed partial class ContainerStore
{
    public ContainerStore(string dataRoot)
    {
        Root = Path.GetFullPath(dataRoot);
        ContainersDir = Path.Join(Root, "containers");
        NamesDir = Path.Join(Root, "names");
        RootfsCacheDir = Path.Join(Root, "rootfs");
    }

    public string Root { get; }
    public string ContainersDir { get; }
    public string NamesDir { get; }
    public string RootfsCacheDir { get; }

    public string DirectoryOf(string id) => Path.Join(ContainersDir, id);
    public string BundleOf(string id) => Path.Join(ContainersDir, id, "bundle");
    public string RootfsOf(string id) => Path.Join(ContainersDir, id, "bundle", "rootfs");
    public string LogOf(string id) => Path.Join(ContainersDir, id, "container.log");
    public string ExitFileOf(string id) => Path.Join(ContainersDir, id, "exit.json");
    public string SocketOf(string id) => Path.Join(ContainersDir, id, "shim.sock");
    public string NameFileOf(string name) => Path.Join(NamesDir, name);

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>Claims <paramref name="name"/> for <paramref name="id"/>; false if another container holds it.</summary>
    public bool TryClaimName(string name, string id)
    {
        Directory.CreateDirectory(NamesDir);
        try
        {
            using var file = new FileStream(NameFileOf(name), FileMode.CreateNew, FileAccess.Write);
            file.Write(System.Text.Encoding.UTF8.GetBytes(id));
            return true;
        }
        catch (IOException) when (File.Exists(NameFileOf(name)))
        {
            return false;
        }
    }

    public void ReleaseName(string name, string id)
    {
        string file = NameFileOf(name);
        try
        {
            if (File.ReadAllText(file).Trim() == id) File.Delete(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
        }
    }

    public void Save(StoredContainer container)
    {
        string dir = DirectoryOf(container.Id);
        string temp = Path.Join(dir, $"container.json.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        File.WriteAllText(temp, JsonSerializer.Serialize(container, EngineJsonContext.Default.StoredContainer));
        File.Move(temp, Path.Join(dir, "container.json"), overwrite: true);
    }

    /// <summary>The stored container, or null when it is gone (removed meanwhile, or never completely created).</summary>
    public StoredContainer? TryLoad(string id)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(Path.Join(DirectoryOf(id), "container.json")), EngineJsonContext.Default.StoredContainer);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException e)
        {
            throw new EngineException(EngineErrorKind.Failed, $"container {id}: container.json is unreadable: {e.Message}", e);
        }
    }

    public ShimExit? TryLoadExit(string id)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(ExitFileOf(id)), EngineJsonContext.Default.ShimExit);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    public void SaveExit(string id, ShimExit exit)
    {
        string temp = ExitFileOf(id) + ".engine.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(exit, EngineJsonContext.Default.ShimExit));
        File.Move(temp, ExitFileOf(id), overwrite: true);
    }

    public IEnumerable<string> Ids() =>
        Directory.Exists(ContainersDir)
            ? Directory.EnumerateDirectories(ContainersDir).Select(d => Path.GetFileName(d))
                .Where(id => !id.StartsWith('.') && File.Exists(Path.Join(ContainersDir, id, "container.json")))
            : [];

    /// <summary>
    /// Deletes the container's directory (the caller holds its lock and has released the rootfs mount).
    /// It is first renamed out of the way (DATA/containers/.removing-ID-RANDOM), at once: a session waiting
    /// for the lock then finds no container, instead of re-creating the lock file in a half-deleted
    /// directory, taking it, and mounting, writing or deleting there (the shim's AutoRemove does the same).
    /// A mount still found inside (stacked, or made meanwhile) is detached before anything is deleted.
    /// </summary>
    public void Delete(string id)
    {
        string dir = DirectoryOf(id);
        string trash = Path.Join(ContainersDir, $".removing-{id}-{Guid.NewGuid():N}");
        try
        {
            Directory.Move(dir, trash);
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }
        RootfsProvider.Release(Path.Join(trash, "bundle", "rootfs"));
        Directory.Delete(trash, recursive: true);
    }

    /// <summary>By name, full id, or unique id prefix.</summary>
    public string Resolve(string idOrName)
    {
        if (string.IsNullOrEmpty(idOrName))
        {
            throw new EngineException(EngineErrorKind.InvalidArgument, "IdOrName: must not be empty");
        }
        if (IsValidName(idOrName) && File.Exists(NameFileOf(idOrName)))
        {
            try
            {
                string id = File.ReadAllText(NameFileOf(idOrName)).Trim();
                if (File.Exists(Path.Join(DirectoryOf(id), "container.json"))) return id;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
            }
        }
        if (HexPattern().IsMatch(idOrName))
        {
            string[] matches = [.. Ids().Where(id => id.StartsWith(idOrName, StringComparison.Ordinal))];
            if (matches.Length == 1) return matches[0];
            if (matches.Length > 1)
            {
                throw new EngineException(EngineErrorKind.InvalidArgument, $"id prefix \"{idOrName}\" is ambiguous: {matches.Length} containers match");
            }
        }
        throw new EngineException(EngineErrorKind.NotFound, $"no container named or with id \"{idOrName}\"");
    }

    /// <summary>flock on DATA/containers/ID/lock; waits for another session that holds it.</summary>
    public IDisposable Lock(string id)
    {
        string file = Path.Join(DirectoryOf(id), "lock");
        long deadline = Environment.TickCount64 + 60_000;
        while (true)
        {
            try
            {
                return new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (DirectoryNotFoundException)
            {
                throw new EngineException(EngineErrorKind.NotFound, $"no container named or with id \"{id}\"");
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(5);
            }
            catch (IOException e)
            {
                throw new EngineException(EngineErrorKind.Failed, $"container {id}: another session has held its lock for 60 s", e);
            }
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9a-f]{1,64}$")]
    private static partial Regex HexPattern();
}
