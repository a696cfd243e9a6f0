using System;
using System.Collections.Generic;
using HuggingFace.Inference.Generator.Diagnostics;
using Newtonsoft.Json.Linq;

namespace HuggingFace.Inference.Generator.Parsing
{
    /// <summary>
    /// Checks made on a spec's JSON before NJsonSchema reads it: keywords the generator does
    /// not understand, and <c>$ref</c>s that point nowhere. Both are reported with the exact
    /// line; a dangling <c>$ref</c> is removed so that the member becomes untyped JSON and the
    /// rest of the file still generates.
    /// </summary>
    internal static class SchemaChecks
    {
        // Keywords that shape the generated types, plus annotations and validations that are
        // documented or deliberately ignored (they constrain values, not types).
        private static readonly HashSet<string> KnownKeywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "$id", "$schema", "$ref", "$defs", "definitions", "$comment", "comment",
            "title", "description", "type", "properties", "required", "items", "additionalProperties",
            "enum", "const", "oneOf", "anyOf", "allOf", "discriminator", "nullable", "format",
            "default", "example", "examples", "deprecated", "readOnly", "writeOnly",
            "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
            "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
            "minProperties", "maxProperties",
        };

        // Members whose value is a map of names to schemas.
        private static readonly HashSet<string> SchemaMaps = new HashSet<string>(StringComparer.Ordinal)
        {
            "properties", "$defs", "definitions",
        };

        // Members whose value is one schema or a list of schemas.
        private static readonly HashSet<string> SchemaValues = new HashSet<string>(StringComparer.Ordinal)
        {
            "items", "additionalProperties", "oneOf", "anyOf", "allOf",
        };

        public static void Run(JObject root, string filePath, string documentId, IReadOnlyDictionary<string, JObject> documentsById, List<DiagnosticInfo> diagnostics)
        {
            CheckSchema(root, filePath, documentId, root, documentsById, diagnostics);
        }

        private static void CheckSchema(JObject schema, string filePath, string documentId, JObject root, IReadOnlyDictionary<string, JObject> documentsById, List<DiagnosticInfo> diagnostics)
        {
            foreach (var property in new List<JProperty>(schema.Properties()))
            {
                if (!KnownKeywords.Contains(property.Name))
                {
                    var (line, column) = SchemaDocumentText.PositionOf(property.Value);
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedKeyword, filePath, line, column, filePath, property.Name));
                    continue;
                }

                if (property.Name == "$ref" && property.Value is JValue { Value: string reference })
                {
                    if (!Resolves(reference, documentId, root, documentsById))
                    {
                        var (line, column) = SchemaDocumentText.PositionOf(property.Value);
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnresolvedReference, filePath, line, column, filePath, reference));
                        property.Remove();
                    }

                    continue;
                }

                if (SchemaMaps.Contains(property.Name) && property.Value is JObject map)
                {
                    foreach (var entry in map.Properties())
                    {
                        if (entry.Value is JObject member)
                        {
                            CheckSchema(member, filePath, documentId, root, documentsById, diagnostics);
                        }
                    }
                }
                else if (SchemaValues.Contains(property.Name))
                {
                    if (property.Value is JObject single)
                    {
                        CheckSchema(single, filePath, documentId, root, documentsById, diagnostics);
                    }
                    else if (property.Value is JArray list)
                    {
                        foreach (var item in list)
                        {
                            if (item is JObject member)
                            {
                                CheckSchema(member, filePath, documentId, root, documentsById, diagnostics);
                            }
                        }
                    }
                }
            }
        }

        private static bool Resolves(string reference, string documentId, JObject root, IReadOnlyDictionary<string, JObject> documentsById)
        {
            var hash = reference.IndexOf('#');
            var documentPart = hash < 0 ? reference : reference.Substring(0, hash);
            var pointer = hash < 0 ? string.Empty : reference.Substring(hash + 1);

            JObject? target;
            if (documentPart.Length == 0)
            {
                target = root;
            }
            else
            {
                var id = ResolveId(documentPart, documentId);
                if (id == null || !documentsById.TryGetValue(id, out target))
                {
                    return false;
                }
            }

            return pointer.Length == 0 || SchemaDocumentText.Find(target, pointer) is JObject;
        }

        /// <summary>Resolves a document reference against the referring document's <c>$id</c>, as a URL path would be.</summary>
        /// <returns>The id, or null for an absolute URL or a reference that is no URL at all.</returns>
        internal static string? ResolveId(string documentPart, string documentId)
        {
            if (documentPart.StartsWith("http://", StringComparison.Ordinal) || documentPart.StartsWith("https://", StringComparison.Ordinal))
            {
                return null;
            }

            return Uri.TryCreate(InMemoryReferenceResolver.DocumentUrl(documentId), UriKind.Absolute, out var baseUri) && Uri.TryCreate(baseUri, documentPart, out var resolved)
                ? resolved.AbsolutePath
                : null;
        }
    }
}
