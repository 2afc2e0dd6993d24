using Containers.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Containers.Generators.Cgroups;

// Pipeline models: plain values only (strings, ints, bools, equatable arrays), so that the
// incremental driver can tell "unchanged" by equality. No ISymbol, SyntaxNode or Location.
// Records with get-only properties need no IsExternalInit polyfill on netstandard2.0.

/// <summary>The value kinds, numbered as the emitted <c>CgroupValueKind</c> enum.</summary>
internal enum CgroupKind
{
    Integer = 0,
    MaxInteger = 1,
    String = 2,
    FlatKeyed = 3,
    NestedKeyed = 4,
    List = 5,
}

/// <summary>The type that receives generated members: its namespace, name and declaration keyword.</summary>
internal sealed record CgroupTypeModel
{
    public CgroupTypeModel(string ns, string name, string keyword)
    {
        Namespace = ns;
        Name = name;
        Keyword = keyword;
    }

    /// <summary>Empty for the global namespace.</summary>
    public string Namespace { get; }

    public string Name { get; }

    /// <summary><c>class</c>, <c>record</c>, <c>struct</c> or <c>record struct</c>.</summary>
    public string Keyword { get; }

    public string FullName => Namespace.Length == 0 ? Name : Namespace + "." + Name;
}

/// <summary>One [CgroupFile] declaration.</summary>
internal sealed record CgroupFileModel
{
    public CgroupFileModel(string controller, string name, CgroupKind kind, string? v1, string? v2, bool readOnly, string? recordType, bool recordPerDevice)
    {
        Controller = controller;
        Name = name;
        Kind = kind;
        V1 = v1;
        V2 = v2;
        ReadOnly = readOnly;
        RecordType = recordType;
        RecordPerDevice = recordPerDevice;
    }

    public string Controller { get; }

    public string Name { get; }

    public CgroupKind Kind { get; }

    public string? V1 { get; }

    public string? V2 { get; }

    public bool ReadOnly { get; }

    /// <summary>Fully qualified (<c>global::</c>) name of the keyed record, if any.</summary>
    public string? RecordType { get; }

    public bool RecordPerDevice { get; }
}

/// <summary>A partial type carrying [CgroupFile] attributes.</summary>
internal sealed record CgroupFileSetModel
{
    public CgroupFileSetModel(CgroupTypeModel type, EquatableArray<CgroupFileModel> files)
    {
        Type = type;
        Files = files;
    }

    public CgroupTypeModel Type { get; }

    public EquatableArray<CgroupFileModel> Files { get; }
}

/// <summary>One [CgroupKey] property of a keyed record.</summary>
internal sealed record CgroupKeyModel
{
    public CgroupKeyModel(string property, string? v1, string? v2, bool signed, bool nullable)
    {
        Property = property;
        V1 = v1;
        V2 = v2;
        Signed = signed;
        Nullable = nullable;
    }

    public string Property { get; }

    public string? V1 { get; }

    public string? V2 { get; }

    /// <summary><c>long</c> rather than <c>ulong</c>.</summary>
    public bool Signed { get; }

    public bool Nullable { get; }
}

/// <summary>A [CgroupKeyedRecord] type.</summary>
internal sealed record CgroupKeyedRecordModel
{
    public CgroupKeyedRecordModel(CgroupTypeModel type, bool perDevice, EquatableArray<CgroupKeyModel> keys)
    {
        Type = type;
        PerDevice = perDevice;
        Keys = keys;
    }

    public CgroupTypeModel Type { get; }

    public bool PerDevice { get; }

    public EquatableArray<CgroupKeyModel> Keys { get; }
}

/// <summary>Where a diagnostic points, without holding the syntax tree.</summary>
internal sealed record CgroupLocation
{
    public CgroupLocation(string filePath, TextSpan span, LinePositionSpan lineSpan)
    {
        FilePath = filePath;
        Span = span;
        LineSpan = lineSpan;
    }

    public string FilePath { get; }

    public TextSpan Span { get; }

    public LinePositionSpan LineSpan { get; }

    public static CgroupLocation? From(SyntaxNode? node)
    {
        if (node is null)
        {
            return null;
        }

        Location location = node.GetLocation();
        return new CgroupLocation(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static CgroupLocation? From(SyntaxToken token)
    {
        Location location = token.GetLocation();
        return new CgroupLocation(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);
    }

    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}

/// <summary>A diagnostic to report: descriptor, place and message arguments.</summary>
internal sealed record CgroupDiagnostic
{
    public CgroupDiagnostic(DiagnosticDescriptor descriptor, CgroupLocation? location, EquatableArray<string> arguments)
    {
        Descriptor = descriptor;
        Location = location;
        Arguments = arguments;
    }

    public DiagnosticDescriptor Descriptor { get; }

    public CgroupLocation? Location { get; }

    public EquatableArray<string> Arguments { get; }

    public Diagnostic ToDiagnostic()
    {
        object[] args = new object[Arguments.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = Arguments[i];
        }

        return Diagnostic.Create(Descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, args);
    }
}

/// <summary>A transform's output: the model when valid, and the diagnostics found.</summary>
internal sealed record CgroupParseResult<T>
    where T : class, System.IEquatable<T>
{
    public CgroupParseResult(T? model, EquatableArray<CgroupDiagnostic> diagnostics)
    {
        Model = model;
        Diagnostics = diagnostics;
    }

    public T? Model { get; }

    public EquatableArray<CgroupDiagnostic> Diagnostics { get; }
}
