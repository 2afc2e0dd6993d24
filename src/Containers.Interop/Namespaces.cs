using System.Text;

namespace Containers.Interop;

/// <summary>Namespaces and host names. unshare and setns act on the calling thread (see DESIGN.md).</summary>
public static partial class Syscalls
{
    /// <summary>unshare(2): moves the calling thread into new namespaces.</summary>
    [Syscall("unshare")]
    public static partial void Unshare(CloneFlags flags);

    /// <summary>setns(2): joins the namespace <paramref name="fd"/> refers to (a /proc/…/ns file or a pidfd).</summary>
    [Syscall("setns")]
    public static partial void Setns(SafeFd fd, CloneFlags namespaceType);

    /// <summary>sethostname(2), C shape: bytes and their length.</summary>
    [Syscall("sethostname")]
    public static partial void Sethostname(ReadOnlySpan<byte> name, nuint length);

    /// <summary>setdomainname(2), C shape.</summary>
    [Syscall("setdomainname")]
    public static partial void Setdomainname(ReadOnlySpan<byte> name, nuint length);

    /// <summary>sethostname(2) with a string (UTF-8, no terminator needed).</summary>
    public static void Sethostname(string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        Sethostname(bytes, (nuint)bytes.Length);
    }

    /// <summary>setdomainname(2) with a string.</summary>
    public static void Setdomainname(string name)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(name);
        Setdomainname(bytes, (nuint)bytes.Length);
    }
}
