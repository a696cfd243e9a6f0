using System;
using System.Linq;
using System.Threading;
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
    /// Every step's output is plain equatable data, so an unrelated edit re-runs nothing.
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
            InitializeRefit(context);

            var options = context.AnalyzerConfigOptionsProvider
                .Select((provider, _) => ReadOptions(provider.GlobalOptions))
                .WithTrackingName(TrackingNames.Options);

            var specFiles = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select((pair, cancellationToken) => ReadSpecFile(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
                .Where(file => file != null)
                .Select((file, _) => file!)
                .WithTrackingName(TrackingNames.SpecFiles);

            var documents = specFiles
                .Select((file, _) => SpecFileParser.ReadDocument(file))
                .Where(document => document != null)
                .Collect()
                .Select((list, _) => list.Select(d => d!).OrderBy(d => d.Id, StringComparer.Ordinal).ToEquatableArray())
                .WithTrackingName(TrackingNames.SchemaDocuments);

            var fileModels = specFiles
                .Combine(documents)
                .Select((pair, cancellationToken) => SpecFileParser.Parse(pair.Left, pair.Right, cancellationToken))
                .WithTrackingName(TrackingNames.FileModels);

            context.RegisterSourceOutput(fileModels.SelectMany((model, _) => model.Diagnostics), Report);

            var modelSet = fileModels
                .Collect()
                .Select((models, _) => ModelMerger.Merge(models))
                .WithTrackingName(TrackingNames.ModelSet);

            context.RegisterSourceOutput(modelSet.SelectMany((set, _) => set.Diagnostics), Report);

            var types = modelSet
                .SelectMany((set, _) => set.Types)
                .Combine(options)
                .Select((pair, _) => new EmitRequest(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.Types);

            context.RegisterSourceOutput(types, (production, request) =>
                production.AddSource(TypeEmitter.HintName(request.Type), TypeEmitter.Emit(request.Type, request.Options)));

            // One list of every record's reader, for the options the client reads answers with.
            var wireReaders = modelSet
                .Combine(options)
                .Select((pair, _) => (Names: WireReaderEmitter.RecordNames(pair.Left.Types, pair.Right), Options: pair.Right))
                .WithTrackingName(TrackingNames.WireReaders);

            context.RegisterSourceOutput(wireReaders, (production, readers) =>
                production.AddSource(WireReaderEmitter.RegistryHintName, WireReaderEmitter.EmitRegistry(readers.Names, readers.Options)));

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
                        .OrderBy(task => task, StringComparer.Ordinal)
                        .ToEquatableArray();
                })
                .WithTrackingName(TrackingNames.TaskExtensions)
                .SelectMany((tasks, _) => tasks)
                .Combine(options);

            context.RegisterSourceOutput(byoTasks, (production, pair) =>
                production.AddSource(TaskExtensionsEmitter.HintName(pair.Left), TaskExtensionsEmitter.Emit(pair.Left, pair.Right)));

            // The per-task API: the wire manifest resolved against the generated types.
            var manifests = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select((pair, cancellationToken) => ReadManifest(pair.Left, pair.Right.GetOptions(pair.Left), cancellationToken))
                .Where(file => file != null)
                .Select((file, _) => file!)
                .WithTrackingName(TrackingNames.TaskManifest);

            var taskApiModels = manifests
                .Combine(modelSet)
                .Select((pair, _) => TaskManifestParser.Parse(pair.Left, pair.Right));

            context.RegisterSourceOutput(taskApiModels.SelectMany((model, _) => model.Diagnostics), Report);

            var taskApis = taskApiModels
                .SelectMany((model, _) => model.Tasks)
                .Combine(options)
                .WithTrackingName(TrackingNames.TaskApis);

            context.RegisterSourceOutput(taskApis, (production, pair) =>
                production.AddSource(TaskApiEmitter.HintName(pair.Left), TaskApiEmitter.Emit(pair.Left, pair.Right)));

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
                    production.AddSource(ProviderRegistryEmitter.HintName, ProviderRegistryEmitter.Emit(request.Providers, request.Options));
                }
            });
        }

        // ---- Refit interfaces (issue 13): post-initialization output from the specs embedded in this assembly,
        // the only output Refit's own generator sees, and the regular pipeline's report on them. ----

        private static void InitializeRefit(IncrementalGeneratorInitializationContext context)
        {
            context.RegisterPostInitializationOutput(Refit.EmbeddedRefitSpecs.AddSources);

            var enabled = context.ParseOptionsProvider
                .Select((parse, _) => parse.PreprocessorSymbolNames.Contains(RefitInterfaceEmitter.Symbol));
            // The project's copies of the embedded specs: OpenAPI documents and the task manifest.
            var copies = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Select((pair, cancellationToken) =>
                {
                    var options = pair.Right.GetOptions(pair.Left);
                    if (ReadManifest(pair.Left, options, cancellationToken) is { } manifest)
                    {
                        return new SpecFile(manifest.Path, manifest.DisplayPath, "manifest", manifest.Text);
                    }

                    var file = ReadSpecFile(pair.Left, options, cancellationToken);
                    return file?.OpenApiNamespace != null ? file : null;
                })
                .Where(file => file != null)
                .Select((file, _) => file!)
                .Collect();
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

            return new ProviderFile(text.Path, DisplayPath(text.Path), text.GetText(cancellationToken)?.ToString() ?? string.Empty);
        }

        private static TaskManifestFile? ReadManifest(AdditionalText text, AnalyzerConfigOptions options, CancellationToken cancellationToken)
        {
            if (!options.TryGetValue("build_metadata.AdditionalFiles." + TaskApiMetadata, out var flag) || !string.Equals(flag?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return new TaskManifestFile(text.Path, DisplayPath(text.Path), text.GetText(cancellationToken)?.ToString() ?? string.Empty);
        }

        private static void Report(SourceProductionContext context, Diagnostics.DiagnosticInfo diagnostic) =>
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
                return new SpecFile(text.Path, DisplayPath(text.Path), "openapi", text.GetText(cancellationToken)?.ToString() ?? string.Empty, openApiNamespace.Trim());
            }

            if (!options.TryGetValue("build_metadata.AdditionalFiles." + TaskMetadata, out var task) || string.IsNullOrWhiteSpace(task))
            {
                return null;
            }

            var content = text.GetText(cancellationToken)?.ToString() ?? string.Empty;
            return new SpecFile(text.Path, DisplayPath(text.Path), task.Trim().Trim('/', '\\'), content);
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
