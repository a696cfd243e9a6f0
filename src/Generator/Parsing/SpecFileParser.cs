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
        /// <summary>
        /// The document other specs refer to by <c>$id</c>, as NJsonSchema will read it, with the ids of the documents
        /// its <c>$ref</c>s point into; null when the file is not a usable JSON object (<see cref="Parse"/> says why).
        /// </summary>
        public static SchemaDocument? ReadDocument(SpecFile file)
        {
            if (file.ReadError != null)
            {
                return null;
            }

            // Whatever throws here throws again in Parse, inside its guard, and is reported there.
            return StepGuard.Run<SchemaDocument?>(file.Path, file.DisplayPath, () =>
            {
                var root = Load(file, null, out _, out _, out _, out _, out _);
                if (root == null)
                {
                    return null;
                }

                var id = IdOf(root, file);
                return new SchemaDocument(id, SchemaDocumentText.ForNJsonSchema(root), ReferencedIds(root, id));
            }, _ => null);
        }

        /// <summary>
        /// The documents a file's parse needs: its own and every document its <c>$ref</c>s reach, transitively.
        /// An id defined twice keeps the first document of <paramref name="all"/> (ordered by id), as the parse always did.
        /// </summary>
        public static EquatableArray<SchemaDocument> Reachable(SchemaDocument? own, EquatableArray<SchemaDocument> all)
        {
            if (own == null)
            {
                return EquatableArray<SchemaDocument>.Empty;
            }

            var byId = new Dictionary<string, SchemaDocument>(StringComparer.Ordinal);
            foreach (var document in all)
            {
                if (!byId.ContainsKey(document.Id))
                {
                    byId.Add(document.Id, document);
                }
            }

            var reached = new List<SchemaDocument>();
            var seen = new HashSet<string>(StringComparer.Ordinal) { own.Id };
            var pending = new Queue<SchemaDocument>();
            pending.Enqueue(byId.TryGetValue(own.Id, out var first) ? first : own);
            while (pending.Count > 0)
            {
                var document = pending.Dequeue();
                reached.Add(document);
                foreach (var reference in document.References)
                {
                    if (seen.Add(reference) && byId.TryGetValue(reference, out var target))
                    {
                        pending.Enqueue(target);
                    }
                }
            }

            return reached.OrderBy(d => d.Id, StringComparer.Ordinal).ToEquatableArray();
        }

        public static FileModel Parse(FileParseInput input, CancellationToken cancellationToken)
        {
            var file = input.File;
            var diagnostics = new List<DiagnosticInfo>();
            if (file.ReadError != null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath, "the file could not be read: " + file.ReadError));
                return Result(file, Array.Empty<TypeSpec>(), diagnostics);
            }

            try
            {
                var root = Load(file, diagnostics, out var error, out var line, out var column, out var openApi, out var structural);
                if (root == null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(structural ? DiagnosticDescriptors.InternalError : DiagnosticDescriptors.InvalidJson, file.Path, line, column, file.DisplayPath, error ?? "unknown error"));
                    return Result(file, Array.Empty<TypeSpec>(), diagnostics);
                }

                var id = IdOf(root, file);
                var texts = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var document in input.Documents)
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
                    return Result(file, types.Select(t => t with { Task = file.Task }), diagnostics);
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
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath, StepGuard.Describe(exception)));
                return Result(file, Array.Empty<TypeSpec>(), diagnostics);
            }
        }

        /// <summary>
        /// The schema document of a spec file. An OpenAPI document's <c>components.schemas</c> become the
        /// definitions of a JSON Schema document (refs rewritten), so that both kinds of spec share one
        /// parser, model and emitter. The moved tokens keep their line numbers for diagnostics.
        /// </summary>
        /// <param name="structural">True when the file is JSON but not a usable OpenAPI document (the error is not a syntax error).</param>
        private static JObject? Load(SpecFile file, List<DiagnosticInfo>? diagnostics, out string? error, out int line, out int column, out JObject? openApi, out bool structural)
        {
            var root = SchemaDocumentText.TryParse(file.Text, out error, out line, out column);
            openApi = null;
            structural = false;
            if (root != null && file.Fixes.Count > 0)
            {
                SpecFixes.Apply(root, file, diagnostics);
            }

            if (root == null || file.OpenApiNamespace == null)
            {
                return root;
            }

            // Only objects are indexed by name: JToken's indexer throws on an array or a value.
            var components = root["components"];
            if (!(components is JObject componentsObject && componentsObject["schemas"] is JObject schemas))
            {
                var at = components is JObject found ? found["schemas"] ?? components : components ?? root;
                (line, column) = SchemaDocumentText.PositionOf(at);
                error = components == null || components is JObject
                    ? "an OpenAPI document needs components.schemas, an object of schemas"
                    : "components is a JSON " + components.Type.ToString().ToLowerInvariant() + ", not an object with schemas";
                structural = true;
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

        /// <summary>The ids of the other documents the <c>$ref</c>s of <paramref name="root"/> point into.</summary>
        private static EquatableArray<string> ReferencedIds(JObject root, string id)
        {
            var ids = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var reference in root.Descendants().OfType<JProperty>().Where(p => p.Name == "$ref" && p.Value.Type == JTokenType.String))
            {
                var text = (string)reference.Value!;
                var hash = text.IndexOf('#');
                var documentPart = hash < 0 ? text : text.Substring(0, hash);
                if (documentPart.Length > 0 && SchemaChecks.ResolveId(documentPart, id) is { } target && target != id)
                {
                    ids.Add(target);
                }
            }

            return ids.ToEquatableArray();
        }

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
