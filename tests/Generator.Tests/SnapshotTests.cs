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

    private static void VerifyRun(string name, System.Collections.Generic.List<GeneratorHarness.SpecText> specs, string sourceMarker)
    {
        var result = GeneratorHarness.Run(specs);
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);

        // Only the types that come from the task's own files: common-definitions has its own snapshot.
        var sources = result.GeneratedSources
            .Where(s => s.SourceText.ToString().Contains("/" + sourceMarker))
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
