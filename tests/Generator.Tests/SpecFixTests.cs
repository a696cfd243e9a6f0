using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>The task manifest's specFixes: a spec corrected where it and the services disagree, with its problems as diagnostics.</summary>
public class SpecFixTests
{
    [Fact]
    public void TheManifestGivesAnAssistantToolCallStringArguments()
    {
        var specs = GeneratorHarness.RepoSpecs("chat-completion");
        specs.Add(GeneratorHarness.Manifest());
        var result = GeneratorHarness.Run(specs);

        Assert.Null(result.Exception);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "HFGEN012");
        var call = Source(result, "ChatCompletionInputToolCall");
        Assert.Contains("public required ChatCompletionInputFunctionCall Function { get; init; }", call);
        var function = Source(result, "ChatCompletionInputFunctionCall");
        Assert.Contains("[global::System.Text.Json.Serialization.JsonPropertyName(\"arguments\")]", function);
        Assert.Contains("public required string Arguments { get; init; }", function);

        // The tool definition keeps its JSON Schema parameters: only the call was wrong.
        Assert.Contains("JsonPropertyName(\"parameters\")", Source(result, "ChatCompletionInputFunctionDefinition"));
    }

    [Fact]
    public void WithoutTheManifestTheSpecIsReadAsUpstreamWroteIt()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.RepoSpecs("chat-completion"));

        Assert.Contains("public required ChatCompletionInputFunctionDefinition Function { get; init; }", Source(result, "ChatCompletionInputToolCall"));
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == "ChatCompletionInputFunctionCall.g.cs");
    }

    [Fact]
    public void AFixThatNoLongerAppliesIsAWarningAtItsLine()
    {
        var specs = GeneratorHarness.RepoSpecs("text-classification");
        specs.Add(new GeneratorHarness.SpecText("/repo/specs/inference/tasks.json", """
            {
              "tasks": [],
              "specFixes": [
                {
                  "file": "tasks/text-classification/input.json",
                  "pointer": "/$defs/NoSuchType/properties/x",
                  "value": { "type": "string" },
                  "why": "a test"
                }
              ]
            }
            """, string.Empty, isTaskManifest: true));
        var result = GeneratorHarness.Run(specs);

        var warning = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN012");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("/repo/specs/inference/tasks.json", warning.Location.GetLineSpan().Path);
        Assert.Equal(3, warning.Location.GetLineSpan().StartLinePosition.Line); // zero-based: the fix's opening brace
        Assert.Contains("/$defs/NoSuchType/properties/x", warning.GetMessage());
        Assert.Contains(result.GeneratedSources, s => s.HintName == "TextClassificationInput.g.cs");
    }

    [Fact]
    public void AFixWithoutItsEvidenceIsAManifestProblem()
    {
        var specs = GeneratorHarness.RepoSpecs("text-classification");
        specs.Add(new GeneratorHarness.SpecText("/repo/specs/inference/tasks.json", """
            { "tasks": [], "specFixes": [ { "file": "tasks/text-classification/input.json", "pointer": "/title", "value": "X" } ] }
            """, string.Empty, isTaskManifest: true));
        var result = GeneratorHarness.Run(specs);

        var problem = Assert.Single(result.Diagnostics);
        Assert.Equal("HFGEN007", problem.Id);
        Assert.Contains("\"why\"", problem.GetMessage());
    }

    [Fact]
    public void EditingTheManifestsTasksParsesNoSpecAgain()
    {
        var specs = GeneratorHarness.AllRepoSpecs();
        var compilation = GeneratorHarness.Compilation("class Placeholder { }");
        var driver = GeneratorHarness.CreateDriver(specs).RunGenerators(compilation);
        var manifest = specs.Single(s => s.IsTaskManifest);
        var edited = manifest.WithText(manifest.Content.Replace("Classifies a text (sentiment, topic", "Classifies one text (sentiment, topic"));
        Assert.NotEqual(manifest.Content, edited.Content);

        var result = driver.ReplaceAdditionalText(manifest, edited).RunGenerators(compilation).GetRunResult().Results.Single();

        // The fixes read from the edited manifest are the same, so every spec file and its model stay as they were.
        Assert.All(Reasons(result, TrackingNames.SpecFixes), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"spec fixes: {r}"));
        Assert.All(Reasons(result, TrackingNames.FileModels), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"a spec was parsed again ({r})"));
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, TrackingNames.TaskApis));
    }

    // With the manifest the chat types are in its Chat group's namespace; without it, in the root one.
    private static string Source(GeneratorRunResult result, string type) =>
        result.GeneratedSources.Single(s => s.HintName == type + ".g.cs" || s.HintName == GeneratorHarness.Namespace + ".Chat." + type + ".g.cs").SourceText.ToString();

    private static List<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
}
