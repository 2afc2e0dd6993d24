using Containers.Generators.Common;

namespace Containers.Generators.Syscalls;

/// <summary>How one parameter crosses into native code.</summary>
public enum ParameterKind
{
    /// <summary>string or string?: UTF-8, NUL-terminated, stack or pooled buffer.</summary>
    String,
    /// <summary>SafeFd: referenced for the duration of the call, passed as its int.</summary>
    SafeFd,
    /// <summary>An enum: passed as its underlying integer.</summary>
    Enum,
    /// <summary>A primitive integer, nint or nuint: passed as is.</summary>
    Primitive,
    /// <summary>bool: passed as int 0 or 1.</summary>
    Bool,
    /// <summary>A pointer or function pointer: passed as is.</summary>
    Pointer,
    /// <summary>out/ref/in of an unmanaged type: pinned, passed as a pointer.</summary>
    ByRef,
    /// <summary>Span&lt;T&gt;/ReadOnlySpan&lt;T&gt; of an unmanaged T: pinned, passed as a pointer to the first element.</summary>
    Span,
}

public enum ReturnKind
{
    Void,
    Int32,
    Int64,
    NInt,
    SafeFd,
}

/// <summary>
/// A parameter as plain values. <see cref="Type"/> is the fully qualified C# type as declared
/// (with nullability), <see cref="NativeType"/> the blittable type the import takes.
/// </summary>
public sealed record SyscallParameter(
    string Name,
    string Type,
    string RefKind,
    ParameterKind Kind,
    string NativeType,
    bool IsUnsignedOrPointerLike,
    bool ShowValueInMessage);

/// <summary>One valid [Syscall] method, everything the emitter needs and nothing from Roslyn.</summary>
public sealed record SyscallMethod(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string Accessibility,
    bool IsUnsafe,
    string Name,
    string ReturnType,
    ReturnKind ReturnKind,
    string CallName,
    int Binding,
    int Returns,
    bool RetryOnEintr,
    EquatableArray<SyscallParameter> Parameters,
    int NumberX86_64,
    int NumberAarch64)
{
    public const int BindingLibc = 0;
    public const int BindingRaw = 1;
    public const int ReturnsMinusOneErrno = 0;
    public const int ReturnsErrorNumber = 1;

    /// <summary>The containing type chain, used to group methods into one file per type.</summary>
    public string TypeKey => Namespace + "|" + string.Join("|", ContainingTypes);
}

/// <summary>The transform's answer: the method if valid, and what is wrong otherwise.</summary>
public sealed record SyscallMethodResult(SyscallMethod? Method, LocationInfo? NameLocation, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>One method's generated members, ready to be placed in its type's file.</summary>
public sealed record GeneratedMethod(string TypeKey, string Namespace, EquatableArray<string> ContainingTypes, string Code, bool UsesRawSyscall);
