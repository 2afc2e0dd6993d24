namespace Containers.Interop;

/// <summary>The families of failure callers act on; each errno falls in exactly one.</summary>
public enum SyscallErrorKind
{
    Other,
    NotFound,
    AccessDenied,
    AlreadyExists,
    Busy,
    InvalidArgument,
    NotSupported,
}
