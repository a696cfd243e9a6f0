using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>
/// The manifest's "groups" put each task's types in a feature namespace ({root}.{Group}); a type no single group
/// owns (defined by several groups' files, common-definitions', or referred to from another namespace) stays in the root.
/// </summary>
public class FeatureNamespaceTests
{
    private const string Root = GeneratorHarness.Namespace;

    private static string Spec(string task, string title, string properties, string definitions = "{}") => $$"""
        {
          "$id": "/inference/schemas/{{task}}/input.json",
          "title": "{{title}}",
          "type": "object",
          "properties": {{properties}},
          "definitions": {{definitions}}
        }
        """;

    private const string Shared = """{ "SharedThing": { "title": "SharedThing", "type": "object", "properties": { "x": { "type": "string" } } } }""";

    private static List<GeneratorHarness.SpecText> Specs(string groups) =>
    [
        new("/repo/specs/tasks/alpha/input.json", Spec("alpha", "AlphaInput",
            """{ "inputs": { "type": "string" }, "mode": { "type": "string", "enum": ["a", "b"] }, "shared": { "$ref": "#/definitions/SharedThing" }, "beta": { "$ref": "/inference/schemas/beta/input.json#/definitions/BetaThing" } }""",
            Shared), "alpha"),
        new("/repo/specs/tasks/beta/input.json", Spec("beta", "BetaInput",
            """{ "inputs": { "type": "string" }, "shared": { "$ref": "#/definitions/SharedThing" }, "thing": { "$ref": "#/definitions/BetaThing" }, "own": { "$ref": "#/definitions/BetaOwn" } }""",
            """{ "SharedThing": { "title": "SharedThing", "type": "object", "properties": { "x": { "type": "string" } } }, "BetaThing": { "title": "BetaThing", "type": "object", "properties": { "y": { "type": "integer" } } }, "BetaOwn": { "title": "BetaOwn", "type": "object", "properties": { "z": { "type": "boolean" } } } }"""), "beta"),
        new("/repo/specs/tasks/gamma/input.json", Spec("gamma", "GammaInput", """{ "inputs": { "type": "string" } }"""), "gamma"),
        new("/repo/specs/inference/tasks.json", "{\n  \"groups\": " + groups + ",\n  \"tasks\": []\n}", string.Empty, isTaskManifest: true),
    ];

    private static Dictionary<string, string> Namespaces(GeneratorRunResult result) =>
        result.GeneratedSources
            .Select(s => s.SourceText.ToString())
            .Select(text => (Namespace: Line(text, "namespace "), Type: Declared(text)))
            .Where(p => p.Type != null)
            .ToDictionary(p => p.Type!, p => p.Namespace!);

