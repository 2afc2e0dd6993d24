using Containers.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using System.Collections.Generic;
using System.Threading;

namespace Containers.Generators.Cgroups;

/// <summary>Turns a [CgroupKeyedRecord] type's [CgroupKey] properties into a <see cref="CgroupKeyedRecordModel"/>.</summary>
internal static class CgroupKeyedRecordParser
{
    public static CgroupParseResult<CgroupKeyedRecordModel> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var declaration = (TypeDeclarationSyntax)context.TargetNode;
        var diagnostics = new List<CgroupDiagnostic>();
        CgroupTypeModel typeModel = CgroupTypeReader.ReadType(type, declaration, diagnostics);
        bool perDevice = CgroupTypeReader.Named(context.Attributes[0], "PerDevice").Value is true;

        var keys = new List<CgroupKeyModel>();
        var seen = new[] { new Dictionary<string, string>(), new Dictionary<string, string>() };
        foreach (ISymbol member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is not IPropertySymbol property)
            {
                continue;
            }

            AttributeData? key = FindKeyAttribute(property);
            if (key is null)
            {
                continue;
            }

            CgroupKeyModel? model = ParseKey(property, key, seen, diagnostics, cancellationToken);
            if (model is not null)
            {
                keys.Add(model);
            }
        }

        CgroupKeyedRecordModel? result = diagnostics.Count == 0 ? new CgroupKeyedRecordModel(typeModel, perDevice, keys.ToEquatableArray()) : null;
        return new CgroupParseResult<CgroupKeyedRecordModel>(result, diagnostics.ToEquatableArray());
    }

    private static CgroupKeyModel? ParseKey(IPropertySymbol property, AttributeData key, Dictionary<string, string>[] seen, List<CgroupDiagnostic> diagnostics, CancellationToken cancellationToken)
    {
        int before = diagnostics.Count;
        var keySyntax = key.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var propertySyntax = property.DeclaringSyntaxReferences.Length > 0
            ? property.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) as PropertyDeclarationSyntax
            : null;
        CgroupLocation? propertyLocation = propertySyntax is null ? null : CgroupLocation.From(propertySyntax.Identifier);

        string? v1, v2;
        if (key.ConstructorArguments.Length == 1)
        {
            v1 = v2 = key.ConstructorArguments[0].Value as string;
        }
        else
        {
            v1 = CgroupTypeReader.Named(key, "V1").Value as string;
            v2 = CgroupTypeReader.Named(key, "V2").Value as string;
        }

        if (v1 is null && v2 is null)
        {
            diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.KeyWithoutName, CgroupLocation.From(keySyntax), property.Name));
        }

        ITypeSymbol valueType = property.Type;
        bool nullable = false;
        if (valueType is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapper)
        {
            nullable = true;
            valueType = wrapper.TypeArguments[0];
        }

        bool signed = valueType.SpecialType == SpecialType.System_Int64;
        bool numeric = signed || valueType.SpecialType == SpecialType.System_UInt64;
        if (!numeric || property.SetMethod is null || property.IsStatic)
        {
            diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.KeyPropertyShape, propertyLocation, property.Name));
        }

        CheckDuplicate(v1, 1, property.Name, seen[0], keySyntax, diagnostics);
        CheckDuplicate(v2, 2, property.Name, seen[1], keySyntax, diagnostics);
        return diagnostics.Count == before ? new CgroupKeyModel(property.Name, v1, v2, signed, nullable) : null;
    }

    private static void CheckDuplicate(string? key, int version, string property, Dictionary<string, string> seen, AttributeSyntax? syntax, List<CgroupDiagnostic> diagnostics)
    {
        if (key is null)
        {
            return;
        }

        if (seen.TryGetValue(key, out string? first))
        {
            SyntaxNode? at = syntax?.ArgumentList is { Arguments.Count: 1 } list && list.Arguments[0].NameEquals is null
                ? list.Arguments[0].Expression
                : CgroupTypeReader.Argument(syntax, -1, "V" + version);
            diagnostics.Add(CgroupTypeReader.Diagnostic(CgroupDiagnostics.DuplicateKey, CgroupLocation.From(at), key, "v" + version, first));
        }
        else
        {
            seen[key] = property;
        }
    }

    private static AttributeData? FindKeyAttribute(IPropertySymbol property)
    {
        foreach (AttributeData attribute in property.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == CgroupAttributeSource.KeyAttribute)
            {
                return attribute;
            }
        }

        return null;
    }
}
