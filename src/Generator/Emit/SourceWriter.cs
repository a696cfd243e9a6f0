using System;
using System.Text;

namespace HuggingFace.Inference.Generator.Emit
{
    /// <summary>Writes C# source with consistent indentation and line endings.</summary>
    internal sealed class SourceWriter
    {
        private const string IndentUnit = "    ";
        private readonly StringBuilder _builder = new StringBuilder();
        private int _indent;

        public SourceWriter Line(string text = "")
        {
            if (text.Length > 0)
            {
                for (var i = 0; i < _indent; i++)
                {
                    _builder.Append(IndentUnit);
                }

                _builder.Append(text);
            }

            _builder.Append('\n');
            return this;
        }

        public SourceWriter OpenBlock(string header)
        {
            Line(header);
            Line("{");
            _indent++;
            return this;
        }

        /// <summary>Indents the following lines one level more (for continuation lines of an expression).</summary>
        public SourceWriter Indent()
        {
            _indent++;
            return this;
        }

        public SourceWriter Outdent()
        {
            _indent--;
            return this;
        }

        public SourceWriter CloseBlock(string suffix = "")
        {
            _indent--;
            return Line("}" + suffix);
        }

        /// <summary>Writes an XML documentation element, escaping the text and keeping its line breaks.</summary>
        public SourceWriter Doc(string element, string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return this;
            }

            var lines = XmlEscape(text!.Trim()).Replace("\r\n", "\n").Split('\n');
            if (lines.Length == 1)
            {
                return Line("/// <" + element + ">" + lines[0].Trim() + "</" + element + ">");
            }

            Line("/// <" + element + ">");
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimEnd();
                // A blank line in a schema description is a paragraph break.
                Line(line.Length == 0 ? "/// <para/>" : "/// " + line);
            }

            return Line("/// </" + element + ">");
        }

        public override string ToString() => _builder.ToString();

        public static string XmlEscape(string text) =>
            text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        /// <summary>A C# string literal for <paramref name="value"/>.</summary>
        public static string Literal(string value)
        {
            var builder = new StringBuilder(value.Length + 2).Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (char.IsControl(c))
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4"));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.Append('"').ToString();
        }
    }
}
