using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>The pipeline is incremental: what did not change is not recomputed, nor re-emitted.</summary>
public class IncrementalTests
{
    [Fact]
    public void UnrelatedSourceEditLeavesEveryStepCached()
    {
        var specs = GeneratorHarness.AllRepoSpecs();
        var compilation = GeneratorHarness.Compilation("class Placeholder { }");
        var driver = GeneratorHarness.CreateDriver(specs).RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { int X; }")));
        var result = driver.GetRunResult().Results.Single();

        // TaskExtensions works only for projects without a task manifest (a consumer's own schemas);
        // BringYourOwnSchemaTests checks its caching.
        foreach (var step in TrackingNames.All.Where(s => s != TrackingNames.TaskExtensions))
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} was not tracked; tracked: {string.Join(", ", result.TrackedSteps.Keys)}");
            var reasons = Reasons(result, step);
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(
                reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"step {step} ran again ({reason}) after an unrelated edit"));
        }
    }

    [Fact]
    public void WhitespaceOnlySpecEditLeavesTheModelUnchanged()
    {
        var (result, _) = RunThenEdit("text-classification/input.json", text => text.Replace("\n", "\n  ") + "\n\n");

        // The file's text changed, so it is read again; what it means did not, so nothing downstream moves.
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, TrackingNames.SpecFiles));
        Assert.Contains(IncrementalStepRunReason.Unchanged, Reasons(result, TrackingNames.FileModels));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, Reasons(result, TrackingNames.FileModels));
        Assert.All(Reasons(result, TrackingNames.ModelSet), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"the model set was rebuilt ({r})"));
        Assert.All(Reasons(result, TrackingNames.Types), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"a type was re-emitted ({r})"));
    }

    [Fact]
    public void RealSpecEditRegeneratesOnlyTheChangedType()
    {
        var (result, _) = RunThenEdit("text-classification/input.json", text => text.Replace("\"The text to classify\"", "\"The text to classify, edited\""));

        var modifiedTypes = result.TrackedSteps[TrackingNames.Types]
            .SelectMany(step => step.Outputs)
            .Where(output => output.Reason == IncrementalStepRunReason.Modified)
            .Select(output => ((Model.EmitRequest)output.Value).Type.Name)
            .ToList();
        Assert.Equal(new[] { "TextClassificationInput" }, modifiedTypes);
        var source = result.GeneratedSources.Single(s => s.HintName == GeneratorHarness.Namespace + ".Text.TextClassificationInput.g.cs").SourceText.ToString();
        Assert.Contains("The text to classify, edited", source);
    }

    [Fact]
    public void ASpecEditReparsesOnlyThatFileAndEveryOtherFileStaysCached()
    {
        const string Edited = "text-classification/input.json";
        var (result, before) = RunThenEdit(Edited, text => text.Replace("\"The text to classify\"", "\"The text to classify, edited\""));

        // Every spec file is a step of its own: the edited one runs again, every other one is Cached.
        var parses = PerFile(result, TrackingNames.FileModels, value => ((Model.FileModel)value).Path);
        Assert.True(parses.Count > 70, $"only {parses.Count} files were parsed");
        Assert.Equal(IncrementalStepRunReason.Modified, parses.Single(p => p.Path.EndsWith(Edited)).Reason);
        Assert.All(parses.Where(p => !p.Path.EndsWith(Edited)), p => Assert.True(p.Reason == IncrementalStepRunReason.Cached, $"{p.Path} was parsed again ({p.Reason})"));

        foreach (var (step, path) in new (string, System.Func<object, string>)[]
        {
            (TrackingNames.SpecFiles, value => ((Model.SpecFile)value).Path),
            (TrackingNames.SchemaDocument, value => ((Model.IndexedSpecFile)value).File.Path),
        })
        {
            var outputs = PerFile(result, step, path);
            Assert.Equal(IncrementalStepRunReason.Modified, outputs.Single(p => p.Path.EndsWith(Edited)).Reason);
            Assert.All(outputs.Where(p => !p.Path.EndsWith(Edited)), p => Assert.True(p.Reason == IncrementalStepRunReason.Cached, $"{step} of {p.Path} ran again ({p.Reason})"));
        }

        // Choosing each file's documents runs for every file (the set of documents changed) but finds the same ones.
        var inputs = PerFile(result, TrackingNames.FileParseInputs, value => ((Model.FileParseInput)value).File.Path);
        Assert.All(inputs.Where(p => !p.Path.EndsWith(Edited)), p => Assert.True(p.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, $"the documents of {p.Path} changed ({p.Reason})"));

        // The edited file's output did change, and only its type's source.
        var changed = result.GeneratedSources.Where(s => !before.TryGetValue(s.HintName, out var old) || old != s.SourceText.ToString()).Select(s => s.HintName).ToList();
        Assert.Equal(new[] { GeneratorHarness.Namespace + ".Text.TextClassificationInput.g.cs" }, changed);
    }

    [Fact]
    public void AnEditToASharedDocumentReparsesTheFilesThatReferToItAndNoOthers()
    {
        var specs = GeneratorHarness.AllRepoSpecs();
        var referring = specs.Where(s => s.Content.Contains("\"$ref\": \"/inference/schemas/common-definitions.json")).Select(s => s.Path).ToHashSet();
        Assert.NotEmpty(referring);

        var (result, _) = RunThenEdit("tasks/common-definitions.json", text => text.Replace("\"description\": \"", "\"description\": \"Edited. "));

        var parses = PerFile(result, TrackingNames.FileModels, value => ((Model.FileModel)value).Path);
        foreach (var (path, reason) in parses)
        {
            if (path.EndsWith("tasks/common-definitions.json") || referring.Contains(path))
            {
                Assert.True(reason != IncrementalStepRunReason.Cached, $"{path} refers to the edited document but was not parsed again");
            }
            else
            {
                Assert.True(reason == IncrementalStepRunReason.Cached, $"{path} does not refer to the edited document but was parsed again ({reason})");
            }
        }

        // 14 task files refer to common-definitions.json (as the README says); the other parses stay cached.
        Assert.Equal(14, referring.Count);
        Assert.Equal(parses.Count - 15, parses.Count(p => p.Reason == IncrementalStepRunReason.Cached));
    }

    /// <summary>Each output of a per-file step, with the file it belongs to.</summary>
    private static List<(string Path, IncrementalStepRunReason Reason)> PerFile(GeneratorRunResult result, string step, System.Func<object, string> path) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => (path(o.Value), o.Reason)).ToList();

    private static readonly string[] ProviderSteps =
    {
        TrackingNames.ProviderFiles, TrackingNames.ProviderFileModels, TrackingNames.ProviderKnownTasks, TrackingNames.ProviderRegistry, TrackingNames.ProviderRegistryOutput,
    };

    [Fact]
    public void TaskSchemaDescriptionEditLeavesTheProviderRegistryCached()
    {
        var (result, _) = RunThenEdit("text-classification/input.json", text => text.Replace("\"The text to classify\"", "\"The text to classify, edited\""));

        // The task names did not change, so nothing of the registry runs again.
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, TrackingNames.SpecFiles));
        foreach (var step in ProviderSteps)
        {
            AssertCached(result, step);
        }
    }

    [Fact]
    public void ProviderFileEditReemitsOnlyTheRegistry()
    {
        var (result, before) = RunThenEdit("providers/hf-inference.json", text => text.Replace("/models/{model}/pipeline/feature-extraction", "/models/{model}/pipeline/feature-extraction-edited"));

        foreach (var step in new[] { TrackingNames.ProviderFiles, TrackingNames.ProviderFileModels, TrackingNames.ProviderRegistry, TrackingNames.ProviderRegistryOutput })
        {
            Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, step));
        }

        foreach (var step in TrackingNames.All.Except(ProviderSteps).Append(TrackingNames.ProviderKnownTasks).Where(s => s != TrackingNames.TaskExtensions))
        {
            AssertCached(result, step);
        }

        var changed = result.GeneratedSources.Where(s => !before.TryGetValue(s.HintName, out var old) || old != s.SourceText.ToString()).Select(s => s.HintName).ToList();
        Assert.Equal(new[] { "ProviderRegistry.g.cs" }, changed);
        Assert.Contains("/models/{model}/pipeline/feature-extraction-edited", result.GeneratedSources.Single(s => s.HintName == "ProviderRegistry.g.cs").SourceText.ToString());
    }

    [Fact]
    public void WhitespaceOnlyProviderFileEditDoesNotReemitTheRegistry()
    {
        var (result, _) = RunThenEdit("providers/hf-inference.json", text => "\n\n" + text.Replace("\n", "\n  "));

        // The positions kept for diagnostics moved; the registry did not.
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, TrackingNames.ProviderFileModels));
        AssertCached(result, TrackingNames.ProviderRegistry);
        AssertCached(result, TrackingNames.ProviderRegistryOutput);
    }

    /// <summary>Runs the generator on the repository's specs, edits one file (found by the end of its path), runs again.</summary>
    /// <returns>The second run, and the first run's sources by hint name.</returns>
    private static (GeneratorRunResult Result, Dictionary<string, string> Before) RunThenEdit(string pathEnd, System.Func<string, string> edit)
    {
        var specs = GeneratorHarness.AllRepoSpecs();
        var compilation = GeneratorHarness.Compilation("class Placeholder { }");
        var driver = GeneratorHarness.CreateDriver(specs).RunGenerators(compilation);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var edited = specs.First(s => s.Path.EndsWith(pathEnd));
        driver = driver.ReplaceAdditionalText(edited, edited.WithText(edit(edited.Content))).RunGenerators(compilation);
        return (driver.GetRunResult().Results.Single(), before);
    }

    private static void AssertCached(GeneratorRunResult result, string step)
    {
        var reasons = Reasons(result, step);
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.True(
            reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"step {step} ran again ({reason})"));
    }

    private static List<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
}
