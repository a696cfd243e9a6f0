using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using HuggingFace.Inference.Generator.Diagnostics;
using HuggingFace.Inference.Generator.Emit;
using HuggingFace.Inference.Generator.Model;
using HuggingFace.Inference.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace HuggingFace.Inference.Generator.Refit
{
    /// <summary>
    /// The library's own Refit interfaces, from specs embedded in this assembly (linked from the
    /// repository's specs/ folder, so that folder stays the only copy). They are post-initialization
    /// output because that is the only output Refit's source generator sees: it runs on the compilation
    /// as it is before any generator's regular output. Post-initialization cannot read AdditionalFiles,
    /// options or report diagnostics, hence the embedded copies, and hence <see cref="Check"/>, which the
    /// regular pipeline runs against the AdditionalFiles copy to report what went wrong (HFGEN013).
    /// Nothing here throws: a spec that cannot be read yields no interface and a problem.
    /// </summary>
    internal static class EmbeddedRefitSpecs
    {
        /// <summary>One embedded OpenAPI document and the interface it becomes.</summary>
        internal sealed record Entry(string Resource, string DisplayPath, string Namespace, string InterfaceName);

        /// <summary>One generated interface.</summary>
        internal sealed record Output(string HintName, string Source);

        /// <summary>What the embedded specs yield: the interfaces, and the problems that kept any from generating.</summary>
        internal sealed record Result(EquatableArray<Output> Sources, EquatableArray<string> Problems);

        public static readonly Entry[] Entries =
        {
            new Entry("HuggingFace.Inference.Generator.Specs.endpoints-openapi.json", "specs/endpoints-openapi.json", "HuggingFace.Inference.Endpoints", "IInferenceEndpointsApi"),
            new Entry("HuggingFace.Inference.Generator.Specs.endpoints-catalog-openapi.json", "specs/endpoints-catalog-openapi.json", "HuggingFace.Inference.Endpoints", "IInferenceCatalogApi"),
            new Entry("HuggingFace.Inference.Generator.Specs.tgi-openapi.json", "specs/tgi-openapi.json", "HuggingFace.Inference.Tgi", "ITextGenerationInferenceApi"),
            new Entry("HuggingFace.Inference.Generator.Specs.tei-openapi.json", "specs/tei-openapi.json", "HuggingFace.Inference.Tei", "ITextEmbeddingsInferenceApi"),
        };

        /// <summary>The task manifest, whose tasks become one interface over the hf-inference wire.</summary>
        public static readonly Entry Manifest =
            new Entry("HuggingFace.Inference.Generator.Specs.inference.tasks.json", "specs/inference/tasks.json", "HuggingFace.Inference", "IHfInferenceApi");

        private static readonly Lazy<Result> Embedded = new Lazy<Result>(() => Build(ReadResource), LazyThreadSafetyMode.ExecutionAndPublication);

        /// <summary>The interfaces of the specs in this assembly, built once per process.</summary>
        public static Result Current => Embedded.Value;

        /// <summary>The post-initialization step: adds every interface (each inside its #if).</summary>
        public static void AddSources(IncrementalGeneratorPostInitializationContext context)
        {
            foreach (var output in Current.Sources)
            {
                context.AddSource(output.HintName, output.Source);
            }
        }

        /// <summary>Builds the interfaces from the texts <paramref name="read"/> returns (null: missing); never throws.</summary>
        public static Result Build(Func<string, string?> read)
        {
            var sources = new List<Output>();
            var problems = new List<string>();
            foreach (var entry in Entries)
            {
                try
                {
                    var text = read(entry.Resource);
                    if (text == null)
                    {
                        problems.Add(entry.DisplayPath + ": not embedded in the generator");
                        continue;
                    }

                    var file = new SpecFile(entry.DisplayPath, entry.DisplayPath, "openapi", text, entry.Namespace);
                    var documents = SpecFileParser.ReadDocument(file) is { } document ? new[] { document }.ToEquatableArray() : EquatableArray<SchemaDocument>.Empty;
                    var model = SpecFileParser.Parse(new FileParseInput(file, documents), CancellationToken.None);
                    var errors = model.Diagnostics
                        .Where(d => DiagnosticDescriptors.Find(d.Id)?.DefaultSeverity == DiagnosticSeverity.Error || (d.Id == DiagnosticDescriptors.UnsupportedConstruct.Id && !IsSchemaPointer(d)))
                        .Select(d => entry.DisplayPath + " (" + d.Id + " at line " + (d.Line + 1) + "): " + string.Join(", ", d.Arguments))
                        .ToList();
                    problems.AddRange(errors);
                    if (model.Api == null || model.Api.Operations.Count == 0)
                    {
                        problems.Add(entry.DisplayPath + ": no operation could be read, so " + entry.InterfaceName + " is not generated");
                        continue;
                    }

                    sources.Add(new Output(RefitInterfaceEmitter.HintName(entry.Namespace, entry.InterfaceName), RefitInterfaceEmitter.Emit(model.Api, entry.InterfaceName)));
                }
                catch (Exception exception)
                {
                    problems.Add(entry.DisplayPath + ": " + exception.GetType().Name + ": " + exception.Message);
                }
            }

            try
            {
                var manifest = read(Manifest.Resource);
                if (manifest == null)
                {
                    problems.Add(Manifest.DisplayPath + ": not embedded in the generator");
                }
                else if (ReadTasks(manifest, problems) is { Count: > 0 } tasks)
                {
                    sources.Add(new Output(
                        RefitInterfaceEmitter.HintName(Manifest.Namespace, Manifest.InterfaceName),
                        RefitTaskInterfaceEmitter.Emit(tasks, Manifest.Namespace, Manifest.InterfaceName, Manifest.DisplayPath)));
                }
            }
            catch (Exception exception)
            {
                problems.Add(Manifest.DisplayPath + ": " + exception.GetType().Name + ": " + exception.Message);
            }

            return new Result(sources.ToEquatableArray(), problems.ToEquatableArray());
        }

        /// <summary>
        /// The wire of each task in the manifest. Only what the route needs is read here; the regular
        /// pipeline checks the rest against the generated types (HFGEN007).
        /// </summary>
        private static List<RefitTaskInterfaceEmitter.TaskWire> ReadTasks(string text, List<string> problems)
        {
            var tasks = new List<RefitTaskInterfaceEmitter.TaskWire>();
            Newtonsoft.Json.Linq.JToken root;
            try
            {
                root = Newtonsoft.Json.Linq.JToken.Parse(text);
            }
            catch (Newtonsoft.Json.JsonException exception)
            {
                problems.Add(Manifest.DisplayPath + ": not valid JSON: " + exception.Message);
                return tasks;
            }

            // Each task's types are in its group's namespace (the manifest's groups; the regular pipeline reports their problems).
            var groups = (TaskGroups.Read(root, new List<(Newtonsoft.Json.Linq.JToken, string)>()) ?? new List<(string Task, string Group)>())
                .ToDictionary(p => p.Task, p => TaskGroups.Namespace(Manifest.Namespace, p.Group), StringComparer.Ordinal);
            foreach (var item in (root["tasks"] as Newtonsoft.Json.Linq.JArray)?.OfType<Newtonsoft.Json.Linq.JObject>() ?? Enumerable.Empty<Newtonsoft.Json.Linq.JObject>())
            {
                var task = (string?)item["task"];
                var method = (string?)item["method"];
                var body = (string?)item["body"];
                var response = (string?)item["response"];
                if (string.IsNullOrEmpty(task) || string.IsNullOrEmpty(method) || string.IsNullOrEmpty(body) || string.IsNullOrEmpty(response))
                {
                    problems.Add(Manifest.DisplayPath + ": a task without task, method, body or response is left out of " + Manifest.InterfaceName);
                    continue;
                }

                tasks.Add(new RefitTaskInterfaceEmitter.TaskWire(task!, method!, (string?)item["summary"], body!, response!, (string?)item["pipeline"], (string?)item["accept"])
                {
                    TypeNamespace = groups.TryGetValue(task!, out var typeNamespace) ? typeNamespace : null,
                });
            }

            return tasks;
        }

        /// <summary>
        /// The regular pipeline's report for a project that compiles the interfaces (it defines
        /// <see cref="RefitInterfaceEmitter.Symbol"/>): the embedded specs' problems, and an AdditionalFiles
        /// copy of an embedded spec whose text is not the embedded one (the generator was built from another
        /// version of the document, so the interface and the types disagree). Empty otherwise.
        /// </summary>
        public static EquatableArray<DiagnosticInfo> Check(bool enabled, IEnumerable<SpecFile> files, Result embedded, Func<string, string?> read)
        {
            if (!enabled)
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            var diagnostics = new List<DiagnosticInfo>();
            var fileList = files.ToList();
            foreach (var problem in embedded.Problems)
            {
                var at = fileList.FirstOrDefault(f => problem.StartsWith(f.DisplayPath, StringComparison.Ordinal))?.Path ?? string.Empty;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RefitInterface, at, 0, 0, problem));
            }

            foreach (var entry in Entries.Concat(new[] { Manifest }))
            {
                var copy = fileList.FirstOrDefault(f => f.DisplayPath == entry.DisplayPath);
                var text = read(entry.Resource);
                if (copy != null && text != null && Normalize(copy.Text) != Normalize(text))
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.RefitInterface,
                        copy.Path,
                        0,
                        0,
                        entry.DisplayPath + " differs from the copy embedded in the generator, so " + entry.InterfaceName + " does not follow it: rebuild the generator"));
                }
            }

            return diagnostics.ToEquatableArray();
        }

        /// <summary>An embedded spec's text; null when it is not embedded.</summary>
        public static string? ReadResource(string name)
        {
            using var stream = typeof(EmbeddedRefitSpecs).Assembly.GetManifestResourceStream(name);
            if (stream == null)
            {
                return null;
            }

            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        /// <summary>
        /// An HFGEN004 at a schema (<c>#/…</c>) leaves the interface whole (that member is JsonElement) and the
        /// regular pipeline reports it at the AdditionalFiles copy already; one at an operation drops a method, which is
        /// what HFGEN013 is for.
        /// </summary>
        private static bool IsSchemaPointer(DiagnosticInfo diagnostic) =>
            diagnostic.Arguments.Count > 1 && diagnostic.Arguments[1].StartsWith("#/", StringComparison.Ordinal);

        private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd();
    }
}
