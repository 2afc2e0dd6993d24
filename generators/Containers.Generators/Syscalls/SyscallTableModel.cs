using System;
using System.Collections.Generic;
using System.Globalization;
using Containers.Generators.Common;
using Microsoft.CodeAnalysis.Text;

namespace Containers.Generators.Syscalls;

/// <summary>
/// One row of syscalls.tsv; -1 where the architecture lacks the call. <paramref name="X32"/> is the kernel table's
/// number without __X32_SYSCALL_BIT (the generated lookup adds it).
/// </summary>
public sealed record SyscallEntry(string Name, int X86_64, int Aarch64, int X86, int Arm, int X32);

/// <summary>The parsed syscalls.tsv: rows in file order, plus the lines that could not be read.</summary>
public sealed record SyscallTableModel(string FilePath, EquatableArray<SyscallEntry> Entries, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public const string FileName = "syscalls.tsv";

    public static readonly SyscallTableModel Missing = new(string.Empty, EquatableArray<SyscallEntry>.Empty, EquatableArray<DiagnosticInfo>.Empty);

    public bool IsMissing => FilePath.Length == 0;

    public SyscallEntry? Find(string name)
    {
        foreach (SyscallEntry entry in Entries)
        {
            if (entry.Name == name)
            {
                return entry;
            }
        }

        return null;
    }

    public static bool IsTableFile(string path) =>
        string.Equals(System.IO.Path.GetFileName(path), FileName, StringComparison.OrdinalIgnoreCase);

    /// <summary>The columns after the name, in file order.</summary>
    public static readonly string[] Architectures = { "x86_64", "aarch64", "x86", "arm", "x32" };

    /// <summary>Parses <c>name TAB x86_64 TAB aarch64 TAB x86 TAB arm TAB x32</c> lines; '#' starts a comment line, '-' marks an absent call.</summary>
    public static SyscallTableModel Parse(string filePath, SourceText? text)
    {
        var entries = new List<SyscallEntry>();
        var diagnostics = new List<DiagnosticInfo>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (text is null)
        {
            return new SyscallTableModel(filePath, EquatableArray<SyscallEntry>.Empty, EquatableArray<DiagnosticInfo>.Empty);
        }

        foreach (TextLine line in text.Lines)
        {
            string content = line.ToString().TrimEnd('\r');
            if (content.Trim().Length == 0 || content.TrimStart().StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            string[] fields = content.Split('\t');
            string? problem = null;
            var numbers = new int[Architectures.Length];
            if (fields.Length != Architectures.Length + 1)
            {
                problem = $"expected {Architectures.Length + 1} tab-separated fields (name, {string.Join(", ", Architectures)}), found {fields.Length}";
            }
            else if (!IsIdentifier(fields[0]))
            {
                problem = $"'{fields[0]}' is not a syscall name";
            }
            else if (!TryNumbers(fields, numbers))
            {
                problem = "numbers must be non-negative integers or '-'";
            }
            else if (!seen.Add(fields[0]))
            {
                problem = $"'{fields[0]}' is listed twice";
            }

            if (problem is not null)
            {
                var location = new LocationInfo(filePath, line.Span, text.Lines.GetLinePositionSpan(line.Span));
                diagnostics.Add(DiagnosticInfo.Create(SyscallDiagnostics.MalformedTableLine, location, (line.LineNumber + 1).ToString(CultureInfo.InvariantCulture), problem));
                continue;
            }

            entries.Add(new SyscallEntry(fields[0], numbers[0], numbers[1], numbers[2], numbers[3], numbers[4]));
        }

        return new SyscallTableModel(filePath, entries.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    private static bool TryNumbers(string[] fields, int[] numbers)
    {
        for (int i = 0; i < numbers.Length; i++)
        {
            if (!TryNumber(fields[i + 1], out numbers[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryNumber(string field, out int number)
    {
        if (field == "-")
        {
            number = -1;
            return true;
        }

        return int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || char.IsDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            {
                return false;
            }
        }

        return true;
    }
}
