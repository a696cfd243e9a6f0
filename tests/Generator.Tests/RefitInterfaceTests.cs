using System.IO;
using System.Linq;
using HuggingFace.Inference.Generator.Refit;
using HuggingFace.Inference.Testing.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>
/// The Refit interfaces built from the specs embedded in the generator: their text, that they follow
/// the document, that they compile only where asked for, and HFGEN013 when the embedded copy and the
/// project's copy disagree.
/// </summary>
public class RefitInterfaceTests
{
    private const string HintName = "HuggingFace.Inference.Endpoints.IInferenceEndpointsApi.g.cs";

    private const string TasksHintName = "HuggingFace.Inference.IHfInferenceApi.g.cs";

    private const string TgiHintName = "HuggingFace.Inference.Tgi.ITextGenerationInferenceApi.g.cs";

    private const string TeiHintName = "HuggingFace.Inference.Tei.ITextEmbeddingsInferenceApi.g.cs";

    private static string ManifestText => File.ReadAllText(Path.Combine(RepoPaths.Specs, "inference", "tasks.json"));

    private static string Source(string hint) => EmbeddedRefitSpecs.Current.Sources.Single(s => s.HintName == hint).Source;

    private static string SpecText => File.ReadAllText(Path.Combine(RepoPaths.Specs, "endpoints-openapi.json"));

    [Fact]
    public void TheEmbeddedSpecIsTheRepositorysAndYieldsTheInterface()
    {
        // The generator's resource is linked from specs/: the same text, so the repository stays the one copy.
        var embedded = EmbeddedRefitSpecs.ReadResource(EmbeddedRefitSpecs.Entries[0].Resource);
        Assert.Equal(SpecText.Replace("\r\n", "\n"), embedded!.Replace("\r\n", "\n"));
        Assert.Empty(EmbeddedRefitSpecs.Current.Problems);
        Assert.Equal(
            [HintName, "HuggingFace.Inference.Endpoints.IInferenceCatalogApi.g.cs", TgiHintName, TeiHintName, TasksHintName],
            EmbeddedRefitSpecs.Current.Sources.Select(s => s.HintName));
        Assert.Null(Snapshot.Compare(Source(HintName), "RefitInterfaceTests.Endpoints#IInferenceEndpointsApi"));
        Assert.Null(Snapshot.Compare(Source(TasksHintName), "RefitInterfaceTests.Tasks#IHfInferenceApi"));
        Assert.Null(Snapshot.Compare(Source("HuggingFace.Inference.Endpoints.IInferenceCatalogApi.g.cs"), "RefitInterfaceTests.Catalog#IInferenceCatalogApi"));
    }

    [Fact]
    public void EveryOperationOfTheDocumentIsAMethod()
    {
        var source = Source(HintName);
        var document = Newtonsoft.Json.Linq.JObject.Parse(SpecText);
        var operations = document["paths"]!.Children<Newtonsoft.Json.Linq.JProperty>()
            .SelectMany(path => path.Value.Children<Newtonsoft.Json.Linq.JProperty>().Select(method => (Path: path.Name, Method: method.Name, Id: (string)method.Value["operationId"]!)))
            .ToList();
        Assert.Equal(11, operations.Count);
        foreach (var (path, method, id) in operations)
        {
            var attribute = "[global::Refit." + char.ToUpperInvariant(method[0]) + method[1..] + "(\"" + path + "\")]";
            Assert.Contains(attribute, source);
            Assert.Contains(" " + char.ToUpperInvariant(id[0]) + id[1..] + "Async(", source);
        }
    }

    [Theory]
    [InlineData("tgi-openapi.json", "HuggingFace.Inference.Tgi.ITextGenerationInferenceApi.g.cs", "RefitInterfaceTests.Tgi#ITextGenerationInferenceApi", 12)]
    [InlineData("tei-openapi.json", "HuggingFace.Inference.Tei.ITextEmbeddingsInferenceApi.g.cs", "RefitInterfaceTests.Tei#ITextEmbeddingsInferenceApi", 12)]
    public void TheTgiAndTeiDocumentsBecomeInterfacesWithEveryOperation(string file, string hint, string snapshot, int count)
    {
        // Upstream's documents, synced as they are (eng/sync-specs.sh): embedded byte for byte, and each operation a method.
        var text = File.ReadAllText(Path.Combine(RepoPaths.Specs, file));
        var entry = EmbeddedRefitSpecs.Entries.Single(e => e.DisplayPath == "specs/" + file);
        Assert.Equal(text.Replace("\r\n", "\n"), EmbeddedRefitSpecs.ReadResource(entry.Resource)!.Replace("\r\n", "\n"));
        var source = Source(hint);
        Assert.Null(Snapshot.Compare(source, snapshot));
        var operations = Newtonsoft.Json.Linq.JObject.Parse(text)["paths"]!.Children<Newtonsoft.Json.Linq.JProperty>()
            .SelectMany(path => path.Value.Children<Newtonsoft.Json.Linq.JProperty>().Select(method => (Path: path.Name, Method: method.Name, Id: (string)method.Value["operationId"]!)))
            .ToList();
        Assert.Equal(count, operations.Count);
        foreach (var (path, method, id) in operations)
        {
            Assert.Contains("[global::Refit." + char.ToUpperInvariant(method[0]) + method[1..] + "(\"" + path + "\")]", source);
            Assert.Contains(" " + HuggingFace.Inference.Generator.Model.Naming.Pascal(id) + "Async(", source);
        }
    }

