using Containers.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using System.Collections.Generic;
using System.Threading;

namespace Containers.Generators.Cgroups;

/// <summary>Turns a type's [CgroupFile] attributes into a <see cref="CgroupFileSetModel"/> and diagnostics.</summary>
internal static class CgroupFileSetParser
{
    // v1 names of controllers renamed in v2.
    private static readonly Dictionary<string, string> V1ControllerNames = new() { ["io"] = "blkio" };

    // v1 core files without a prefix.
    private static readonly HashSet<string> V1CoreFiles = new() { "tasks", "notify_on_release", "release_agent" };

    public static CgroupParseResult<CgroupFileSetModel> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        var diagnostics = new List<CgroupDiagnostic>();
        CgroupTypeModel typeModel = CgroupTypeReader.ReadType(type, declaration, diagnostics);
        if (!IsFirstDeclarationWithFiles(type, declaration, cancellationToken))
        {
            // One generated file per type: a second declaration with files would collide with the first.
            diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.SplitDeclarations, CgroupLocation.From(declaration.Identifier), type.Name));
        }

        var files = new List<CgroupFileModel>();
        var names = new HashSet<string>();
        foreach (AttributeData attribute in context.Attributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attribute.ConstructorArguments.Length != 3)
            {
                continue; // the compiler already reports the bad constructor call
            }

            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            CgroupFileModel? file = ParseFile(attribute, syntax, names, type.Name, diagnostics);
            if (file is not null)
            {
                files.Add(file);
            }
        }

        CgroupFileSetModel? model = diagnostics.Count == 0 ? new CgroupFileSetModel(typeModel, files.ToEquatableArray()) : null;
        return new CgroupParseResult<CgroupFileSetModel>(model, diagnostics.ToEquatableArray());
    }

    private static CgroupFileModel? ParseFile(AttributeData attribute, AttributeSyntax? syntax, HashSet<string> names, string typeName, List<CgroupDiagnostic> diagnostics)
    {
        int before = diagnostics.Count;
        string controller = attribute.ConstructorArguments[0].Value as string ?? string.Empty;
        string name = attribute.ConstructorArguments[1].Value as string ?? string.Empty;
        object? kindValue = attribute.ConstructorArguments[2].Value;
        string? v1 = CgroupTypeReader.Named(attribute, "V1").Value as string;
        string? v2 = CgroupTypeReader.Named(attribute, "V2").Value as string;
        bool readOnly = CgroupTypeReader.Named(attribute, "ReadOnly").Value is true;
        TypedConstant record = CgroupTypeReader.Named(attribute, "Record");

        if (!SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
        {
            diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.InvalidMemberName, CgroupLocation.From(CgroupTypeReader.Argument(syntax, 1, "name")), name));
        }
        else if (!names.Add(name))
        {
            diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.DuplicateMemberName, CgroupLocation.From(CgroupTypeReader.Argument(syntax, 1, "name")), name, typeName));
        }

        if (kindValue is not int kindNumber || kindNumber < 0 || kindNumber > (int)CgroupKind.List)
        {
            diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.UnknownKind, CgroupLocation.From(CgroupTypeReader.Argument(syntax, 2, "kind")), kindValue?.ToString() ?? "null"));
            return null;
        }

        var kind = (CgroupKind)kindNumber;
        if (v1 is null && v2 is null)
        {
            diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.NoFileName, CgroupLocation.From(syntax), name));
        }

        CheckFileName(v1, controller, version: 1, CgroupTypeReader.Argument(syntax, -1, "V1"), diagnostics);
        CheckFileName(v2, controller, version: 2, CgroupTypeReader.Argument(syntax, -1, "V2"), diagnostics);
        if (v1 is not null && v2 is not null && !SamePlaceholders(v1, v2))
        {
            diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.PlaceholderMismatch, CgroupLocation.From(CgroupTypeReader.Argument(syntax, -1, "V2")), v1, v2));
        }

        string? recordType = null;
        bool perDevice = false;
        bool keyed = kind is CgroupKind.FlatKeyed or CgroupKind.NestedKeyed;
        if (record.Kind == TypedConstantKind.Type && record.Value is ITypeSymbol recordSymbol)
        {
            SyntaxNode? recordSyntax = CgroupTypeReader.Argument(syntax, -1, "Record");
            if (!keyed)
            {
                diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.RecordKindMismatch, CgroupLocation.From(recordSyntax), name, kind.ToString()));
            }
            else
            {
                AttributeData? keyedAttribute = FindKeyedRecordAttribute(recordSymbol);
                perDevice = keyedAttribute is not null && CgroupTypeReader.Named(keyedAttribute, "PerDevice").Value is true;
                bool wantPerDevice = kind == CgroupKind.NestedKeyed;
                if (keyedAttribute is null || perDevice != wantPerDevice)
                {
                    diagnostics.Add(CgroupTypeReader.Diagnostic(
                        CgroupDiagnostics.RecordNotKeyed,
                        CgroupLocation.From(recordSyntax),
                        recordSymbol.Name,
                        wantPerDevice ? "(PerDevice = true)" : " without PerDevice",
                        kind.ToString()));
                }

                recordType = recordSymbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            }
        }
        else if (kind == CgroupKind.NestedKeyed)
        {
            diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.NestedNeedsRecord, CgroupLocation.From(syntax), name));
        }

        return diagnostics.Count == before
            ? new CgroupFileModel(controller, name, kind, v1, v2, readOnly, recordType, perDevice)
            : null;
    }

    private static bool IsFirstDeclarationWithFiles(INamedTypeSymbol type, TypeDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == CgroupAttributeSource.FileAttribute
                && attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is { } syntax)
            {
                // Attributes are listed in declaration order: the first one found decides.
                return syntax.Parent?.Parent == declaration;
            }
        }

        return true;
    }

    private static AttributeData? FindKeyedRecordAttribute(ITypeSymbol type)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == CgroupAttributeSource.KeyedRecordAttribute)
            {
                return attribute;
            }
        }

        return null;
    }

    private static void CheckFileName(string? file, string controller, int version, SyntaxNode? at, List<CgroupDiagnostic> diagnostics)
    {
        if (file is null)
        {
            return;
        }

        string owner = version == 1 && V1ControllerNames.TryGetValue(controller, out string? v1Name) ? v1Name : controller;
        bool ok = file.Length > 0
            && file.IndexOf('/') < 0
            && !ContainsWhitespace(file)
            && CgroupFileNames.Placeholders(file).TrueForAll(SyntaxFacts.IsValidIdentifier)
            && (file.StartsWith(owner + ".", System.StringComparison.Ordinal)
                || file.StartsWith("cgroup.", System.StringComparison.Ordinal)
                || (version == 1 && V1CoreFiles.Contains(file)));
        if (!ok)
        {
            diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.InvalidFileName, CgroupLocation.From(at), file, owner));
        }
    }

    private static bool ContainsWhitespace(string text)
    {
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SamePlaceholders(string a, string b)
    {
        List<string> left = CgroupFileNames.Placeholders(a), right = CgroupFileNames.Placeholders(b);
        if (left.Count != right.Count)
        {
            return false;
        }

        for (int i = 0; i < left.Count; i++)
        {
            if (left[i] != right[i])
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>File names may hold <c>{placeholders}</c> (hugetlb's page size) that become string parameters.</summary>
internal static class CgroupFileNames
{
    public static List<string> Placeholders(string file)
    {
        var result = new List<string>();
        int start = file.IndexOf('{');
        while (start >= 0)
        {
            int end = file.IndexOf('}', start);
            if (end < 0)
            {
                break;
            }

            string name = file.Substring(start + 1, end - start - 1);
            if (!result.Contains(name))
            {
                result.Add(name);
            }

            start = file.IndexOf('{', end);
        }

        return result;
    }
}
