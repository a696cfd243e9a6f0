using System;
using System.Linq;
using System.Threading;
using HuggingFace.Inference.Generator.Diagnostics;
using HuggingFace.Inference.Generator.Emit;
using HuggingFace.Inference.Generator.Model;
using HuggingFace.Inference.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HuggingFace.Inference.Generator
{
    /// <summary>
    /// Generates C# types from JSON Schema spec files: every AdditionalFiles item with
    /// <c>HuggingFaceTask</c> metadata. Pipeline: spec files → schema documents (for
    /// cross-file <c>$ref</c>s) → one model per file → merged model set → one source file per type.
    /// Beside them: the task wire manifest (<c>HuggingFaceTaskApi</c>), OpenAPI documents (<c>HuggingFaceOpenApi</c>)
    /// and the provider registry (<c>HuggingFaceProvider="true"</c>, specs/providers/*.json → ProviderRegistry.g.cs).
    /// Every step's output is plain equatable data, so an unrelated edit re-runs nothing, and a spec edit re-parses
    /// only that file and the files whose <c>$ref</c>s reach it. Every step is guarded: a throw is a diagnostic
    /// against the spec file (HFGEN006 while reading and parsing, HFGEN011 while emitting), never CS8785.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class SpecGenerator : IIncrementalGenerator
    {
        /// <summary>The AdditionalFiles metadata that marks a spec file; its value is the task name.</summary>
        public const string TaskMetadata = "HuggingFaceTask";

        /// <summary>The AdditionalFiles metadata that marks the task wire manifest (specs/inference/tasks.json).</summary>
        public const string TaskApiMetadata = "HuggingFaceTaskApi";

        /// <summary>The AdditionalFiles metadata that marks an OpenAPI document; its value is the namespace of its types.</summary>
        public const string OpenApiMetadata = "HuggingFaceOpenApi";

        /// <summary>The AdditionalFiles metadata that marks a provider file of the registry (specs/providers/*.json): "true".</summary>
        public const string ProviderMetadata = "HuggingFaceProvider";

        /// <summary>The task name of common-definitions.json, which is no task.</summary>
        public const string CommonTask = "common";

        /// <summary>The MSBuild property that sets the generated types' namespace (default: RootNamespace).</summary>
        public const string NamespaceProperty = "HuggingFaceGeneratedNamespace";

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var options = context.AnalyzerConfigOptionsProvider
                .Select((provider, _) => ReadOptions(provider.GlobalOptions))
                .WithTrackingName(TrackingNames.Options);

            var manifests = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select((pair, cancellationToken) => ReadManifest(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
                .Where(file => file != null)
                .Select((file, _) => file!)
                .WithTrackingName(TrackingNames.TaskManifest);

            // The manifest's corrections of spec files (specFixes): an edit to the manifest's tasks leaves
            // this set equal, so no spec file is parsed again.
            var specFixes = manifests
                .Select((file, _) => SpecFixes.Parse(file))
                .Collect()
                .Select((sets, _) => sets.Length == 0 ? SpecFixSet.None : new SpecFixSet(sets.SelectMany(s => s.Fixes).ToEquatableArray(), sets.SelectMany(s => s.Diagnostics).ToEquatableArray()))
                .WithTrackingName(TrackingNames.SpecFixes);

            context.RegisterSourceOutput(specFixes.SelectMany((set, _) => set.Diagnostics), Report);

            var specFiles = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select((pair, cancellationToken) => ReadSpecFile(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
                .Where(file => file != null)
                .Combine(specFixes)
                .Select((pair, _) => pair.Left! with { Fixes = SpecFixes.For(pair.Right, pair.Left!.DisplayPath) })
                .WithTrackingName(TrackingNames.SpecFiles);

            InitializeRefit(context, manifests, specFiles);

            // Each file indexed on its own: its $id, its text as NJsonSchema reads it, and the ids its $refs point into.
            var indexedFiles = specFiles
                .Select((file, _) => new IndexedSpecFile(file, SpecFileParser.ReadDocument(file)))
                .WithTrackingName(TrackingNames.SchemaDocument);

            var documents = indexedFiles
                .Where(indexed => indexed.Document != null)
                .Select((indexed, _) => indexed.Document!)
                .Collect()
                .Select((list, _) => list.OrderBy(d => d.Id, StringComparer.Ordinal).ToEquatableArray())
                .WithTrackingName(TrackingNames.SchemaDocuments);

            // Every file's input runs again when any document changes, but only picks the documents its $refs reach:
            // for a file that does not reach the edited one the input is equal, so its parse below stays cached.
            var parseInputs = indexedFiles
                .Combine(documents)
                .Select((pair, _) => new FileParseInput(pair.Left.File, SpecFileParser.Reachable(pair.Left.Document, pair.Right)))
                .WithTrackingName(TrackingNames.FileParseInputs);

            var fileModels = parseInputs
                .Select((input, cancellationToken) => SpecFileParser.Parse(input, cancellationToken))
                .WithTrackingName(TrackingNames.FileModels);

            context.RegisterSourceOutput(fileModels.SelectMany((model, _) => model.Diagnostics), Report);

            var modelSet = fileModels
                .Collect()
                .Select((models, _) => ModelMerger.Merge(models))
                .WithTrackingName(TrackingNames.ModelSet);

            context.RegisterSourceOutput(modelSet.SelectMany((set, _) => set.Diagnostics), Report);

            // The manifest's groups (only them: an edit to its tasks leaves this equal), then each task type in
            // its feature namespace (HuggingFace.Inference.Chat, .Text, .Vision …); without groups, as merged.
            var taskGroups = manifests
                .Select((file, _) => TaskGroups.Parse(file))
                .Collect()
                .Select((sets, _) => TaskGroups.Combine(sets))
                .WithTrackingName(TrackingNames.TaskGroups);

            context.RegisterSourceOutput(taskGroups.SelectMany((set, _) => set.Diagnostics), Report);

            var groupedSet = modelSet
                .Combine(taskGroups)
                .Combine(options)
                .Select((pair, _) => StepGuard.Run(
                    "specs",
                    "specs",
                    () => TaskGroups.Assign(pair.Left.Left, pair.Left.Right, pair.Right),
                    failure => new GroupedModelSet(pair.Left.Left, new[] { failure }.ToEquatableArray())))
                .WithTrackingName(TrackingNames.GroupedModelSet);

            context.RegisterSourceOutput(groupedSet.SelectMany((grouped, _) => grouped.Diagnostics), Report);
            var namespacedSet = groupedSet.Select((grouped, _) => grouped.Set);

            var types = namespacedSet
                .SelectMany((set, _) => set.Types.Select((type, i) => (Type: type, Path: set.FilePaths[i])))
                .Combine(options)
                .Select((pair, _) => new EmitRequest(pair.Left.Type, pair.Right) { FilePath = pair.Left.Path })
                .WithTrackingName(TrackingNames.Types);

            // Every output goes through StepGuard: a throw is HFGEN011 against the spec file, never CS8785.
            context.RegisterSourceOutput(types, (production, request) =>
            {
                StepGuard.AddSource(production, request.FilePath, () => TypeEmitter.HintName(request.Type), () => TypeEmitter.Emit(request.Type, request.Options));

                // The type's second partial: what trimming needs instead of reflection (the required-member check, the
                // serializer's metadata). Per type, like the first, so an edit to one spec re-emits only its types.
                StepGuard.AddSource(production, request.FilePath, () => AotSupportEmitter.HintName(request.Type), () => AotSupportEmitter.Emit(request.Type, request.Options));
            });

            // One list of every record's reader and writer, for the options the client reads answers and writes requests with.
            var wireReaders = namespacedSet
                .Combine(options)
                .Select((pair, _) => StepGuard.Run(
                    "specs",
                    "specs",
                    () => (Names: WireReaderEmitter.RecordNames(pair.Left.Types, pair.Right), AllNames: AotSupportEmitter.TypeNames(pair.Left.Types, pair.Right), Options: pair.Right, Failure: (DiagnosticInfo?)null),
                    failure => (Names: EquatableArray<string>.Empty, AllNames: EquatableArray<string>.Empty, Options: pair.Right, Failure: (DiagnosticInfo?)failure)))
                .WithTrackingName(TrackingNames.WireReaders);

            context.RegisterSourceOutput(wireReaders, (production, readers) =>
            {
                if (readers.Failure != null)
                {
                    Report(production, readers.Failure);
                    return;
                }

                StepGuard.AddSource(production, "specs", () => WireReaderEmitter.RegistryHintName, () => WireReaderEmitter.EmitRegistry(readers.Names, readers.Options));

                // The same records, the same list: one writer each, for the options request bodies are written with.
                StepGuard.AddSource(production, "specs", () => WireWriterEmitter.RegistryHintName, () => WireWriterEmitter.EmitRegistry(readers.Names, readers.Options));

                // Every generated type's metadata, for the options' resolver (no reflection).
                StepGuard.AddSource(production, "specs", () => AotSupportEmitter.RegistryHintName, () => AotSupportEmitter.EmitRegistry(readers.AllNames, readers.Options));
            });

            // Schemas a project brings itself get a typed extension method per task, unless the project has a
            // task manifest (the library itself), whose methods are the API.
            var byoTasks = specFiles
                .Where(file => file.OpenApiNamespace == null)
                .Select((file, _) => file.Task)
                .Collect()
                .Combine(modelSet)
                .Combine(context.AdditionalTextsProvider.Combine(context.AnalyzerConfigOptionsProvider)
                    .Where(pair => pair.Right.GetOptions(pair.Left).TryGetValue("build_metadata.AdditionalFiles." + TaskApiMetadata, out var flag) && string.Equals(flag?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
                    .Collect()
                    .Select((list, _) => list.Length > 0))
                .Select((pair, _) =>
                {
                    var ((tasks, set), hasManifest) = pair;
                    if (hasManifest)
                    {
                        return EquatableArray<string>.Empty;
                    }

                    var names = new System.Collections.Generic.HashSet<string>(set.Types.Where(t => t.Namespace == null).Select(t => t.Name), StringComparer.Ordinal);
                    return tasks.Distinct(StringComparer.Ordinal)
                        .Where(task => names.Contains(Naming.Pascal(task) + "Input") && names.Contains(Naming.Pascal(task) + "Output"))
                        .Where(task => !names.Any(name => string.Equals(name + ".g.cs", TaskExtensionsEmitter.HintName(task), StringComparison.OrdinalIgnoreCase)))
                        .OrderBy(task => task, StringComparer.Ordinal)
                        // Hint names are unique ignoring case: "a-b" and "a_b" would both be AB; the first is kept.
                        .GroupBy(TaskExtensionsEmitter.HintName, StringComparer.OrdinalIgnoreCase)
                        .Select(group => group.First())
                        .ToEquatableArray();
                })
                .WithTrackingName(TrackingNames.TaskExtensions)
                .SelectMany((tasks, _) => tasks)
                .Combine(options);

            context.RegisterSourceOutput(byoTasks, (production, pair) =>
                StepGuard.AddSource(production, pair.Left, () => TaskExtensionsEmitter.HintName(pair.Left), () => TaskExtensionsEmitter.Emit(pair.Left, pair.Right)));

            // The per-task API: the wire manifest resolved against the generated types.
            var taskApiModels = manifests
                .Combine(namespacedSet)
                .Select((pair, _) => TaskManifestParser.Parse(pair.Left, pair.Right));

            context.RegisterSourceOutput(taskApiModels.SelectMany((model, _) => model.Diagnostics), Report);

            var taskApis = taskApiModels
                .SelectMany((model, _) => model.Tasks.Select(task => (Task: task, model.Path)))
                .Combine(options)
                .WithTrackingName(TrackingNames.TaskApis);

            context.RegisterSourceOutput(taskApis, (production, pair) =>
                StepGuard.AddSource(production, pair.Left.Path, () => TaskApiEmitter.HintName(pair.Left.Task), () => TaskApiEmitter.Emit(pair.Left.Task, pair.Right)));

            // The provider registry: each provider file parsed on its own, then all of them checked against the
            // task names of the task schemas (only the names: a schema's content does not move the registry).
            var providerFiles = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select((pair, cancellationToken) => ReadProviderFile(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
                .Where(file => file != null)
                .Select((file, _) => file!)
                .WithTrackingName(TrackingNames.ProviderFiles);

            var providerModels = providerFiles
                .Select((file, _) => ProviderRegistryParser.Parse(file))
                .WithTrackingName(TrackingNames.ProviderFileModels);

            context.RegisterSourceOutput(providerModels.SelectMany((model, _) => model.Diagnostics), Report);

            var knownTasks = specFiles
                .Where(file => file.OpenApiNamespace == null && file.Task != CommonTask)
                .Select((file, _) => file.Task)
                .Collect()
                .Select((tasks, _) => tasks.Distinct(StringComparer.Ordinal).OrderBy(task => task, StringComparer.Ordinal).ToEquatableArray())
                .WithTrackingName(TrackingNames.ProviderKnownTasks);

            var registry = providerModels
                .Collect()
                .Combine(knownTasks)
                .Select((pair, _) => ProviderRegistryParser.Merge(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.ProviderRegistry);

            context.RegisterSourceOutput(registry.SelectMany((model, _) => model.Diagnostics), Report);

            var registryOutput = registry
                .Combine(options)
                .Select((pair, _) => new ProviderRegistryEmitRequest(pair.Left.Providers, pair.Left.HasFiles, pair.Right))
                .WithTrackingName(TrackingNames.ProviderRegistryOutput);

            context.RegisterSourceOutput(registryOutput, (production, request) =>
            {
                if (request.HasFiles)
                {
                    StepGuard.AddSource(production, "specs/providers", () => ProviderRegistryEmitter.HintName, () => ProviderRegistryEmitter.Emit(request.Providers, request.Options));
                }
            });
        }

        // ---- Refit interfaces (issue 13): post-initialization output from the specs embedded in this assembly,
        // the only output Refit's own generator sees, and the regular pipeline's report on them. ----

        private static void InitializeRefit(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<TaskManifestFile> manifests, IncrementalValuesProvider<SpecFile> specFiles)
        {
            context.RegisterPostInitializationOutput(Refit.EmbeddedRefitSpecs.AddSources);

            var enabled = context.ParseOptionsProvider
                .Select((parse, _) => parse.PreprocessorSymbolNames.Contains(RefitInterfaceEmitter.Symbol));

            // The project's copies of the embedded specs (the task manifest and the OpenAPI documents), from the
            // steps that read them already rather than a second read of every AdditionalFile.
            var copies = manifests
                .Select((manifest, _) => new SpecFile(manifest.Path, manifest.DisplayPath, "manifest", manifest.Text))
                .Collect()
                .Combine(specFiles.Where(file => file.OpenApiNamespace != null).Collect())
                .Select((pair, _) => pair.Left.AddRange(pair.Right));
            var checks = enabled
                .Combine(copies)
                .Select((pair, _) => Refit.EmbeddedRefitSpecs.Check(pair.Left, pair.Right, Refit.EmbeddedRefitSpecs.Current, Refit.EmbeddedRefitSpecs.ReadResource))
                .WithTrackingName(TrackingNames.RefitChecks);

            context.RegisterSourceOutput(checks, (production, list) =>
            {
                foreach (var diagnostic in list)
                {
                    Report(production, diagnostic);
                }
            });
        }

        private static ProviderFile? ReadProviderFile(AdditionalText text, AnalyzerConfigOptions options, CancellationToken cancellationToken)
        {
            if (!options.TryGetValue("build_metadata.AdditionalFiles." + ProviderMetadata, out var flag) || !string.Equals(flag?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var content = TryRead(text, cancellationToken, out var error);
            return new ProviderFile(text.Path, DisplayPath(text.Path), content) { ReadError = error };
        }

        private static TaskManifestFile? ReadManifest(AdditionalText text, AnalyzerConfigOptions options, CancellationToken cancellationToken)
        {
            if (!options.TryGetValue("build_metadata.AdditionalFiles." + TaskApiMetadata, out var flag) || !string.Equals(flag?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var content = TryRead(text, cancellationToken, out var error);
            return new TaskManifestFile(text.Path, DisplayPath(text.Path), content) { ReadError = error };
        }

        private static void Report(SourceProductionContext context, DiagnosticInfo diagnostic) =>
            context.ReportDiagnostic(diagnostic.ToDiagnostic());

        private static GeneratorOptions ReadOptions(AnalyzerConfigOptions options)
        {
            if (options.TryGetValue("build_property." + NamespaceProperty, out var configured) && !string.IsNullOrWhiteSpace(configured))
            {
                return new GeneratorOptions(configured.Trim());
            }

            return options.TryGetValue("build_property.RootNamespace", out var root) && !string.IsNullOrWhiteSpace(root)
                ? new GeneratorOptions(root.Trim())
                : new GeneratorOptions("HuggingFace.Inference.Generated");
        }

        private static SpecFile? ReadSpecFile(AdditionalText text, AnalyzerConfigOptions options, CancellationToken cancellationToken)
        {
            if (options.TryGetValue("build_metadata.AdditionalFiles." + OpenApiMetadata, out var openApiNamespace) && !string.IsNullOrWhiteSpace(openApiNamespace))
            {
                var document = TryRead(text, cancellationToken, out var documentError);
                return new SpecFile(text.Path, DisplayPath(text.Path), "openapi", document, openApiNamespace.Trim()) { ReadError = documentError };
            }

            if (!options.TryGetValue("build_metadata.AdditionalFiles." + TaskMetadata, out var task) || string.IsNullOrWhiteSpace(task))
            {
                return null;
            }

            var content = TryRead(text, cancellationToken, out var error);
            return new SpecFile(text.Path, DisplayPath(text.Path), task.Trim().Trim('/', '\\'), content) { ReadError = error };
        }

        /// <summary>A file's text; when reading throws (deleted, locked) the error is kept for the parser to report against the file.</summary>
        private static string TryRead(AdditionalText text, CancellationToken cancellationToken, out string? error)
        {
            error = null;
            try
            {
                return text.GetText(cancellationToken)?.ToString() ?? string.Empty;
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                error = StepGuard.Describe(exception);
                return string.Empty;
            }
        }

        /// <summary>A machine-independent path for generated comments: from the last "specs" folder on, else the last two segments.</summary>
        internal static string DisplayPath(string path)
        {
            var normalized = path.Replace('\\', '/');
            var index = normalized.LastIndexOf("/specs/", StringComparison.Ordinal);
            if (index >= 0)
            {
                return normalized.Substring(index + 1);
            }

            var segments = normalized.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            return string.Join("/", segments.Skip(Math.Max(0, segments.Length - 2)));
        }
    }
}
