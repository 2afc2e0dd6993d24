using System.Collections.Generic;
using System.Linq;
using Containers.Generators.Common;

namespace Containers.Generators.Syscalls;

/// <summary>
/// Writes the members for one <see cref="SyscallMethod"/>: the throwing partial body, the
/// non-throwing Try twin that does the marshalling, and the blittable import it calls.
/// </summary>
internal static class SyscallEmitter
{
    public const string GeneratedCodeAttribute = "[global::System.CodeDom.Compiler.GeneratedCode(\"Containers.Generators.SyscallWrapperGenerator\", \"1.0.0\")]";
    private const string Errno = "global::Containers.Interop.Errno";
    private const string SafeFd = "global::Containers.Interop.SafeFd";
    private const string Pool = "global::System.Buffers.ArrayPool<byte>.Shared";

    /// <summary>Strings up to this many UTF-16 chars (3 UTF-8 bytes each, plus NUL) use the stack buffer.</summary>
    private const int StackChars = 85;
    private const int StackBytes = 256;

    public static GeneratedMethod Emit(SyscallMethod method)
    {
        var writer = new IndentedWriter();
        string resultName = method.Parameters.Any(p => p.Name == "result") ? "returnValue" : "result";
        WriteThrowing(writer, method);
        writer.Line();
        WriteTry(writer, method, resultName);
        return new GeneratedMethod(method.TypeKey, method.Namespace, method.ContainingTypes, writer.ToString(), method.Binding == SyscallMethod.BindingRaw);
    }

    private static string Local(SyscallParameter p, string suffix) => "__" + p.Name.TrimStart('@') + "_" + suffix;

    private static string Declaration(SyscallParameter p) => p.RefKind + p.Type + " " + p.Name;

    private static string Argument(SyscallParameter p) => (p.RefKind == "ref readonly " ? "in " : p.RefKind) + p.Name;

    private static void WriteThrowing(IndentedWriter w, SyscallMethod m)
    {
        string modifiers = (m.Accessibility.Length > 0 ? m.Accessibility + " " : string.Empty) + "static " + (m.IsUnsafe ? "unsafe " : string.Empty) + "partial";
        var args = m.Parameters.Select(Argument).ToList();
        bool hasResult = m.ReturnKind != ReturnKind.Void;
        if (hasResult)
        {
            args.Add("out " + m.ReturnType + " __result");
        }

        w.Line(GeneratedCodeAttribute);
        using (w.OpenBlock($"{modifiers} {m.ReturnType} {m.Name}({string.Join(", ", m.Parameters.Select(Declaration))})"))
        {
            w.Line($"{Errno} __errno = Try{m.Name}({string.Join(", ", args)});");
            using (w.OpenBlock("if (!__errno.IsSuccess)"))
            {
                if (m.ReturnKind == ReturnKind.SafeFd)
                {
                    w.Line("__result.Dispose();");
                }

                w.Line($"throw new global::Containers.Interop.SyscallException({CSharpLiteral.String(m.CallName)}, __errno, {MessageExpression(m)});");
            }

            if (hasResult)
            {
                w.Line();
                w.Line("return __result;");
            }
        }
    }

