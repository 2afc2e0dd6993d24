using Containers.Generators.Syscalls;

namespace Containers.Generators.Tests.Syscalls;

/// <summary>The generated shape for representative declarations; every output must also compile.</summary>
public class SyscallWrapperShapeTests
{
    private const string Prelude = """
        using System;
        using Containers.Interop;
        namespace TestNs;

        [Flags] public enum OpenTreeFlags : uint { None = 0, Clone = 1 }
        [Flags] public enum MountFlags : ulong { None = 0, Bind = 4096 }
        public struct Attr { public ulong Set; public ulong Clear; }

        """;

    private static GeneratorHarness.Result Run(string declarations)
    {
        GeneratorHarness.Result result = GeneratorHarness.Run(new SyscallWrapperGenerator(), Prelude + declarations);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompileErrors);
        return result;
    }

    [Fact]
    public void RawOpenTreeGetsThrowingBodyTryTwinAndSyscallImport()
    {
        var result = Run("""
            internal static partial class Native
            {
                [Syscall("open_tree", Binding = SyscallBinding.Raw)]
                internal static partial SafeFd OpenTree(SafeFd dirfd, string path, OpenTreeFlags flags);
            }
            """);
        string code = result.Generated("TestNs.Native.Syscalls.g.cs");

        Assert.Contains("internal static partial global::Containers.Interop.SafeFd OpenTree(global::Containers.Interop.SafeFd dirfd, string path, global::TestNs.OpenTreeFlags flags)", code);
        Assert.Contains("internal static unsafe global::Containers.Interop.Errno TryOpenTree(global::Containers.Interop.SafeFd dirfd, string path, global::TestNs.OpenTreeFlags flags, out global::Containers.Interop.SafeFd result)", code);
        Assert.Contains("throw new global::Containers.Interop.SyscallException(\"open_tree\", __errno, string.Join(\", \", (dirfd.DangerousGetHandle() == -100 ? \"fd=AT_FDCWD\" : \"fd=\" + dirfd.DangerousGetHandle().ToString()), \"path=\" + (path is null ? \"null\" : \"\\\"\" + path + \"\\\"\"), \"flags=\" + flags.ToString().Replace(\", \", \"|\")));", code);
        Assert.Contains("result = new global::Containers.Interop.SafeFd();", code);
        Assert.Contains("dirfd.DangerousAddRef(ref __dirfd_addref);", code);
        Assert.Contains("stackalloc byte[256]", code);
        Assert.Contains("global::System.Buffers.ArrayPool<byte>.Shared.Rent(checked(path.Length * 3 + 1))", code);
        Assert.Contains("__ret = __SyscallInvoker.Syscall(428L, dirfd.DangerousGetHandle(), (nint)__path_native, unchecked((nint)(uint)flags), 0, 0, 0);", code);
        Assert.Contains("__errno = __ret == -1 ? global::Containers.Interop.Errno.Last : default;", code);
        Assert.Contains("while (__errno.Value == 4); // EINTR", code);
        Assert.Contains("global::System.Runtime.InteropServices.Marshal.InitHandle(result, (nint)__ret);", code);
        Assert.Contains("if (__dirfd_addref)", code);
        Assert.Contains("dirfd.DangerousRelease();", code);
        Assert.Contains("global::System.Buffers.ArrayPool<byte>.Shared.Return(__path_pool);", code);
        Assert.Contains("file static class __SyscallInvoker", code);
        Assert.Contains("[global::System.Runtime.InteropServices.DllImport(\"libc.so.6\", EntryPoint = \"syscall\", ExactSpelling = true, SetLastError = true)]", code);
        Assert.Contains("internal static extern long Syscall(long number, nint a1, nint a2, nint a3, nint a4, nint a5, nint a6);", code);
    }

    [Fact]
    public void LibcBindingImportsTheSymbolWithBlittableTypes()
    {
        var result = Run("""
            public static partial class Native
            {
                [Syscall("mount")]
                public static partial void Mount(string? source, string target, string? type, MountFlags flags, string? data);
            }
            """);
        string code = result.Generated("TestNs.Native.Syscalls.g.cs");

        Assert.Contains("public static unsafe global::Containers.Interop.Errno TryMount(string? source, string target, string? type, global::TestNs.MountFlags flags, string? data)\n", code);
        Assert.Contains("[global::System.Runtime.InteropServices.DllImport(\"libc.so.6\", EntryPoint = \"mount\", ExactSpelling = true, SetLastError = true)]", code);
        Assert.Contains("static extern int __PInvoke(byte* source, byte* target, byte* type, ulong flags, byte* data);", code);
        Assert.Contains("__ret = __PInvoke(__source_native, __target_native, __type_native, (ulong)flags, __data_native);", code);
        Assert.Contains("global::System.Span<byte> __source_buffer = source is null ? default : source.Length <= 85 ? stackalloc byte[256]", code);
        Assert.Contains("if (source is not null && source.Contains('\\0'))", code);
        Assert.DoesNotContain("__SyscallInvoker", code);
    }

    [Fact]
    public void RawNumberIsChosenAtRunTimeWhenArchitecturesDiffer()
    {
        var result = Run("""
            public static partial class Native
            {
                [Syscall("pivot_root", Binding = SyscallBinding.Raw)]
                public static partial void PivotRoot(string newRoot, string putOld);
            }
            """);
        string code = result.Generated("TestNs.Native.Syscalls.g.cs");

        Assert.Contains("(global::System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == global::System.Runtime.InteropServices.Architecture.X64 ? 155L : global::System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == global::System.Runtime.InteropServices.Architecture.Arm64 ? 41L : -1L)", code);
    }

    [Fact]
    public void ErrorNumberCallsReadTheReturnValueAndSkipSetLastError()
    {
        var result = Run("""
            public static unsafe partial class Native
            {
                [Syscall("posix_spawn", Returns = SyscallReturn.ErrorNumber, RetryOnEintr = false)]
                public static partial void PosixSpawn(out int pid, byte* path, void* actions, void* attributes, byte** argv, byte** envp);
            }
            """);
        string code = result.Generated("TestNs.Native.Syscalls.g.cs");

        Assert.Contains("public static unsafe global::Containers.Interop.Errno TryPosixSpawn(out int pid, byte* path, void* actions, void* attributes, byte** argv, byte** envp)", code);
        Assert.Contains("pid = default;", code);
        Assert.Contains("fixed (int* __pid_native = &pid)", code);
        Assert.Contains("__errno = new global::Containers.Interop.Errno((int)__ret);", code);
        Assert.Contains("while (false);", code);
        Assert.Contains("[global::System.Runtime.InteropServices.DllImport(\"libc.so.6\", EntryPoint = \"posix_spawn\", ExactSpelling = true)]", code);
        Assert.Contains("static extern int __PInvoke(int* pid, byte* path, void* actions, void* attributes, byte** argv, byte** envp);", code);
    }

    [Fact]
    public void ByRefSpanEnumBoolAndIntReturnMarshalToPointersAndIntegers()
    {
        var result = Run("""
            public static partial class Native
            {
                [Syscall("mount_setattr", Binding = SyscallBinding.Raw)]
                public static partial void SetAttr(SafeFd dfd, string path, uint flags, in Attr attr, nuint size);

                [Syscall("sethostname")]
                public static partial int SetName(ReadOnlySpan<byte> name, nuint length, bool flag, ref long counter);
            }
            """);
        string code = result.Generated("TestNs.Native.Syscalls.g.cs");

        Assert.Contains("fixed (global::TestNs.Attr* __attr_native = &global::System.Runtime.CompilerServices.Unsafe.AsRef(in attr))", code);
        Assert.Contains("__SyscallInvoker.Syscall(442L, dfd.DangerousGetHandle(), (nint)__path_native, unchecked((nint)flags), (nint)__attr_native, unchecked((nint)size), 0)", code);
        Assert.Contains("public static unsafe global::Containers.Interop.Errno TrySetName(global::System.ReadOnlySpan<byte> name, nuint length, bool flag, ref long counter, out int result)", code);
        Assert.Contains("fixed (byte* __name_native = name)", code);
        Assert.Contains("fixed (long* __counter_native = &counter)", code);
        Assert.Contains("static extern int __PInvoke(byte* name, nuint length, int flag, long* counter);", code);
        Assert.Contains("__PInvoke(__name_native, length, (flag ? 1 : 0), __counter_native)", code);
        Assert.Contains("result = (int)__ret;", code);
    }

    [Fact]
    public void VoidCallsGetNoOutParameterAndMethodsShareOneFilePerType()
    {
        var result = Run("""
            public static partial class Native
            {
                [Syscall("chdir")]
                public static partial void Chdir(string path);

                [Syscall("unshare")]
                public static partial void Unshare(int flags);
            }
            """);
        string code = result.Generated("TestNs.Native.Syscalls.g.cs");

        Assert.Contains("public static unsafe global::Containers.Interop.Errno TryChdir(string path)\n", code);
        Assert.Contains("public static unsafe global::Containers.Interop.Errno TryUnshare(int flags)\n", code);
        Assert.Single(result.Driver.GetRunResult().GeneratedTrees, t => t.FilePath.EndsWith("Syscalls.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void NestedTypesAreReopened()
    {
        var result = Run("""
            public static partial class Outer
            {
                internal static partial class Inner
                {
                    [Syscall("chroot")]
                    internal static partial void Chroot(string path);
                }
            }
            """);
        string code = result.Generated("TestNs.Outer.Inner.Syscalls.g.cs");

        Assert.Contains("unsafe partial class Outer\n{\n    unsafe partial class Inner\n    {", code);
    }

    [Fact]
    public void AttributeIsEmittedAsEmbeddedInternalTypes()
    {
        var result = Run(string.Empty);
        string code = result.Generated("SyscallAttribute.g.cs");

        Assert.Contains("internal sealed class SyscallAttribute : global::System.Attribute", code);
        Assert.Contains("internal enum SyscallBinding", code);
        Assert.Contains("internal enum SyscallReturn", code);
        Assert.Contains("public bool RetryOnEintr { get; set; } = true;", code);
        Assert.Contains("[global::Microsoft.CodeAnalysis.Embedded]", code);
    }
}
