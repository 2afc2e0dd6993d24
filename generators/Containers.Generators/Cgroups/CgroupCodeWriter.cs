using System.Text;

namespace Containers.Generators.Cgroups;

/// <summary>A small indented text writer: generated code is text, not SyntaxFactory trees.</summary>
internal sealed class CgroupCodeWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
    }

    /// <summary>Writes the line and "{", and indents until the result is disposed.</summary>
    public Block Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return new Block(this);
    }

    public override string ToString() => _text.ToString();

    public readonly struct Block : System.IDisposable
    {
        private readonly CgroupCodeWriter _writer;

        public Block(CgroupCodeWriter writer) => _writer = writer;

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line("}");
        }
    }

    /// <summary>A C# string literal for <paramref name="value"/>.</summary>
    public static string Literal(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
