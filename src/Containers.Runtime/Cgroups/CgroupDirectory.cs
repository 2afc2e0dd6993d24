namespace Containers.Runtime.Cgroups;

/// <summary>
/// One cgroup directory and the interface version its files speak. The generated file
/// accessors (<c>MemoryFiles.ReadLimit(dir)</c>, ...) read and write through it.
/// </summary>
public sealed class CgroupDirectory
{
    public CgroupDirectory(ICgroupFileSystem fileSystem, string path, CgroupVersion version)
    {
        FileSystem = fileSystem;
        Path = path;
        Version = version;
    }

    public ICgroupFileSystem FileSystem { get; }

    /// <summary>Absolute path of the directory, e.g. <c>/sys/fs/cgroup/memory/user/ctr</c>.</summary>
    public string Path { get; }

    public CgroupVersion Version { get; }

    public string FilePath(string file) => System.IO.Path.Join(Path, file);

    public bool Exists(string file) => FileSystem.FileExists(FilePath(file));

    public string Read(string file) => FileSystem.ReadFile(FilePath(file));

    public void Write(string file, string value) => FileSystem.WriteFile(FilePath(file), value);

    /// <summary>The file name for this version, or a clear error when the version has no such file.</summary>
    public string Require(string? file, string controller, string member) =>
        file ?? throw new NotSupportedException(
            $"{controller} {member} has no cgroup {(Version == CgroupVersion.V1 ? "v1" : "v2")} interface file (in {Path})");

    /// <summary>A parse failure naming the file and the text it held.</summary>
    public FormatException FormatError(string file, string text, Exception? inner = null) =>
        new($"{FilePath(file)}: cannot parse \"{Shorten(text)}\"{(inner is null ? string.Empty : ": " + inner.Message)}", inner);

    public override string ToString() => $"{Path} (cgroup {(Version == CgroupVersion.V1 ? "v1" : "v2")})";

    private static string Shorten(string text)
    {
        string t = text.TrimEnd('\n').Replace("\n", "\\n", StringComparison.Ordinal);
        return t.Length <= 80 ? t : t[..77] + "...";
    }
}
