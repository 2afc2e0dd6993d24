namespace Containers.Interop;

/// <summary>clone/unshare/setns flags, <c>CLONE_*</c>. Only the namespace and sharing flags: never clone from .NET.</summary>
[Flags]
public enum CloneFlags : uint
{
    None = 0,
    /// <summary>CLONE_NEWTIME</summary>
    NewTime = 0x00000080,
    /// <summary>CLONE_FS: unshare the working directory and root (needed before setns into a mount namespace).</summary>
    Fs = 0x00000200,
    /// <summary>CLONE_FILES: unshare the file descriptor table.</summary>
    Files = 0x00000400,
    /// <summary>CLONE_SYSVSEM</summary>
    SysVSem = 0x00040000,
    /// <summary>CLONE_NEWNS: a mount namespace.</summary>
    NewNs = 0x00020000,
    /// <summary>CLONE_NEWCGROUP</summary>
    NewCgroup = 0x02000000,
    /// <summary>CLONE_NEWUTS</summary>
    NewUts = 0x04000000,
    /// <summary>CLONE_NEWIPC</summary>
    NewIpc = 0x08000000,
    /// <summary>CLONE_NEWUSER</summary>
    NewUser = 0x10000000,
    /// <summary>CLONE_NEWPID</summary>
    NewPid = 0x20000000,
    /// <summary>CLONE_NEWNET</summary>
    NewNet = 0x40000000,
}
