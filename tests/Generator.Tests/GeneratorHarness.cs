using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using HuggingFace.Inference.Testing.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>Runs <see cref="SpecGenerator"/> in a real Roslyn driver over spec files held in memory.</summary>
internal static class GeneratorHarness
{
    public const string Namespace = "Test.Generated";

    /// <summary>The repository's spec files of <paramref name="tasks"/>, plus common-definitions.json.</summary>
    public static List<SpecText> RepoSpecs(params string[] tasks)
    {
        var specs = new List<SpecText> { FromFile(Path.Combine(RepoPaths.Specs, "tasks", "common-definitions.json"), "common") };
        foreach (var task in tasks)
        {
            var folder = Directory.Exists(Path.Combine(RepoPaths.Specs, "tasks", task))
                ? Path.Combine(RepoPaths.Specs, "tasks", task)
                : Path.Combine(RepoPaths.Specs, "tasks-local", task);
            specs.AddRange(Directory.GetFiles(folder, "*.json").OrderBy(f => f, System.StringComparer.Ordinal).Select(f => FromFile(f, task)));
        }

        return specs;
    }

    /// <summary>Every spec file of the repository.</summary>
    public static List<SpecText> AllRepoSpecs()
    {
        var tasks = Directory.GetDirectories(Path.Combine(RepoPaths.Specs, "tasks"))
            .Concat(Directory.GetDirectories(Path.Combine(RepoPaths.Specs, "tasks-local")))
            .Select(Path.GetFileName)
            .OrderBy(t => t, System.StringComparer.Ordinal)
            .ToArray();
        var specs = RepoSpecs(tasks!);
        specs.Add(Manifest());
        specs.Add(EndpointsOpenApi());
        specs.AddRange(ProviderFiles());
        return specs;
    }

    /// <summary>The repository's provider registry files (specs/providers/*.json), tagged as the Client project tags them.</summary>
    public static List<SpecText> ProviderFiles() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Specs, "providers"), "*.json")
            .OrderBy(f => f, System.StringComparer.Ordinal)
            .Select(f => Provider(f.Replace('\\', '/'), File.ReadAllText(f)))
            .ToList();

    /// <summary>A provider file in memory (AdditionalFiles with HuggingFaceProvider="true").</summary>
    public static SpecText Provider(string path, string text) => new(path, text, string.Empty, isProvider: true);

    /// <summary>The Inference Endpoints OpenAPI document, tagged as the Client project tags it.</summary>
    public static SpecText EndpointsOpenApi() =>
        new(Path.Combine(RepoPaths.Specs, "endpoints-openapi.json").Replace('\\', '/'), File.ReadAllText(Path.Combine(RepoPaths.Specs, "endpoints-openapi.json")), string.Empty, openApiNamespace: "Test.Endpoints");

    /// <summary>The task wire manifest, tagged as the Client project tags it.</summary>
    public static SpecText Manifest() =>
        new(Path.Combine(RepoPaths.Specs, "inference", "tasks.json").Replace('\\', '/'), File.ReadAllText(Path.Combine(RepoPaths.Specs, "inference", "tasks.json")), string.Empty, isTaskManifest: true);

    public static SpecText FromFile(string path, string task) =>
        new(path.Replace('\\', '/'), File.ReadAllText(path), task);

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "GeneratorTests",
            sources.Select(s => CSharpSyntaxTree.ParseText(s)),
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> texts) =>
        CSharpGeneratorDriver.Create(
            new[] { new SpecGenerator().AsSourceGenerator() },
            texts,
            CSharpParseOptions.Default,
            new OptionsProvider(),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>One run over <paramref name="texts"/> in a fresh driver.</summary>
    public static GeneratorRunResult Run(IEnumerable<AdditionalText> texts)
    {
        var driver = CreateDriver(texts).RunGenerators(Compilation("class Placeholder { }"));
        return driver.GetRunResult().Results.Single();
    }

    /// <summary>A spec file in memory. Files with an empty task carry no metadata and must be ignored.</summary>
    public sealed class SpecText : AdditionalText
    {
        private readonly string _text;

        public SpecText(string path, string text, string task, bool isTaskManifest = false, string? openApiNamespace = null, bool isProvider = false)
        {
            Path = path;
            _text = text;
            Task = task;
            IsTaskManifest = isTaskManifest;
            OpenApiNamespace = openApiNamespace;
            IsProvider = isProvider;
        }

        public bool IsProvider { get; }

        public string? OpenApiNamespace { get; }

        public bool IsTaskManifest { get; }

        public override string Path { get; }

        public string Task { get; }

        public string Content => _text;

        /// <summary>When set, reading the file throws it, as a file deleted or locked between the build's evaluation and the compile would.</summary>
        public System.Exception? ReadFault { get; init; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => ReadFault != null ? throw ReadFault : SourceText.From(_text);

        public SpecText WithText(string text) => new(Path, text, Task, IsTaskManifest, OpenApiNamespace, IsProvider);

        public SpecText Unreadable() => new(Path, _text, Task, IsTaskManifest, OpenApiNamespace, IsProvider) { ReadFault = new IOException("The process cannot access the file because it is being used by another process.") };
    }

    private sealed class OptionsProvider : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(new Dictionary<string, string>
        {
            ["build_property.RootNamespace"] = "Ignored.Because.Property.Wins",
            ["build_property." + SpecGenerator.NamespaceProperty] = Namespace,
        });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => textFile switch
        {
            SpecText { OpenApiNamespace: { } ns } => new Options(new Dictionary<string, string> { ["build_metadata.AdditionalFiles." + SpecGenerator.OpenApiMetadata] = ns }),
            SpecText { IsProvider: true } => new Options(new Dictionary<string, string> { ["build_metadata.AdditionalFiles." + SpecGenerator.ProviderMetadata] = "true" }),
            SpecText { IsTaskManifest: true } => new Options(new Dictionary<string, string> { ["build_metadata.AdditionalFiles." + SpecGenerator.TaskApiMetadata] = "true" }),
            SpecText { Task.Length: > 0 } spec => new Options(new Dictionary<string, string> { ["build_metadata.AdditionalFiles." + SpecGenerator.TaskMetadata] = spec.Task }),
            _ => Options.Empty,
        };
    }

    private sealed class Options : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(new Dictionary<string, string>());

        private readonly Dictionary<string, string> _values;

        public Options(Dictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);
    }
}
