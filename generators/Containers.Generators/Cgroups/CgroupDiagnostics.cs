using Microsoft.CodeAnalysis;

namespace Containers.Generators.Cgroups;

/// <summary>Invalid cgroup file declarations. Each points at the offending argument or identifier.</summary>
internal static class CgroupDiagnostics
{
    private const string Category = "Containers.Cgroups";

    public static readonly DiagnosticDescriptor NotPartial = new(
        "CGF001", "Type must be partial",
        "'{0}' must be partial: the cgroup generator adds members to it",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NestedType = new(
        "CGF002", "Type must be top-level",
        "'{0}' is nested in another type; declare cgroup files and keyed records on top-level types",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NoFileName = new(
        "CGF003", "File has no name on either version",
        "cgroup file '{0}' names neither a V1 nor a V2 file; give at least one",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidMemberName = new(
        "CGF004", "Invalid member name",
        "'{0}' is not a valid C# identifier for the generated accessors",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateMemberName = new(
        "CGF005", "Duplicate member name",
        "cgroup file '{0}' is declared twice on '{1}'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InvalidFileName = new(
        "CGF006", "Invalid interface file name",
        "'{0}' is not a file of controller '{1}': expected '{1}.<name>' or 'cgroup.<name>'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RecordKindMismatch = new(
        "CGF007", "Record does not fit the value kind",
        "Record is only valid for FlatKeyed and NestedKeyed files, and '{0}' is {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor RecordNotKeyed = new(
        "CGF008", "Record is not a keyed record",
        "'{0}' must carry [CgroupKeyedRecord]{1} to parse {2} content",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NestedNeedsRecord = new(
        "CGF009", "Nested keyed file needs a record",
        "NestedKeyed file '{0}' needs Record = typeof(...) of a [CgroupKeyedRecord(PerDevice = true)] type",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor KeyWithoutName = new(
        "CGF010", "Key names neither version",
        "[CgroupKey] on '{0}' names neither a V1 nor a V2 key",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor KeyPropertyShape = new(
        "CGF011", "Key property has an unsupported shape",
        "'{0}' must be a settable (init or set) property of type long, ulong, long? or ulong?",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DuplicateKey = new(
        "CGF012", "Duplicate key",
        "key '{0}' (cgroup {1}) is already read into '{2}'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnknownKind = new(
        "CGF013", "Unknown value kind",
        "'{0}' is not a CgroupValueKind",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor PlaceholderMismatch = new(
        "CGF014", "File names use different placeholders",
        "'{0}' and '{1}' must use the same {{placeholders}}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor SplitDeclarations = new(
        "CGF015", "File attributes on several declarations",
        "declare all [CgroupFile] attributes of '{0}' on one of its partial declarations",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