    [Fact]
    public void TheTgiAndTeiDocumentsGenerateWithoutErrorsAndTheirFallbacksAreNamed()
    {
        // The regular pipeline over the two documents: no error and no throw (HFGEN000); what it cannot type
        // becomes JsonElement with an HFGEN004 warning at the schema, and a member typed by such a schema is
        // JsonElement too, not a name nothing defines (TEI's Input is referenced by three requests).
        var specs = new[] { ("tgi-openapi.json", "Test.Tgi"), ("tei-openapi.json", "Test.Tei") }
            .Select(f => new GeneratorHarness.SpecText(Path.Combine(RepoPaths.Specs, f.Item1).Replace('\\', '/'), File.ReadAllText(Path.Combine(RepoPaths.Specs, f.Item1)), string.Empty, openApiNamespace: f.Item2))
            .ToList();
        var result = GeneratorHarness.Run(specs);
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.All(result.Diagnostics, d => Assert.Equal("HFGEN004", d.Id));
        Assert.Equal(6, result.Diagnostics.Length);
        var embed = Assert.Single(result.GeneratedSources, s => s.HintName == "Test.Tei.EmbedRequest.g.cs").SourceText.ToString();
        Assert.Contains("global::System.Text.Json.JsonElement Inputs", embed);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == "Test.Tei.Input.g.cs");
    }

    [Fact]
    public void ASpecEditChangesTheInterface()
    {
        var edited = SpecText
            .Replace("\"/v2/endpoint/{namespace}/{name}/pause\"", "\"/v2/endpoint/{namespace}/{name}/hold\"")
            .Replace("\"operationId\": \"pauseEndpoint\"", "\"operationId\": \"holdEndpoint\"");
        Assert.NotEqual(SpecText, edited);
        var result = EmbeddedRefitSpecs.Build(name => name == EmbeddedRefitSpecs.Entries[0].Resource ? edited : EmbeddedRefitSpecs.ReadResource(name));
        Assert.Empty(result.Problems);
        var source = result.Sources.Single(s => s.HintName == HintName).Source;
        Assert.Contains("[global::Refit.Post(\"/v2/endpoint/{namespace}/{name}/hold\")]", source);
        Assert.Contains(" HoldEndpointAsync(", source);
        Assert.DoesNotContain("PauseEndpointAsync", source);
    }

    [Fact]
    public void EveryTaskOfTheManifestIsAMethodOnTheHfInferenceWire()
    {
        var source = Source(TasksHintName);
        var tasks = Newtonsoft.Json.Linq.JObject.Parse(ManifestText)["tasks"]!.Children<Newtonsoft.Json.Linq.JObject>().ToList();
        Assert.Equal(30, tasks.Count);
        foreach (var task in tasks)
        {
            var method = (string)task["method"]! + "Async(string model, ";
            Assert.Contains(method, source);
            var declaration = source.Split('\n').Single(line => line.Contains(" " + method));
            // Binary bodies are HttpContent (never byte[], which Refit sends as base64 JSON); binary answers the response itself.
            Assert.Equal((string)task["body"]! == "binary", declaration.Contains("[global::Refit.Body] global::System.Net.Http.HttpContent content"));
            Assert.Equal((string)task["response"]! == "binary", declaration.Contains("Task<global::System.Net.Http.HttpResponseMessage>"));
            Assert.DoesNotContain("byte[]", declaration);
        }

        Assert.Contains("[global::Refit.Post(\"/models/{**model}/pipeline/feature-extraction\")]", source);
        Assert.Contains("[global::Refit.Headers(\"Accept: image/png\")]", source);
    }

    [Fact]
    public void AManifestEditChangesTheTaskInterface()
    {
        var edited = ManifestText.Replace("\"method\": \"FillMask\"", "\"method\": \"PredictMask\"");
        Assert.NotEqual(ManifestText, edited);
        var result = EmbeddedRefitSpecs.Build(name => name == EmbeddedRefitSpecs.Manifest.Resource ? edited : EmbeddedRefitSpecs.ReadResource(name));
        var source = result.Sources.Single(s => s.HintName == TasksHintName).Source;
        Assert.Contains(" PredictMaskAsync(", source);
        Assert.DoesNotContain(" FillMaskAsync(", source);
    }

    [Fact]
    public void AnUnreadableSpecIsAProblemNotAThrow()
    {
        var broken = EmbeddedRefitSpecs.Build(_ => "{ not json");
        Assert.Empty(broken.Sources);
        Assert.Contains(broken.Problems, p => p.Contains("HFGEN001"));

        var missing = EmbeddedRefitSpecs.Build(_ => null);
        Assert.Empty(missing.Sources);
        Assert.Contains(missing.Problems, p => p.Contains("not embedded"));
    }

    [Fact]
    public void TheInterfaceIsPostInitializationOutputThatCompilesOnlyWithTheSymbol()
    {
        // Every project using the generator gets the file; without the symbol it is empty to the compiler,
        // so a bring-your-own-schema project that does not reference Refit still builds.
        var result = GeneratorHarness.Run([]);
        var source = Assert.Single(result.GeneratedSources, s => s.HintName == HintName);
        var tree = CSharpSyntaxTree.ParseText(source.SourceText, CSharpParseOptions.Default);
        Assert.Empty(tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InterfaceDeclarationSyntax>());
        Assert.Empty(GeneratorHarness.Compilation("class Placeholder { }").AddSyntaxTrees(tree).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var enabled = CSharpSyntaxTree.ParseText(source.SourceText, CSharpParseOptions.Default.WithPreprocessorSymbols("HUGGINGFACE_INFERENCE_REFIT"));
        Assert.Single(enabled.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InterfaceDeclarationSyntax>(), i => i.Identifier.Text == "IInferenceEndpointsApi");
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void ACopyThatDiffersFromTheEmbeddedSpecIsReportedWhenTheInterfacesAreCompiled()
    {
        var copy = new Model.SpecFile("/repo/specs/endpoints-openapi.json", "specs/endpoints-openapi.json", "openapi", SpecText.Replace("pauseEndpoint", "holdEndpoint"), "HuggingFace.Inference.Endpoints");
        var reported = EmbeddedRefitSpecs.Check(true, [copy], EmbeddedRefitSpecs.Current, EmbeddedRefitSpecs.ReadResource);
        var diagnostic = Assert.Single(reported);
        Assert.Equal("HFGEN013", diagnostic.Id);
        Assert.Equal("/repo/specs/endpoints-openapi.json", diagnostic.FilePath);
        Assert.Contains("rebuild the generator", diagnostic.Arguments[0]);

        // The same copy is fine; and a project that does not compile the interfaces hears nothing.
        Assert.Empty(EmbeddedRefitSpecs.Check(true, [copy with { Text = SpecText }], EmbeddedRefitSpecs.Current, EmbeddedRefitSpecs.ReadResource));
        Assert.Empty(EmbeddedRefitSpecs.Check(false, [copy], EmbeddedRefitSpecs.Current, EmbeddedRefitSpecs.ReadResource));
    }

    [Fact]
    public void TheGeneratorReportsHFGEN013ForADivergentCopyOnlyInAProjectThatDefinesTheSymbol()
    {
        var divergent = GeneratorHarness.EndpointsOpenApi().WithText(SpecText.Replace("pauseEndpoint", "holdEndpoint"));
        var symbol = CSharpParseOptions.Default.WithPreprocessorSymbols("HUGGINGFACE_INFERENCE_REFIT");
        var compilation = GeneratorHarness.Compilation("class Placeholder { }");

        var withSymbol = GeneratorHarness.CreateDriver([divergent]).WithUpdatedParseOptions(symbol).RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Contains(withSymbol.Diagnostics, d => d.Id == "HFGEN013" && d.Location.GetLineSpan().Path.EndsWith("endpoints-openapi.json"));

        var same = GeneratorHarness.CreateDriver([GeneratorHarness.EndpointsOpenApi()]).WithUpdatedParseOptions(symbol).RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.DoesNotContain(same.Diagnostics, d => d.Id == "HFGEN013");

        var withoutSymbol = GeneratorHarness.Run([divergent]);
        Assert.DoesNotContain(withoutSymbol.Diagnostics, d => d.Id == "HFGEN013");
    }
}
