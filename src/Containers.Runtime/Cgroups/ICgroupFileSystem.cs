namespace Containers.Runtime.Cgroups;

/// <summary>
/// The few file operations a cgroup manager performs. <see cref="CgroupFileSystem"/> is the real
/// one; tests give a recording one over a directory of fixture files.
/// </summary>
public interface ICgroupFileSystem
{
    /// <summary>The whole content of a file; throws <see cref="IOException"/> naming the path and errno.</summary>
    string ReadFile(string path);

    /// <summary>Writes <paramref name="value"/> with one write(2), as the kernel wants cgroup values.</summary>
    void WriteFile(string path, string value);

    bool FileExists(string path);

    bool DirectoryExists(string path);

    /// <summary>mkdir -p; the kernel fills a new cgroup directory with its interface files.</summary>
    void CreateDirectory(string path);

    /// <summary>rmdir(2) of one (cgroup) directory; throws with the errno (EBUSY while tasks remain).</summary>
    void RemoveDirectory(string path);

    IEnumerable<string> EnumerateDirectories(string path);
}
