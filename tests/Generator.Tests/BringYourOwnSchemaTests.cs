using System.Collections.Generic;
using System.Linq;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>A project's own schemas get records and a typed method; the library's own tasks (with a manifest) do not.</summary>
public class BringYourOwnSchemaTests
{
    private const string Input = """
        {
          "$id": "/my/handler/input.json",
          "title": "MyHandlerInput",
          "type": "object",
          "properties": { "inputs": { "type": "string" }, "threshold": { "type": "number" } },
          "required": ["inputs"]
        }
        """;

    private const string Output = """
        { "$id": "/my/handler/output.json", "title": "MyHandlerOutput", "type": "array", "items": { "type": "object", "properties": { "label": { "type": "string" } } } }
        """;

    [Fact]
    public void OwnSchemasGetRecordsAndATypedMethod()
    {
        var result = GeneratorHarness.Run(Specs());
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        var hints = result.GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Contains("MyHandlerInput.g.cs", hints);
        Assert.Contains("MyHandlerOutput.g.cs", hints);
        var method = result.GeneratedSources.Single(s => s.HintName == "MyHandlerInferenceExtensions.g.cs").SourceText.ToString();
        Assert.Contains("public static global::System.Threading.Tasks.Task<MyHandlerOutput> MyHandlerAsync(this global::HuggingFace.Inference.InferenceClient client, MyHandlerInput input", method);
        Assert.Contains("client.SendAsync<MyHandlerInput, MyHandlerOutput>(input, model, \"my-handler\", cancellationToken)", method);
    }

    [Fact]
    public void AProjectWithATaskManifestGetsNoExtraMethods()
    {
        var specs = Specs();
        specs.Add(new GeneratorHarness.SpecText("/repo/specs/inference/tasks.json", """{ "tasks": [] }""", string.Empty, isTaskManifest: true));
        var result = GeneratorHarness.Run(specs);
        Assert.Null(result.Exception);
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName.EndsWith("InferenceExtensions.g.cs"));
        Assert.Contains(result.GeneratedSources, s => s.HintName == "MyHandlerInput.g.cs");
    }

    [Fact]
    public void AnUnrelatedEditLeavesTheOwnSchemaPipelineCached()
    {
        var compilation = GeneratorHarness.Compilation("class Placeholder { }");
        var driver = GeneratorHarness.CreateDriver(Specs()).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class Unrelated { }")));
        var result = driver.GetRunResult().Results.Single();

        foreach (var step in new[] { TrackingNames.SpecFiles, TrackingNames.FileModels, TrackingNames.ModelSet, TrackingNames.Types, TrackingNames.TaskExtensions })
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked");
            Assert.All(result.TrackedSteps[step].SelectMany(s => s.Outputs), o => Assert.True(
                o.Reason is Microsoft.CodeAnalysis.IncrementalStepRunReason.Cached or Microsoft.CodeAnalysis.IncrementalStepRunReason.Unchanged,
                $"step {step} ran again ({o.Reason})"));
        }
    }

    private static List<GeneratorHarness.SpecText> Specs() =>
    [
        new("/consumer/specs/my-handler/input.json", Input, "my-handler"),
        new("/consumer/specs/my-handler/output.json", Output, "my-handler"),
    ];
}