    /// <summary>The arguments as the exception message shows them; evaluated only on failure.</summary>
    private static string MessageExpression(SyscallMethod m)
    {
        var pieces = new List<string>();
        foreach (SyscallParameter p in m.Parameters)
        {
            if (!p.ShowValueInMessage)
            {
                continue;
            }

            string label = CSharpLiteral.String(p.Name.TrimStart('@') + "=");
            switch (p.Kind)
            {
                case ParameterKind.String:
                    pieces.Add($"{label} + ({p.Name} is null ? \"null\" : \"\\\"\" + {p.Name} + \"\\\"\")");
                    break;
                case ParameterKind.SafeFd:
                    pieces.Add($"({p.Name}.DangerousGetHandle() == -100 ? \"fd=AT_FDCWD\" : \"fd=\" + {p.Name}.DangerousGetHandle().ToString())");
                    break;
                case ParameterKind.Enum:
                    pieces.Add($"{label} + {p.Name}.ToString().Replace(\", \", \"|\")");
                    break;
                case ParameterKind.ByRef when p.Type.StartsWith("global::", System.StringComparison.Ordinal) && !p.Type.StartsWith("global::System.", System.StringComparison.Ordinal):
                    // An enum by reference.
                    pieces.Add($"{label} + {p.Name}.ToString().Replace(\", \", \"|\")");
                    break;
                case ParameterKind.Pointer:
                    pieces.Add($"{label} + \"0x\" + ((nint){p.Name}).ToString(\"x\")");
                    break;
                case ParameterKind.Span:
                    pieces.Add($"{label} + \"[\" + {p.Name}.Length.ToString() + \"]\"");
                    break;
                default:
                    pieces.Add($"{label} + {p.Name}.ToString()");
                    break;
            }
        }

        return pieces.Count == 0 ? "null" : "string.Join(\", \", " + string.Join(", ", pieces) + ")";
    }

    private static void WriteTry(IndentedWriter w, SyscallMethod m, string resultName)
    {
        var declarations = m.Parameters.Select(Declaration).ToList();
        string? resultType = m.ReturnKind == ReturnKind.Void ? null : m.ReturnType;
        if (resultType is not null)
        {
            declarations.Add($"out {resultType} {resultName}");
        }

        string access = m.Accessibility.Length > 0 ? m.Accessibility + " " : string.Empty;
        w.Line($"/// <summary>Calls <c>{m.CallName}</c> without throwing: returns the errno, or <see cref=\"{Errno}.OK\"/> on success.</summary>");
        w.Line(GeneratedCodeAttribute);
        using (w.OpenBlock($"{access}static unsafe {Errno} Try{m.Name}({string.Join(", ", declarations)})"))
        {
            if (resultType is not null)
            {
                // The handle exists before the call, so a returned descriptor is owned the moment the call returns.
                w.Line(m.ReturnKind == ReturnKind.SafeFd ? $"{resultName} = new {SafeFd}();" : $"{resultName} = default;");
            }

            foreach (SyscallParameter p in m.Parameters.Where(p => p.RefKind == "out "))
            {
                w.Line($"{p.Name} = default;");
            }

            var safeFds = m.Parameters.Where(p => p.Kind == ParameterKind.SafeFd).ToList();
            var strings = m.Parameters.Where(p => p.Kind == ParameterKind.String).ToList();
            foreach (SyscallParameter p in safeFds)
            {
                w.Line($"bool {Local(p, "addref")} = false;");
            }

            foreach (SyscallParameter p in strings)
            {
                w.Line($"byte[]? {Local(p, "pool")} = null;");
            }

            bool needsFinally = safeFds.Count + strings.Count > 0;
            if (needsFinally)
            {
                w.Line("try");
                w.Line("{");
                w.Indent();
            }

            foreach (SyscallParameter p in safeFds)
            {
                w.Line($"{p.Name}.DangerousAddRef(ref {Local(p, "addref")});");
            }

            foreach (SyscallParameter p in strings)
            {
                // An embedded NUL would silently cut the path short: refuse it as the kernel would refuse a bad path.
                using (w.OpenBlock($"if ({p.Name} is not null && {p.Name}.Contains('\\0'))"))
                {
                    w.Line($"return new {Errno}(22); // EINVAL");
                }

                w.Line($"global::System.Span<byte> {Local(p, "buffer")} = {p.Name} is null ? default : {p.Name}.Length <= {StackChars} ? stackalloc byte[{StackBytes}] : ({Local(p, "pool")} = {Pool}.Rent(checked({p.Name}.Length * 3 + 1)));");
                using (w.OpenBlock($"if ({p.Name} is not null)"))
                {
                    w.Line($"{Local(p, "buffer")}[global::System.Text.Encoding.UTF8.GetBytes({p.Name}, {Local(p, "buffer")})] = 0;");
                }
            }

            int fixedCount = 0;
            foreach (SyscallParameter p in m.Parameters)
            {
                string? source = p.Kind switch
                {
                    ParameterKind.String => Local(p, "buffer"),
                    ParameterKind.Span => p.Name,
                    ParameterKind.ByRef when p.RefKind is "in " or "ref readonly " => $"&global::System.Runtime.CompilerServices.Unsafe.AsRef(in {p.Name})",
                    ParameterKind.ByRef => "&" + p.Name,
                    _ => null,
                };
                if (source is not null)
                {
                    string pointerType = p.Kind == ParameterKind.String ? "byte*" : p.NativeType;
                    w.Line($"fixed ({pointerType} {Local(p, "native")} = {source})");
                    fixedCount++;
                }
            }

            using (w.OpenBlock())
            {
                WriteCall(w, m, resultName);
            }

            if (needsFinally)
            {
                w.Unindent();
                w.Line("}");
                using (w.OpenBlock("finally"))
                {
                    foreach (SyscallParameter p in strings)
                    {
                        using (w.OpenBlock($"if ({Local(p, "pool")} is not null)"))
                        {
                            w.Line($"{Pool}.Return({Local(p, "pool")});");
                        }
                    }

                    foreach (SyscallParameter p in safeFds)
                    {
                        using (w.OpenBlock($"if ({Local(p, "addref")})"))
                        {
                            w.Line($"{p.Name}.DangerousRelease();");
                        }
                    }
                }
            }

            if (m.Binding == SyscallMethod.BindingLibc)
            {
                w.Line();
                bool setLastError = m.Returns == SyscallMethod.ReturnsMinusOneErrno;
                w.Line($"[global::System.Runtime.InteropServices.DllImport(\"libc.so.6\", EntryPoint = {CSharpLiteral.String(m.CallName)}, ExactSpelling = true{(setLastError ? ", SetLastError = true" : string.Empty)})]");
                string nativeParameters = string.Join(", ", m.Parameters.Select(p => p.NativeType + " " + p.Name));
                w.Line($"static extern {NativeReturnType(m.ReturnKind)} __PInvoke({nativeParameters});");
            }
        }
    }

