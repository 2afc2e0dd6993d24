using System.Runtime.InteropServices;
using System.Text;

namespace Containers.Interop;

/// <summary>
/// A process to start with posix_spawn(3): path, argv, envp, file actions (applied in order in the
/// child) and attributes. Native memory (glibc's opaque structs, generously sized) is freed on Dispose.
/// </summary>
/// <remarks>
/// By default the child starts with an empty signal mask and every signal at its default action:
/// .NET ignores SIGPIPE and blocks signals on some threads, and a child must not inherit that.
/// </remarks>
public sealed unsafe class SpawnRequest : IDisposable
{
    // glibc x86_64/aarch64: posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336.
    private const int OpaqueSize = 1024;

    private readonly List<SafeFd> _heldFds = new();
    private void* _fileActions;
    private void* _attributes;

    public SpawnRequest(string path, IReadOnlyList<string> arguments, IReadOnlyList<string>? environment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(arguments);
        Path = path;
        Arguments = arguments;
        Environment = environment;
        _fileActions = NativeMemory.AllocZeroed(OpaqueSize);
        _attributes = NativeMemory.AllocZeroed(OpaqueSize);
        Syscalls.PosixSpawnFileActionsInit(_fileActions);
        Syscalls.PosixSpawnattrInit(_attributes);
    }

    /// <summary>The executable; looked up in PATH when <see cref="SearchPath"/> is set (posix_spawnp).</summary>
    public string Path { get; }

    /// <summary>argv, including argv[0].</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>envp as NAME=value; null passes this process's environment.</summary>
    public IReadOnlyList<string>? Environment { get; }

    public bool SearchPath { get; set; }

    /// <summary>POSIX_SPAWN_SETSID: the child leads a new session (needed for a controlling terminal).</summary>
    public bool NewSession { get; set; }

    /// <summary>POSIX_SPAWN_SETPGROUP: 0 puts the child in a new group of its own.</summary>
    public int? ProcessGroup { get; set; }

    /// <summary>POSIX_SPAWN_SETSIGMASK: the child's signal mask (default: empty).</summary>
    public SigSet? SignalMask { get; set; } = default(SigSet);

    /// <summary>POSIX_SPAWN_SETSIGDEF: signals reset to SIG_DFL in the child (default: all 64).</summary>
    public SigSet? DefaultSignals { get; set; } = AllSignals();

    /// <summary>posix_spawn_file_actions_adddup2: <paramref name="fd"/> becomes <paramref name="targetFd"/> in the child (close-on-exec cleared).</summary>
    public SpawnRequest Dup2(SafeFd fd, int targetFd)
    {
        ThrowIfDisposed();
        bool added = false;
        fd.DangerousAddRef(ref added);
        _heldFds.Add(fd);
        Syscalls.PosixSpawnFileActionsAdddup2(_fileActions, (int)fd.DangerousGetHandle(), targetFd);
        return this;
    }

    /// <summary>posix_spawn_file_actions_adddup2 with a raw descriptor the caller keeps open.</summary>
    public SpawnRequest Dup2(int fd, int targetFd)
    {
        ThrowIfDisposed();
        Syscalls.PosixSpawnFileActionsAdddup2(_fileActions, fd, targetFd);
        return this;
    }

    /// <summary>posix_spawn_file_actions_addclose.</summary>
    public SpawnRequest Close(int fd)
    {
        ThrowIfDisposed();
        Syscalls.PosixSpawnFileActionsAddclose(_fileActions, fd);
        return this;
    }

    /// <summary>posix_spawn_file_actions_addopen: open <paramref name="path"/> as <paramref name="fd"/> in the child.</summary>
    public SpawnRequest Open(int fd, string path, OpenFlags flags, uint mode = 0)
    {
        ThrowIfDisposed();
        Syscalls.PosixSpawnFileActionsAddopen(_fileActions, fd, path, (int)flags.ToNative(), mode);
        return this;
    }

    /// <summary>posix_spawn_file_actions_addchdir_np.</summary>
    public SpawnRequest Chdir(string path)
    {
        ThrowIfDisposed();
        Syscalls.PosixSpawnFileActionsAddchdirNp(_fileActions, path);
        return this;
    }

    /// <summary>posix_spawn_file_actions_addclosefrom_np: close every descriptor from <paramref name="lowFd"/> up.</summary>
    public SpawnRequest CloseFrom(int lowFd)
    {
        ThrowIfDisposed();
        Syscalls.PosixSpawnFileActionsAddclosefromNp(_fileActions, lowFd);
        return this;
    }

