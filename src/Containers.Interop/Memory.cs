namespace Containers.Interop;

/// <summary>Memory: advice to the kernel about ranges of the address space.</summary>
public static partial class Syscalls
{
    /// <summary>madvise(2) on [<paramref name="address"/>, + <paramref name="length"/>) (page-aligned).</summary>
    [Syscall("madvise")]
    public static partial void Madvise(nint address, nuint length, MemoryAdvice advice);
}

/// <summary>madvise(2) advice, <c>MADV_*</c>.</summary>
public enum MemoryAdvice
{
    /// <summary>MADV_DONTNEED: the range's pages leave this process's page tables; a later access maps the
    /// file's page again (file mappings) or a zero page (private anonymous memory).</summary>
    DontNeed = 4,
    /// <summary>MADV_FREE: private anonymous pages may be reclaimed lazily.</summary>
    Free = 8,
    /// <summary>MADV_COLD: deactivate the pages (reclaimed first under pressure).</summary>
    Cold = 20,
    /// <summary>MADV_PAGEOUT: reclaim the pages now.</summary>
    PageOut = 21,
}
