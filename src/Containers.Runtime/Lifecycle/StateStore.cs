using System.Text.Json;
using Containers.Interop;

namespace Containers.Runtime.Lifecycle;

/// <summary>
/// ROOT/ID/ directories: state.json written atomically (temp + rename) and a lock file that
/// serializes commands acting on one container.
/// </summary>
public sealed class StateStore
{
    public const string DefaultRoot = "/run/containers-ps";

    public StateStore(string? root = null) => Root = Path.GetFullPath(root ?? DefaultRoot);

    public string Root { get; }

    public string DirectoryOf(string id) => Path.Join(Root, id);

    public static void ValidateId(string id)
    {
        if (string.IsNullOrEmpty(id) || id is "." or ".." || !id.All(IsIdCharacter) || id.Length > 1024)
        {
            throw new ContainerException(ContainerErrorKind.InvalidArgument, $"invalid container id \"{id}\": use letters, digits, '_', '+', '-' and '.'");
        }
    }

    /// <summary>Creates ROOT/ID exclusively; fails if a container with that id exists.</summary>
    public string CreateDirectory(string id)
    {
        ValidateId(id);
        Directory.CreateDirectory(Root);
        string dir = DirectoryOf(id);
        Errno errno = Syscalls.TryMkdirat(SafeFd.CurrentDirectory, dir, 0x1C9 /* 0711 */);
        if (errno == Errno.EEXIST)
        {
            throw new ContainerException(ContainerErrorKind.AlreadyExists, $"container with id \"{id}\" already exists");
        }
        if (!errno.IsSuccess)
        {
            throw new SyscallException("mkdir", errno, $"\"{dir}\"");
        }
        return dir;
    }

    public void Save(ContainerRecord record)
    {
        string dir = DirectoryOf(record.Id);
        string temp = Path.Join(dir, "state.json.tmp");
        File.WriteAllText(temp, JsonSerializer.Serialize(record, LifecycleJsonContext.Default.ContainerRecord));
        File.Move(temp, Path.Join(dir, "state.json"), overwrite: true);
    }

    public ContainerRecord Load(string id)
    {
        ValidateId(id);
        string file = Path.Join(DirectoryOf(id), "state.json");
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(file), LifecycleJsonContext.Default.ContainerRecord)
                ?? throw new ContainerException(ContainerErrorKind.NotFound, $"container \"{id}\" does not exist");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ContainerException(ContainerErrorKind.NotFound, $"container \"{id}\" does not exist");
        }
        catch (JsonException e)
        {
            throw new ContainerException(ContainerErrorKind.Corrupt, $"state of container \"{id}\" is unreadable ({file}): {e.Message}");
        }
    }

    public IEnumerable<string> ListIds() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Select(d => Path.GetFileName(d)).Where(n => File.Exists(Path.Join(Root, n, "state.json")))
            : [];

    /// <summary>Takes the container's lock (flock), waiting for another command that holds it.</summary>
    public IDisposable Lock(string id)
    {
        string file = Path.Join(DirectoryOf(id), "lock");
        long deadline = Environment.TickCount64 + 30_000;
        while (true)
        {
            try
            {
                return new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (DirectoryNotFoundException)
            {
                throw new ContainerException(ContainerErrorKind.NotFound, $"container \"{id}\" does not exist");
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(5);
            }
        }
    }

    public void Remove(string id)
    {
        string dir = DirectoryOf(id);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // runc's rule, ^[\w+-\.]+$, without pulling the regex engine into the NativeAOT binary.
    private static bool IsIdCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '-' or '.';
}
