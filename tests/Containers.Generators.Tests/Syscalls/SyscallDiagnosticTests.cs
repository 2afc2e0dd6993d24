using Containers.Generators.Syscalls;
using Microsoft.CodeAnalysis;

namespace Containers.Generators.Tests.Syscalls;

/// <summary>Each diagnostic: its id, the exact span it points at, and its message arguments.</summary>
public class SyscallDiagnosticTests
{
    private const string Prelude = "using System;\nusing Containers.Interop;\nnamespace TestNs;\n";

    private static Diagnostic Single(string marked, string? table = null)
    {
        var (source, span) = GeneratorHarness.Marked(Prelude + marked);
        var result = GeneratorHarness.Run(new SyscallWrapperGenerator(), source, table);
        Diagnostic diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(span, diagnostic.Location.SourceSpan);
        Assert.Equal("Source0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        return diagnostic;
    }

    [Fact]
    public void UnsupportedParameterTypePointsAtTheType()
    {
        Diagnostic d = Single("""
            static partial class N
            {
                [Syscall("close")]
                static partial void Close([|object|] handle);
            }
            """);
        Assert.Equal("CTRSYS001", d.Id);
        Assert.StartsWith("Parameter 'handle' of 'Close' has type 'object', which [Syscall] cannot marshal", d.GetMessage());
    }

    [Fact]
    public void ByRefOfManagedTypeIsUnsupported()
    {
        Diagnostic d = Single("""
            static partial class N
            {
                [Syscall("pipe2")]
                static partial void Pipe(out [|string|] fds, int flags);
            }
            """);
        Assert.Equal("CTRSYS001", d.Id);
        Assert.Contains("'fds' of 'Pipe' has type 'string'", d.GetMessage());
    }

    [Fact]
    public void UnsupportedReturnTypePointsAtTheReturnType()
    {
        Diagnostic d = Single("""
            static partial class N
            {
                [Syscall("getcwd")]
                internal static partial [|string|] Getcwd();
            }
            """);
        Assert.Equal("CTRSYS002", d.Id);
        Assert.Equal("'Getcwd' returns 'string', which [Syscall] cannot marshal; return void, int, long, nint or SafeFd", d.GetMessage());
    }

    [Fact]
    public void NonStaticMethodPointsAtTheName()
    {
        Diagnostic d = Single("""
            partial class N
            {
                [Syscall("sync")]
                partial void [|Sync|]();
            }
            """);
        Assert.Equal("CTRSYS003", d.Id);
        Assert.Contains("'Sync' must be a non-generic 'static partial' method", d.GetMessage());
    }

    [Fact]
    public void NonPartialContainingTypeIsReported()
    {
        var (source, span) = GeneratorHarness.Marked(Prelude + """
            static class N
            {
                [Syscall("sync")]
                static partial void [|Sync|]();
            }
            """);
        var result = GeneratorHarness.Run(new SyscallWrapperGenerator(), source);
        Diagnostic d = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("CTRSYS003", d.Id);
        Assert.Equal(span, d.Location.SourceSpan);
    }

    [Fact]
    public void UnknownRawNameSuggestsTheNearestName()
    {
        Diagnostic d = Single("""
            static partial class N
            {
                [Syscall([|"opne_tree"|], Binding = SyscallBinding.Raw)]
                static partial void OpenTree(int dfd);
            }
            """);
        Assert.Equal("CTRSYS004", d.Id);
        Assert.Equal("'opne_tree' is not in syscalls.tsv, so SyscallBinding.Raw has no number for it; did you mean 'open_tree'?", d.GetMessage());
    }

    [Fact]
    public void UnknownRawNameWithoutNeighbourHasNoSuggestion()
    {
        Diagnostic d = Single("""
            static partial class N
            {
                [Syscall([|"zzzzzzzzzzzz"|], Binding = SyscallBinding.Raw)]
                static partial void Z();
            }
            """);
        Assert.Equal("CTRSYS004", d.Id);
        Assert.Equal("'zzzzzzzzzzzz' is not in syscalls.tsv, so SyscallBinding.Raw has no number for it", d.GetMessage());
    }

    [Theory]
    [InlineData("fork")]
    [InlineData("vfork")]
    [InlineData("clone")]
    [InlineData("clone3")]
    public void ProcessDuplicatingCallsAreRefused(string name)
    {
        Diagnostic d = Single($$"""
            static partial class N
            {
                [Syscall([|"{{name}}"|], Binding = SyscallBinding.Raw)]
                static partial int Fork();
            }
            """);
        Assert.Equal("CTRSYS005", d.Id);
        Assert.StartsWith($"'{name}' is forbidden: managed code must never run in a forked child", d.GetMessage());
        Assert.Contains("posix_spawn", d.GetMessage());
    }

    [Fact]
    public void ErrorNumberWithNonVoidReturnPointsAtTheReturnType()
    {
        Diagnostic d = Single("""
            static partial class N
            {
                [Syscall("posix_spawn", Returns = SyscallReturn.ErrorNumber)]
                static partial [|int|] Spawn();
            }
            """);
        Assert.Equal("CTRSYS006", d.Id);
        Assert.Equal("'Spawn' uses SyscallReturn.ErrorNumber, where the C return value is the errno, so it must return void, not 'int'", d.GetMessage());
    }

    [Fact]
    public void RawBindingWithoutTableIsReported()
    {
        var (source, span) = GeneratorHarness.Marked(Prelude + """
            static partial class N
            {
                [Syscall([|"pivot_root"|], Binding = SyscallBinding.Raw)]
                static partial void PivotRoot(string a, string b);
            }
            """);
        var result = GeneratorHarness.Driver(new SyscallWrapperGenerator(), table: null)
            .RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation(source), out _, out var diagnostics);
        Diagnostic d = Assert.Single(diagnostics);
        Assert.Equal("CTRSYS007", d.Id);
        Assert.Equal(span, d.Location.SourceSpan);
        Assert.Equal("'pivot_root' uses SyscallBinding.Raw, but no syscalls.tsv is listed in AdditionalFiles", d.GetMessage());
    }

    [Fact]
    public void NameThatIsNotACIdentifierIsReported()
    {
        Diagnostic d = Single("""
            static partial class N
            {
                [Syscall([|"1mount"|])]
                static partial void Mount();
            }
            """);
        Assert.Equal("CTRSYS009", d.Id);
        Assert.StartsWith("'1mount' is not a C identifier", d.GetMessage());
    }

    [Fact]
    public void InvalidMethodsGetNoBodyButValidNeighboursDo()
    {
        var (source, _) = GeneratorHarness.Marked(Prelude + """
            static partial class N
            {
                [Syscall("fork", Binding = SyscallBinding.Raw)]
                static partial int [||]Fork();

                [Syscall("chdir")]
                static partial void Chdir(string path);
            }
            """);
        var result = GeneratorHarness.Run(new SyscallWrapperGenerator(), source);
        string code = result.Generated("TestNs.N.Syscalls.g.cs");
        Assert.Contains("TryChdir", code);
        Assert.DoesNotContain("Fork", code);
    }
}
