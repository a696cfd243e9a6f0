using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HuggingFace.Inference.Generator.Parsing
{
    /// <summary>
    /// Text-level work on a schema document that NJsonSchema cannot do for us: reading it with
    /// line information (for diagnostics), and rewriting draft-2019 <c>$defs</c> into the
    /// <c>definitions</c> that NJsonSchema 10.7 resolves.
    /// </summary>
    internal static class SchemaDocumentText
    {
        private static readonly JsonLoadSettings LineInfo = new JsonLoadSettings
        {
            LineInfoHandling = LineInfoHandling.Load,
            CommentHandling = CommentHandling.Ignore,
            DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
        };

        /// <summary>Parses JSON keeping line numbers; on failure returns null with the error and its position (zero-based).</summary>
        public static JObject? TryParse(string text, out string? error, out int line, out int column)
        {
            error = null;
            line = 0;
            column = 0;
            try
            {
                var token = JToken.Parse(text, LineInfo);
                if (token is JObject root)
                {
                    return root;
                }

                error = "the document is a JSON " + token.Type.ToString().ToLowerInvariant() + ", not an object";
                return null;
            }
            catch (JsonReaderException exception)
            {
                error = exception.Message;
                line = Math.Max(0, exception.LineNumber - 1);
                column = Math.Max(0, exception.LinePosition - 1);
                return null;
            }
        }

        /// <summary>The document's <c>$id</c>, or null.</summary>
        public static string? GetId(JObject root) => (root["$id"] as JValue)?.Value as string;

        /// <summary>The JSON text NJsonSchema reads: <c>$defs</c> renamed to <c>definitions</c>, in keys and in <c>$ref</c>s.</summary>
        public static string ForNJsonSchema(JObject root)
        {
            var copy = (JObject)root.DeepClone();
            Rewrite(copy);
            return copy.ToString(Formatting.None);
        }

        private static void Rewrite(JToken token)
        {
            switch (token)
            {
                case JObject obj:
                    foreach (var property in new List<JProperty>(obj.Properties()))
                    {
                        if (property.Name == "$defs")
                        {
                            // JProperty copies a value that already has a parent: rewrite the copy.
                            var renamed = new JProperty("definitions", property.Value);
                            property.Replace(renamed);
                            Rewrite(renamed.Value);
                        }
                        else if (property.Name == "$ref" && property.Value is JValue { Value: string reference })
                        {
                            property.Value = new JValue(reference.Replace("#/$defs/", "#/definitions/"));
                        }
                        else
                        {
                            Rewrite(property.Value);
                        }
                    }

                    break;
                case JArray array:
                    foreach (var item in array)
                    {
                        Rewrite(item);
                    }

                    break;
            }
        }

        /// <summary>
        /// Finds the token at a JSON pointer, treating <c>definitions</c> and <c>$defs</c> as the same
        /// segment (the walker sees NJsonSchema's names, the file has the author's).
        /// </summary>
        public static JToken? Find(JObject root, string pointer)
        {
            JToken? current = root;
            foreach (var raw in pointer.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var segment = raw.Replace("~1", "/").Replace("~0", "~");
                switch (current)
                {
                    case JObject obj:
                        current = obj[segment]
                            ?? (segment == "definitions" ? obj["$defs"] : segment == "$defs" ? obj["definitions"] : null);
                        break;
                    case JArray array when int.TryParse(segment, out var index) && index >= 0 && index < array.Count:
                        current = array[index];
                        break;
                    default:
                        return null;
                }

                if (current == null)
                {
                    return null;
                }
            }

            return current;
        }

        /// <summary>The zero-based line and column of a token, or (0, 0) when unknown.</summary>
        public static (int Line, int Column) PositionOf(JToken? token)
        {
            // A property's value reports the position after its key; the property itself is more useful.
            var target = token?.Parent is JProperty property ? property : token;
            if (target is IJsonLineInfo info && info.HasLineInfo())
            {
                return (info.LineNumber - 1, Math.Max(0, info.LinePosition - 1));
            }

            return (0, 0);
        }
    }
}
