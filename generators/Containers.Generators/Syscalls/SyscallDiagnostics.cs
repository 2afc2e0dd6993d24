using Microsoft.CodeAnalysis;

namespace Containers.Generators.Syscalls;

/// <summary>The syscall generators' diagnostics. Ids are stable: tests and suppressions name them.</summary>
public static class SyscallDiagnostics
{
    private const string Category = "Containers.Syscalls";

    public static readonly DiagnosticDescriptor UnsupportedParameterType = new(
        "CTRSYS001",
        "Unsupported parameter type",
        "Parameter '{0}' of '{1}' has type '{2}', which [Syscall] cannot marshal; use string, SafeFd, an enum, a primitive integer, nint/nuint, bool, a pointer, out/ref/in of an unmanaged type, or Span<T>/ReadOnlySpan<T> of an unmanaged T",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedReturnType = new(
        "CTRSYS002",
        "Unsupported return type",
        "'{0}' returns '{1}', which [Syscall] cannot marshal; return void, int, long, nint or SafeFd",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MethodMustBeStaticPartial = new(
        "CTRSYS003",
        "[Syscall] method must be static partial",
        "'{0}' must be a non-generic 'static partial' method without a body in a partial type to carry [Syscall]",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownSyscall = new(
        "CTRSYS004",
        "Syscall not in the syscall table",
        "'{0}' is not in syscalls.tsv, so SyscallBinding.Raw has no number for it{1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ForbiddenSyscall = new(
        "CTRSYS005",
        "Process-duplicating syscall forbidden",
        "'{0}' is forbidden: managed code must never run in a forked child (the runtime's other threads do not exist there and it can hang on their locks); spawn with posix_spawn from a dedicated thread, see DESIGN.md",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ErrorNumberNeedsVoid = new(
        "CTRSYS006",
        "SyscallReturn.ErrorNumber needs a void method",
        "'{0}' uses SyscallReturn.ErrorNumber, where the C return value is the errno, so it must return void, not '{1}'",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MissingTable = new(
        "CTRSYS007",
        "syscalls.tsv is not an AdditionalFile",
        "'{0}' uses SyscallBinding.Raw, but no syscalls.tsv is listed in AdditionalFiles",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor MalformedTableLine = new(
        "CTRSYS008",
        "Malformed syscalls.tsv line",
        "syscalls.tsv line {0} is ignored: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidName = new(
        "CTRSYS009",
        "Invalid syscall name",
        "'{0}' is not a C identifier; [Syscall] needs the C function or kernel call name, such as \"mount\"",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);
}
