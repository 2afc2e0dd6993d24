using System;
using System.Text;

namespace Containers.Generators.Common;

/// <summary>
/// Builds C# source line by line with four-space indentation. Blocks are opened with
/// <see cref="OpenBlock"/> and closed by disposing the returned scope, so braces always pair.
/// </summary>
public sealed class IndentedWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _depth;

    public int Depth => _depth;

    public IndentedWriter Line()
    {
        _builder.Append('\n');
        return this;
    }

    /// <summary>Writes one line at the current depth; embedded newlines are indented too.</summary>
    public IndentedWriter Line(string text)
    {
        if (text.IndexOf('\n') >= 0)
        {
            foreach (string part in text.Split('\n'))
            {
                Line(part.TrimEnd('\r'));
            }

            return this;
        }

        if (text.Length > 0)
        {
            for (int i = 0; i < _depth; i++)
            {
                _builder.Append(IndentUnit);
            }

            _builder.Append(text);
        }

        _builder.Append('\n');
        return this;
    }

    public void Indent() => _depth++;

    public void Unindent()
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("Unbalanced indentation.");
        }

        _depth--;
    }

    /// <summary>Writes <paramref name="header"/> (if any), then "{", and indents until the scope is disposed.</summary>
    public Block OpenBlock(string? header = null, string closing = "}")
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        Indent();
        return new Block(this, closing);
    }

    public override string ToString() => _builder.ToString();

    public readonly struct Block : IDisposable
    {
        private readonly IndentedWriter _writer;
        private readonly string _closing;

        internal Block(IndentedWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer.Unindent();
            _writer.Line(_closing);
        }
    }
}
