using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HuggingFace.Inference.Generator.Diagnostics;
using HuggingFace.Inference.Generator.Model;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace HuggingFace.Inference.Generator.Parsing
{
    /// <summary>Turns one spec file into its <see cref="FileModel"/>. Never throws: problems become diagnostics.</summary>
    internal static class SpecFileParser
    {
        /// <summary>The document other specs refer to by <c>$id</c>, as NJsonSchema will read it; null when the file is not a JSON object.</summary>
        public static SchemaDocument? ReadDocument(SpecFile file)
        {
            var root = Load(file, null, out _, out _, out _, out _);
            return root == null ? null : new SchemaDocument(IdOf(root, file), SchemaDocumentText.ForNJsonSchema(root));
        }

        public static FileModel Parse(SpecFile file, EquatableArray<SchemaDocument> documents, CancellationToken cancellationToken)
        {
            var diagnostics = new List<DiagnosticInfo>();
            try
            {
                var root = Load(file, diagnostics, out var error, out var line, out var column, out var openApi);
                if (root == null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidJson, file.Path, line, column, file.DisplayPath, error ?? "unknown error"));
                    return Result(file, Array.Empty<TypeSpec>(), diagnostics);
                }

                var id = IdOf(root, file);
                var texts = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var document in documents)
                {
                    if (!texts.ContainsKey(document.Id))
                    {
                        texts.Add(document.Id, document.Text);
                    }
                }

                SchemaChecks.Run(root, file.Path, id, new LazyDocuments(texts), diagnostics);
                cancellationToken.ThrowIfCancellationRequested();

                // FromJsonAsync completes synchronously: every reference is answered from memory.
                var schema = JsonSchema.FromJsonAsync(
                        SchemaDocumentText.ForNJsonSchema(root),
                        InMemoryReferenceResolver.DocumentUrl(id),
                        r => new InMemoryReferenceResolver(r, texts),
                        cancellationToken)
                    .GetAwaiter()
                    .GetResult();

                var types = SchemaWalker.Walk(schema, root, file.Path, file.DisplayPath, diagnostics);
                if (openApi == null)
                {
                    return Result(file, types, diagnostics);
                }

                var api = OpenApiOperationsParser.Parse(openApi, file, types, diagnostics);
                return Result(file, types.Select(t => t with { Namespace = file.OpenApiNamespace }), diagnostics) with { Api = api };
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                // A compiler component must not throw; whatever went wrong is reported against the file.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath, exception.GetType().Name + ": " + exception.Message));
                return Result(file, Array.Empty<TypeSpec>(), diagnostics);
            }
        }

        /// <summary>
        /// The schema document of a spec file. An OpenAPI document's <c>components.schemas</c> become the
        /// definitions of a JSON Schema document (refs rewritten), so that both kinds of spec share one
        /// parser, model and emitter. The moved tokens keep their line numbers for diagnostics.
        /// </summary>
        private static JObject? Load(SpecFile file, List<DiagnosticInfo>? diagnostics, out string? error, out int line, out int column, out JObject? openApi)
        {
            var root = SchemaDocumentText.TryParse(file.Text, out error, out line, out column);
            openApi = null;
            if (root != null && file.Fixes.Count > 0)
            {
                SpecFixes.Apply(root, file, diagnostics);
            }

            if (root == null || file.OpenApiNamespace == null)
            {
                return root;
            }

            if (!(root["components"]?["schemas"] is JObject schemas))
            {
                error = "an OpenAPI document without components.schemas";
                return null;
            }

            ((JProperty)schemas.Parent!).Remove();
            foreach (var reference in schemas.Descendants().OfType<JProperty>().Where(p => p.Name == "$ref" && p.Value.Type == JTokenType.String).ToList())
            {
                ((JValue)reference.Value).Value = ((string)reference.Value!).Replace("#/components/schemas/", "#/definitions/");
            }

            openApi = root;
            return new JObject { ["$id"] = "/" + file.DisplayPath, ["definitions"] = schemas };
        }

        private static FileModel Result(SpecFile file, IEnumerable<TypeSpec> types, List<DiagnosticInfo> diagnostics) =>
            new FileModel(file.Path, file.DisplayPath, types.ToEquatableArray(), diagnostics.ToEquatableArray());

        private static string IdOf(JObject root, SpecFile file) =>
            SchemaDocumentText.GetId(root) ?? "/" + file.DisplayPath;

        /// <summary>Parses other documents only when a $ref of this file needs them.</summary>
        private sealed class LazyDocuments : IReadOnlyDictionary<string, JObject>
        {
            private readonly IReadOnlyDictionary<string, string> _texts;
            private readonly Dictionary<string, JObject?> _parsed = new Dictionary<string, JObject?>(StringComparer.Ordinal);

            public LazyDocuments(IReadOnlyDictionary<string, string> texts) => _texts = texts;

            public bool TryGetValue(string key, out JObject value)
            {
                if (!_parsed.TryGetValue(key, out var parsed))
                {
                    parsed = _texts.TryGetValue(key, out var text) ? SchemaDocumentText.TryParse(text, out _, out _, out _) : null;
                    _parsed[key] = parsed;
                }

                value = parsed!;
                return parsed != null;
            }

            public JObject this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

            public IEnumerable<string> Keys => _texts.Keys;

            public IEnumerable<JObject> Values => throw new NotSupportedException();

            public int Count => _texts.Count;

            public bool ContainsKey(string key) => _texts.ContainsKey(key);

            public IEnumerator<KeyValuePair<string, JObject>> GetEnumerator() => throw new NotSupportedException();

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