    private static string NativeReturnType(ReturnKind kind) => kind switch
    {
        ReturnKind.Int64 => "long",
        ReturnKind.NInt => "nint",
        _ => "int",
    };

    private static string NativeArgument(SyscallParameter p) => p.Kind switch
    {
        ParameterKind.String or ParameterKind.Span or ParameterKind.ByRef => Local(p, "native"),
        ParameterKind.SafeFd => $"(int){p.Name}.DangerousGetHandle()",
        ParameterKind.Enum => $"({p.NativeType}){p.Name}",
        ParameterKind.Bool => $"({p.Name} ? 1 : 0)",
        _ => p.Name,
    };

    private static string RawArgument(SyscallParameter p) => p.Kind switch
    {
        ParameterKind.String or ParameterKind.Span or ParameterKind.ByRef => $"(nint){Local(p, "native")}",
        ParameterKind.Pointer => $"(nint){p.Name}",
        ParameterKind.SafeFd => $"{p.Name}.DangerousGetHandle()",
        _ => $"unchecked((nint){NativeArgument(p)})",
    };

    private static string SyscallNumber(SyscallMethod m)
    {
        if (m.NumberX86_64 == m.NumberAarch64)
        {
            return m.NumberX86_64 + "L";
        }

        const string Arch = "global::System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture";
        const string Architecture = "global::System.Runtime.InteropServices.Architecture";
        return $"({Arch} == {Architecture}.X64 ? {m.NumberX86_64}L : {Arch} == {Architecture}.Arm64 ? {m.NumberAarch64}L : -1L)";
    }

