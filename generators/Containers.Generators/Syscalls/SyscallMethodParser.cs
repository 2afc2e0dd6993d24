using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Containers.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Containers.Generators.Syscalls;

/// <summary>
/// Turns a [Syscall] method symbol into a <see cref="SyscallMethod"/> (plain values) or diagnostics.
/// Everything Roslyn-specific ends here; later pipeline steps only see equatable records.
/// </summary>
internal static class SyscallMethodParser
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Calls that duplicate the process: a child would run managed code without the runtime's other threads.</summary>
    private static readonly HashSet<string> Forbidden = new() { "fork", "vfork", "clone", "clone3", "__clone", "__clone2", "_Fork" };

    public static SyscallMethodResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var syntax = (MethodDeclarationSyntax)context.TargetNode;
        AttributeData attribute = context.Attributes[0];
        var diagnostics = new List<DiagnosticInfo>();

        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        LocationInfo? nameLocation = LocationInfo.From(attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault()?.Expression ?? (SyntaxNode?)attributeSyntax);

        string callName = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string s ? s : string.Empty;
        int binding = 0, returns = 0;
        bool retry = true;
        foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
        {
            switch (named.Key)
            {
                case "Binding" when named.Value.Value is int b: binding = b; break;
                case "Returns" when named.Value.Value is int r: returns = r; break;
                case "RetryOnEintr" when named.Value.Value is bool e: retry = e; break;
            }
        }

        if (Forbidden.Contains(callName))
        {
            diagnostics.Add(DiagnosticInfo.Create(SyscallDiagnostics.ForbiddenSyscall, nameLocation, callName));
        }
        else if (!IsCIdentifier(callName))
        {
            diagnostics.Add(DiagnosticInfo.Create(SyscallDiagnostics.InvalidName, nameLocation, callName));
        }

        bool shapeOk = method.IsStatic && method.IsPartialDefinition && method.PartialImplementationPart is null
            && !method.IsGenericMethod && syntax.Body is null && syntax.ExpressionBody is null
            && syntax.Ancestors().OfType<TypeDeclarationSyntax>().All(t => t.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (!shapeOk)
        {
            diagnostics.Add(DiagnosticInfo.Create(SyscallDiagnostics.MethodMustBeStaticPartial, LocationInfo.From(syntax.Identifier.GetLocation()), method.Name));
        }

        ReturnKind? returnKind = ClassifyReturn(method.ReturnType);
        if (returnKind is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(SyscallDiagnostics.UnsupportedReturnType, LocationInfo.From(syntax.ReturnType), method.Name, method.ReturnType.ToDisplayString()));
        }
        else if (returns == SyscallMethod.ReturnsErrorNumber && returnKind != ReturnKind.Void)
        {
            diagnostics.Add(DiagnosticInfo.Create(SyscallDiagnostics.ErrorNumberNeedsVoid, LocationInfo.From(syntax.ReturnType), method.Name, method.ReturnType.ToDisplayString()));
        }

        var parameters = new List<SyscallParameter>();
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            SyscallParameter? model = ClassifyParameter(parameter);
            if (model is null)
            {
                SyntaxNode? typeSyntax = i < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[i].Type : null;
                diagnostics.Add(DiagnosticInfo.Create(SyscallDiagnostics.UnsupportedParameterType, LocationInfo.From(typeSyntax), parameter.Name, method.Name, parameter.Type.ToDisplayString()));
                continue;
            }

            parameters.Add(model);
        }

        if (binding == SyscallMethod.BindingRaw && parameters.Count > 6)
        {
            diagnostics.Add(DiagnosticInfo.Create(SyscallDiagnostics.UnsupportedParameterType, LocationInfo.From(syntax.ParameterList.Parameters[6].Type), method.Parameters[6].Name, method.Name, "a 7th argument (system calls take at most 6)"));
        }

        if (diagnostics.Count > 0)
        {
            return new SyscallMethodResult(null, nameLocation, diagnostics.ToEquatableArray());
        }

        var model2 = new SyscallMethod(
            Namespace: method.ContainingNamespace.IsGlobalNamespace ? string.Empty : method.ContainingNamespace.ToDisplayString(),
            ContainingTypes: ContainingTypeDeclarations(syntax),
            Accessibility: string.Join(" ", syntax.Modifiers.Where(m => SyntaxFacts.IsAccessibilityModifier(m.Kind())).Select(m => m.ValueText)),
            IsUnsafe: syntax.Modifiers.Any(SyntaxKind.UnsafeKeyword),
            Name: method.Name,
            ReturnType: method.ReturnsVoid ? "void" : method.ReturnType.ToDisplayString(TypeFormat),
            ReturnKind: returnKind!.Value,
            CallName: callName,
            Binding: binding,
            Returns: returns,
            RetryOnEintr: retry,
            Parameters: parameters.ToEquatableArray(),
            NumberX86_64: -1,
            NumberAarch64: -1);
        return new SyscallMethodResult(model2, nameLocation, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static bool IsCIdentifier(string name) =>
        name.Length > 0 && !char.IsDigit(name[0]) && name.All(c => c == '_' || char.IsLetterOrDigit(c) && c < 128);

    private static ReturnKind? ClassifyReturn(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Void => ReturnKind.Void,
        SpecialType.System_Int32 => ReturnKind.Int32,
        SpecialType.System_Int64 => ReturnKind.Int64,
        SpecialType.System_IntPtr => ReturnKind.NInt,
        _ => IsSafeFd(type) ? ReturnKind.SafeFd : null,
    };

    private static bool IsSafeFd(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "SafeFd", ContainingNamespace: { Name: "Interop", ContainingNamespace: { Name: "Containers", ContainingNamespace.IsGlobalNamespace: true } } };

    private static SyscallParameter? ClassifyParameter(IParameterSymbol parameter)
    {
        string name = SyntaxFacts.GetKeywordKind(parameter.Name) != SyntaxKind.None ? "@" + parameter.Name : parameter.Name;
        ITypeSymbol type = parameter.Type;
        string typeText = type.ToDisplayString(TypeFormat);

        if (parameter.RefKind != RefKind.None)
        {
            string refKind = parameter.RefKind switch
            {
                RefKind.Out => "out ",
                RefKind.Ref => "ref ",
                RefKind.In => "in ",
                RefKind.RefReadOnlyParameter => "ref readonly ",
                _ => string.Empty,
            };
            if (refKind.Length == 0 || !type.IsUnmanagedType || type.TypeKind == TypeKind.Pointer || type.TypeKind == TypeKind.FunctionPointer)
            {
                return null;
            }

            bool showValue = parameter.RefKind != RefKind.Out && (type.TypeKind == TypeKind.Enum || IsPrimitive(type.SpecialType));
            return new SyscallParameter(name, typeText, refKind, ParameterKind.ByRef, typeText + "*", true, showValue);
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            return new SyscallParameter(name, typeText, string.Empty, ParameterKind.String, "byte*", true, true);
        }

        if (IsSafeFd(type))
        {
            return new SyscallParameter(name, typeText, string.Empty, ParameterKind.SafeFd, "int", false, true);
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            return new SyscallParameter(name, typeText, string.Empty, ParameterKind.Enum, underlying.ToDisplayString(TypeFormat), IsUnsigned(underlying.SpecialType), true);
        }

        if (type.SpecialType == SpecialType.System_Boolean)
        {
            return new SyscallParameter(name, typeText, string.Empty, ParameterKind.Bool, "int", false, true);
        }

        if (IsPrimitive(type.SpecialType))
        {
            return new SyscallParameter(name, typeText, string.Empty, ParameterKind.Primitive, typeText, IsUnsigned(type.SpecialType), true);
        }

        if (type.TypeKind == TypeKind.Pointer || type.TypeKind == TypeKind.FunctionPointer)
        {
            return new SyscallParameter(name, typeText, string.Empty, ParameterKind.Pointer, typeText, true, true);
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }
            && (named.Name == "Span" || named.Name == "ReadOnlySpan")
            && named.TypeArguments[0].IsUnmanagedType)
        {
            string element = named.TypeArguments[0].ToDisplayString(TypeFormat);
            return new SyscallParameter(name, typeText, string.Empty, ParameterKind.Span, element + "*", true, true);
        }

        return null;
    }

    private static bool IsPrimitive(SpecialType type) => type is SpecialType.System_Byte or SpecialType.System_SByte
        or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
        or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_IntPtr or SpecialType.System_UIntPtr;

    private static bool IsUnsigned(SpecialType type) => type is SpecialType.System_Byte or SpecialType.System_UInt16
        or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_UIntPtr;

    private static EquatableArray<string> ContainingTypeDeclarations(MethodDeclarationSyntax syntax)
    {
        var declarations = new List<string>();
        foreach (TypeDeclarationSyntax type in syntax.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            string keyword = type is RecordDeclarationSyntax record
                ? "record " + (record.ClassOrStructKeyword.IsKind(SyntaxKind.None) ? "class" : record.ClassOrStructKeyword.ValueText)
                : type.Keyword.ValueText;
            // Modifiers other than partial are left out: parts may differ in them, and this must name the type, not one part.
            declarations.Insert(0, $"partial {keyword} {type.Identifier.ValueText}{type.TypeParameterList}");
        }

        return declarations.ToEquatableArray();
    }
}