    /// <summary>Starts the process; returns its pid. Throws <see cref="SyscallException"/> (posix_spawn) on failure, exec failures included.</summary>
    public int Spawn()
    {
        Errno errno = TrySpawn(out int pid);
        if (!errno.IsSuccess)
        {
            throw new SyscallException(SearchPath ? "posix_spawnp" : "posix_spawn", errno, $"path=\"{Path}\", argv[0]=\"{(Arguments.Count > 0 ? Arguments[0] : string.Empty)}\"");
        }

        return pid;
    }

    /// <summary>Starts the process without throwing for spawn failures.</summary>
    public Errno TrySpawn(out int pid)
    {
        ThrowIfDisposed();
        ApplyAttributes();
        IReadOnlyList<string> environment = Environment ?? CurrentEnvironment();
        byte* path = null;
        byte** argv = null;
        byte** envp = null;
        try
        {
            path = ToNative(Path);
            argv = ToNative(Arguments);
            envp = ToNative(environment);
            return SearchPath
                ? Syscalls.TryPosixSpawnp(out pid, path, _fileActions, _attributes, argv, envp)
                : Syscalls.TryPosixSpawn(out pid, path, _fileActions, _attributes, argv, envp);
        }
        finally
        {
            NativeMemory.Free(path);
            Free(argv);
            Free(envp);
        }
    }

    public void Dispose()
    {
        if (_fileActions is not null)
        {
            Syscalls.TryPosixSpawnFileActionsDestroy(_fileActions);
            NativeMemory.Free(_fileActions);
            _fileActions = null;
        }

        if (_attributes is not null)
        {
            Syscalls.TryPosixSpawnattrDestroy(_attributes);
            NativeMemory.Free(_attributes);
            _attributes = null;
        }

        foreach (SafeFd fd in _heldFds)
        {
            fd.DangerousRelease();
        }

        _heldFds.Clear();
        GC.SuppressFinalize(this);
    }

    ~SpawnRequest()
    {
        // Only the memory: the held SafeFds have their own finalizers.
        if (_fileActions is not null)
        {
            NativeMemory.Free(_fileActions);
        }

        if (_attributes is not null)
        {
            NativeMemory.Free(_attributes);
        }
    }

    // All 64, glibc's internal 32 and 33 included: without them in the set, glibc's spawn child sets
    // those two to SIG_IGN before exec (so the parent's handlers cannot run there), and the new
    // program would start with them ignored. Measured: SigIgn 0000000180000000 in the child.
    private static SigSet AllSignals() => SigSet.Full;

    private void ApplyAttributes()
    {
        SpawnFlags flags = SpawnFlags.None;
        if (NewSession)
        {
            flags |= SpawnFlags.SetSid;
        }

        if (ProcessGroup is int group)
        {
            flags |= SpawnFlags.SetProcessGroup;
            Syscalls.PosixSpawnattrSetpgroup(_attributes, group);
        }

        if (SignalMask is SigSet mask)
        {
            flags |= SpawnFlags.SetSignalMask;
            Syscalls.PosixSpawnattrSetsigmask(_attributes, in mask);
        }

        if (DefaultSignals is SigSet defaults)
        {
            flags |= SpawnFlags.SetSignalDefault;
            Syscalls.PosixSpawnattrSetsigdefault(_attributes, in defaults);
        }

        Syscalls.PosixSpawnattrSetflags(_attributes, flags);
    }

    private static List<string> CurrentEnvironment()
    {
        var list = new List<string>();
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            list.Add($"{entry.Key}={entry.Value}");
        }

        return list;
    }

    private static byte* ToNative(string value)
    {
        if (value.Contains('\0'))
        {
            throw new ArgumentException($"\"{value.Replace("\0", "\\0")}\" contains a NUL character.");
        }

        int length = Encoding.UTF8.GetByteCount(value);
        byte* native = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(native, length));
        native[length] = 0;
        return native;
    }

    private static byte** ToNative(IReadOnlyList<string> values)
    {
        byte** array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < values.Count; i++)
        {
            array[i] = ToNative(values[i]);
        }

        return array;
    }

    private static void Free(byte** array)
    {
        if (array is null)
        {
            return;
        }

        for (byte** p = array; *p is not null; p++)
        {
            NativeMemory.Free(*p);
        }

        NativeMemory.Free(array);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_fileActions is null, this);
}