    private static void WriteCall(IndentedWriter w, SyscallMethod m, string resultName)
    {
        string call;
        string returnType;
        if (m.Binding == SyscallMethod.BindingRaw)
        {
            var args = m.Parameters.Select(RawArgument).ToList();
            while (args.Count < 6)
            {
                args.Add("0");
            }

            w.Line($"// {m.CallName}: {(m.NumberX86_64 < 0 ? "absent" : m.NumberX86_64.ToString())} on x86_64, {(m.NumberAarch64 < 0 ? "absent" : m.NumberAarch64.ToString())} on aarch64; an absent call fails with ENOSYS.");
            call = $"__SyscallInvoker.Syscall({SyscallNumber(m)}, {string.Join(", ", args)})";
            returnType = "long";
        }
        else
        {
            call = $"__PInvoke({string.Join(", ", m.Parameters.Select(NativeArgument))})";
            returnType = NativeReturnType(m.ReturnKind);
        }

        bool errorNumber = m.Returns == SyscallMethod.ReturnsErrorNumber;
        w.Line($"{returnType} __ret;");
        w.Line($"{Errno} __errno;");
        w.Line("do");
        using (w.OpenBlock())
        {
            w.Line($"__ret = {call};");
            w.Line(errorNumber
                ? $"__errno = new {Errno}((int)__ret);"
                : $"__errno = __ret == -1 ? {Errno}.Last : default;");
        }

        w.Line(m.RetryOnEintr ? $"while (__errno.Value == 4); // EINTR" : "while (false);");
        using (w.OpenBlock("if (!__errno.IsSuccess)"))
        {
            w.Line("return __errno;");
        }

        switch (m.ReturnKind)
        {
            case ReturnKind.SafeFd:
                w.Line($"global::System.Runtime.InteropServices.Marshal.InitHandle({resultName}, (nint)__ret);");
                break;
            case ReturnKind.Int32:
                w.Line($"{resultName} = (int)__ret;");
                break;
            case ReturnKind.Int64:
                w.Line($"{resultName} = (long)__ret;");
                break;
            case ReturnKind.NInt:
                w.Line($"{resultName} = (nint)__ret;");
                break;
        }

        w.Line("return default;");
    }

    /// <summary>The file for one containing type: its methods, and the raw syscall import when any method needs it.</summary>
    public static string EmitFile(string ns, EquatableArray<string> containingTypes, IEnumerable<GeneratedMethod> methods)
    {
        var w = new IndentedWriter();
        w.Line("// <auto-generated/>");
        w.Line("#nullable enable");
        w.Line("#pragma warning disable CS0162 // while (false) after a call that must not be retried");
        w.Line();
        if (ns.Length > 0)
        {
            w.Line($"namespace {ns};");
            w.Line();
        }

        var blocks = new List<IndentedWriter.Block>();
        foreach (string type in containingTypes)
        {
            // unsafe on this part only: declarations may rely on an unsafe type for their pointer parameters.
            blocks.Add(w.OpenBlock("unsafe " + type));
        }

        bool first = true;
        bool usesRaw = false;
        foreach (GeneratedMethod method in methods)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            usesRaw |= method.UsesRawSyscall;
            w.Line(method.Code.TrimEnd('\n'));
        }

        for (int i = blocks.Count - 1; i >= 0; i--)
        {
            blocks[i].Dispose();
        }

        if (usesRaw)
        {
            w.Line();
            using (w.OpenBlock("file static class __SyscallInvoker"))
            {
                w.Line("// syscall(2) is variadic in C; on x86_64 and aarch64 Linux, integer varargs travel in the same registers as fixed ones.");
                w.Line("[global::System.Runtime.InteropServices.DllImport(\"libc.so.6\", EntryPoint = \"syscall\", ExactSpelling = true, SetLastError = true)]");
                w.Line("internal static extern long Syscall(long number, nint a1, nint a2, nint a3, nint a4, nint a5, nint a6);");
            }
        }

        return w.ToString();
    }
}
