using Containers.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using System.Collections.Generic;

namespace Containers.Generators.Cgroups;

/// <summary>Shared steps of both transforms: the target type's shape and attribute argument spans.</summary>
internal static class CgroupTypeReader
{
    /// <summary>The type model, adding diagnostics when the type is not partial or is nested.</summary>
    public static CgroupTypeModel ReadType(INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<CgroupDiagnostic> diagnostics)
    {
        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(Diagnostic(CgroupDiagnostics.NotPartial, CgroupLocation.From(declaration.Identifier), type.Name));
        }

        if (type.ContainingType is not null)
        {
            diagnostics.Add(Diagnostic(CgroupDiagnostics.NestedType, CgroupLocation.From(declaration.Identifier), type.Name));
        }

        string keyword = declaration switch
        {
            RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
            RecordDeclarationSyntax => "record",
            StructDeclarationSyntax => "struct",
            _ => "class",
        };
        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
        return new CgroupTypeModel(ns, type.Name, keyword);
    }

    /// <summary>
    /// The expression of an attribute argument given by position or by name, or the whole
    /// attribute when the argument is absent, so diagnostics point at what the user wrote.
    /// </summary>
    public static SyntaxNode? Argument(AttributeSyntax? attribute, int position, string name)
    {
        if (attribute?.ArgumentList is null)
        {
            return attribute;
        }

        int index = 0;
        foreach (AttributeArgumentSyntax argument in attribute.ArgumentList.Arguments)
        {
            if (argument.NameEquals is { } equals)
            {
                if (equals.Name.Identifier.ValueText == name)
                {
                    return argument.Expression;
                }
            }
            else if (argument.NameColon is { } colon)
            {
                if (string.Equals(colon.Name.Identifier.ValueText, name, System.StringComparison.OrdinalIgnoreCase))
                {
                    return argument.Expression;
                }
            }
            else if (index++ == position)
            {
                return argument.Expression;
            }
        }

        return attribute;
    }

    public static TypedConstant Named(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                return pair.Value;
            }
        }

        return default;
    }

    public static CgroupDiagnostic Diagnostic(DiagnosticDescriptor descriptor, CgroupLocation? location, params string[] arguments) =>
        new(descriptor, location, arguments.ToEquatableArray());
}