    private static string? Line(string text, string prefix) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, System.StringComparison.Ordinal))?.Substring(prefix.Length);

    private static string? Declared(string text) =>
        text.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("public sealed partial record ", System.StringComparison.Ordinal) || l.StartsWith("public readonly partial struct ", System.StringComparison.Ordinal))
            .Select(l => l.Split(' ')[4])
            .FirstOrDefault();

    [Fact]
    public void EachTasksTypesAreInItsGroupsNamespaceAndTheSharedOnesInTheRoot()
    {
        var result = GeneratorHarness.Run(Specs("""{ "$comment": "ignored", "One": ["alpha"], "Two": ["beta"], "Three": ["gamma"] }"""));
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        var namespaces = Namespaces(result);

        Assert.Equal(Root + ".One", namespaces["AlphaInput"]);
        Assert.Equal(Root + ".One", namespaces["AlphaInputMode"]);
        Assert.Equal(Root + ".Two", namespaces["BetaInput"]);
        Assert.Equal(Root + ".Two", namespaces["BetaOwn"]);
        Assert.Equal(Root + ".Three", namespaces["GammaInput"]);

        // Defined by alpha's and beta's files alike: no single group owns it.
        Assert.Equal(Root, namespaces["SharedThing"]);

        // Beta's own, but alpha's input refers to it: in Two, AlphaInput (in One) could not name it without a using.
        Assert.Equal(Root, namespaces["BetaThing"]);

        Assert.Contains(result.GeneratedSources, s => s.HintName == Root + ".One.AlphaInput.g.cs");
        Assert.Contains(result.GeneratedSources, s => s.HintName == "SharedThing.g.cs");
    }

    [Fact]
    public void TheGeneratedTypesCompileAcrossTheirNamespaces()
    {
        var result = GeneratorHarness.Run(Specs("""{ "One": ["alpha"], "Two": ["beta"], "Three": ["gamma"] }"""));

        // Against the framework, without the library: only its runtime (HuggingFace.Inference.Serialization, which
        // the generated code names fully qualified) is missing, so every other name must bind, across namespaces.
        var framework = ((string)System.AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(System.IO.Path.PathSeparator)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "FeatureNamespaces",
            result.GeneratedSources.Select(s => CSharpSyntaxTree.ParseText(s.SourceText)),
            framework,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, d => Assert.True((d.Id == "CS0234" && d.GetMessage().Contains("'HuggingFace.Inference'")) || d.GetMessage().Contains("Serialization."), d.ToString()));
    }

    [Fact]
    public void ATaskInNoGroupIsHfgen014AtTheGroupsLineAndItsTypesStayInTheRoot()
    {
        var result = GeneratorHarness.Run(Specs("""{ "One": ["alpha"], "Two": ["beta"] }"""));
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("HFGEN014", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("'gamma'", diagnostic.GetMessage());
        Assert.Equal("/repo/specs/inference/tasks.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(1, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Equal(Root, Namespaces(result)["GammaInput"]);
        Assert.Equal(Root + ".One", Namespaces(result)["AlphaInput"]);
    }

    [Theory]
    [InlineData("""["alpha"]""", "groups must be an object")]
    [InlineData("""{ "one": ["alpha"], "Two": ["beta"], "Three": ["gamma"] }""", "\"one\" is not a namespace name")]
    [InlineData("""{ "One": "alpha", "Two": ["beta"], "Three": ["gamma"] }""", "\"One\" must be a list of task names")]
    [InlineData("""{ "One": ["alpha", "beta"], "Two": ["beta"], "Three": ["gamma"] }""", "\"beta\" is in \"One\" already")]
    public void AMalformedGroupIsHfgen007AndNothingThrows(string groups, string message)
    {
        var result = GeneratorHarness.Run(Specs(groups));
        Assert.Null(result.Exception);
        Assert.Contains(result.Diagnostics, d => d.Id == "HFGEN007" && d.GetMessage().Contains(message));
        Assert.Contains(result.GeneratedSources, s => s.SourceText.ToString().Contains("partial record BetaInput"));
    }

    [Fact]
    public void WithoutGroupsEveryTypeStaysInTheRootNamespace()
    {
        var specs = Specs("{}").Take(3).ToList();
        var result = GeneratorHarness.Run(specs);
        Assert.Empty(result.Diagnostics);
        Assert.All(Namespaces(result).Values, ns => Assert.Equal(Root, ns));
    }

    [Fact]
    public void TheTaskApisFileHasTheUsingOfItsTypesNamespace()
    {
        var specs = GeneratorHarness.RepoSpecs("text-classification");
        specs.Add(GeneratorHarness.Manifest());
        var result = GeneratorHarness.Run(specs);
        var source = result.GeneratedSources.Single(s => s.HintName == "ITextClassificationTask.g.cs").SourceText.ToString();
        Assert.Contains("using " + Root + ".Text;", source);
        Assert.Contains("namespace " + Root + "\n", source.Replace("\r\n", "\n"));
        Assert.Contains(result.GeneratedSources, s => s.HintName == Root + ".Text.TextClassificationInput.g.cs");
    }

    [Fact]
    public void AnEditToTheManifestsTasksLeavesTheGroupsAndTheTypesCached()
    {
        var specs = GeneratorHarness.AllRepoSpecs();
        var compilation = GeneratorHarness.Compilation("class Placeholder { }");
        var driver = GeneratorHarness.CreateDriver(specs).RunGenerators(compilation);
        var manifest = specs.Single(s => s.IsTaskManifest);
        driver = driver.ReplaceAdditionalText(manifest, manifest.WithText(manifest.Content.Replace("Classifies audio", "Classifies audio, edited"))).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        foreach (var step in new[] { TrackingNames.TaskGroups, TrackingNames.GroupedModelSet, TrackingNames.Types })
        {
            var reasons = result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step} ran again ({r})"));
        }

        Assert.Contains(IncrementalStepRunReason.Modified, result.TrackedSteps[TrackingNames.TaskApis].SelectMany(s => s.Outputs).Select(o => o.Reason));
    }
}
