using System.Linq;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>The emitted code of representative specs, compared with reviewed snapshots.</summary>
public class SnapshotTests
{
    [Theory]
    [InlineData("text-classification")]
    [InlineData("chat-completion")]
    [InlineData("feature-extraction")]
    [InlineData("image-segmentation")]
    public void Task(string task) => VerifyRun(nameof(Task) + "_" + task, GeneratorHarness.RepoSpecs(task), task);

    [Fact]
    public void CommonDefinitions() => VerifyRun(nameof(CommonDefinitions), GeneratorHarness.RepoSpecs(), "common-definitions");

    /// <summary>The generated per-task API: a JSON task, a nested-inputs task with a rename, a binary task, embeddings.</summary>
    [Theory]
    [InlineData("text-classification", "ITextClassificationTask")]
    [InlineData("table-question-answering", "ITableQuestionAnsweringTask")]
    [InlineData("image-classification", "IImageClassificationTask")]
    [InlineData("feature-extraction", "IFeatureExtractionTask")]
    public void TaskApi(string task, string hint)
    {
        var specs = GeneratorHarness.RepoSpecs(task);
        specs.Add(GeneratorHarness.Manifest());
        var result = GeneratorHarness.Run(specs);
        Assert.Null(result.Exception);

        // The manifest names every task; only this one's types exist here, so the others report HFGEN007.
        Assert.All(result.Diagnostics, d => Assert.Equal("HFGEN007", d.Id));
        var source = result.GeneratedSources.Single(s => s.HintName == hint + ".g.cs");
        Assert.Null(Snapshot.Compare(source.SourceText.ToString(), "SnapshotTests." + nameof(TaskApi) + "_" + task + "#" + hint));
    }

    /// <summary>The OpenAPI path: a oneOf of one-key objects becomes one record with a member per variant.</summary>
    [Theory]
    [InlineData("EndpointModelImage")]
    [InlineData("EndpointWithStatus")]
    [InlineData("InferenceEndpointStatus")]
    public void EndpointsOpenApi(string type)
    {
        var result = GeneratorHarness.Run([GeneratorHarness.EndpointsOpenApi()]);
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        var source = result.GeneratedSources.Single(s => s.HintName == "Test.Endpoints." + type + ".g.cs");
        Assert.Contains("namespace Test.Endpoints", source.SourceText.ToString());
        Assert.Null(Snapshot.Compare(source.SourceText.ToString(), "SnapshotTests." + nameof(EndpointsOpenApi) + "#" + type));
    }

    private static void VerifyRun(string name, System.Collections.Generic.List<GeneratorHarness.SpecText> specs, string sourceMarker)
    {
        var result = GeneratorHarness.Run(specs);
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);

        // Only the types that come from the task's own files: common-definitions has its own snapshot, and
        // the Refit interfaces (post-initialization output, in every run) have theirs in RefitInterfaceTests.
        var refit = Refit.EmbeddedRefitSpecs.Current.Sources.Select(s => s.HintName).ToHashSet();
        var sources = result.GeneratedSources
            .Where(s => s.SourceText.ToString().Contains("/" + sourceMarker) && !refit.Contains(s.HintName))
            .OrderBy(s => s.HintName, System.StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(sources);
        var problems = sources
            .Select(source => Snapshot.Compare(source.SourceText.ToString(), "SnapshotTests." + name + "#" + source.HintName.Replace(".g.cs", string.Empty)))
            .Where(problem => problem != null)
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
