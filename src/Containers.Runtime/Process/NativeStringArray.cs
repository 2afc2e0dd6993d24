using System.Runtime.InteropServices;
using System.Text;

namespace Containers.Runtime.Process;

/// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings in native memory (argv, envp).</summary>
internal sealed unsafe class NativeStringArray : IDisposable
{
    public NativeStringArray(IReadOnlyList<string> values)
    {
        Pointers = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < values.Count; i++)
        {
            int length = Encoding.UTF8.GetByteCount(values[i]);
            byte* s = (byte*)NativeMemory.Alloc((nuint)length + 1);
            Encoding.UTF8.GetBytes(values[i], new Span<byte>(s, length));
            s[length] = 0;
            Pointers[i] = s;
        }
        Count = values.Count;
    }

    public byte** Pointers { get; }

    public int Count { get; }

    public void Dispose()
    {
        for (int i = 0; i < Count; i++)
        {
            NativeMemory.Free(Pointers[i]);
        }
        NativeMemory.Free(Pointers);
    }
}
