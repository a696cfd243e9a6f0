using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>Bad specs give diagnostics pointing at the file and line, never exceptions, and the rest still generates.</summary>
public class DiagnosticTests
{
    private const string Good = """
        {
          "$id": "/inference/schemas/good/input.json",
          "title": "GoodInput",
          "type": "object",
          "properties": { "inputs": { "type": "string" } },
          "required": ["inputs"]
        }
        """;

    [Fact]
    public void InvalidJsonIsHfgen001AtTheErrorAndOtherSpecsStillGenerate()
    {
        var result = Run(("broken/input.json", "{\n  \"title\": \"Broken\",\n  \"type\": \"object\",,\n}"));

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN001");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.EndsWith("broken/input.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(2, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        AssertStillGenerates(result);
    }

    [Fact]
    public void DanglingRefIsHfgen002AtTheRefAndTheMemberBecomesJson()
    {
        var result = Run(("dangling/input.json", """
            {
              "$id": "/inference/schemas/dangling/input.json",
              "title": "DanglingInput",
              "type": "object",
              "properties": {
                "kept": { "type": "string" },
                "lost": { "$ref": "#/$defs/Missing" },
                "elsewhere": { "$ref": "/inference/schemas/nowhere.json#/definitions/X" }
              }
            }
            """));

        var diagnostics = result.Diagnostics.Where(d => d.Id == "HFGEN002").ToList();
        Assert.Equal(2, diagnostics.Count);
        Assert.Equal(new[] { 6, 7 }, diagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line).OrderBy(l => l));
        Assert.Contains("#/$defs/Missing", diagnostics[0].GetMessage() + diagnostics[1].GetMessage());

        var source = Source(result, "DanglingInput");
        Assert.Contains("public string? Kept", source);
        Assert.Contains("global::System.Text.Json.JsonElement? Lost", source);
        AssertStillGenerates(result);
    }

    [Fact]
    public void UnsupportedKeywordIsHfgen003AndIgnored()
    {
        var result = Run(("keyword/input.json", """
            {
              "$id": "/inference/schemas/keyword/input.json",
              "title": "KeywordInput",
              "type": "object",
              "properties": { "a": { "type": "string" } },
              "patternProperties": { "^x-": { "type": "string" } }
            }
            """));

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN003");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(5, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("patternProperties", diagnostic.GetMessage());
        Assert.Contains("public string? A", Source(result, "KeywordInput"));
        AssertStillGenerates(result);
    }

    [Fact]
    public void IndistinguishableUnionIsHfgen004AndTheMemberBecomesJson()
    {
        var result = Run(("union/input.json", """
            {
              "$id": "/inference/schemas/union/input.json",
              "title": "UnionInput",
              "type": "object",
              "properties": {
                "either": {
                  "oneOf": [
                    { "type": "array", "items": { "type": "string" } },
                    { "type": "array", "items": { "type": "number" } }
                  ]
                }
              }
            }
            """));

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN004");
        Assert.Equal(5, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("global::System.Text.Json.JsonElement? Either", Source(result, "UnionInput"));
        AssertStillGenerates(result);
    }

    [Fact]
    public void SameTitleWithDifferentShapesIsHfgen005()
    {
        var result = Run(
            ("a/output.json", """{ "$id": "/a/output.json", "title": "Shared", "type": "object", "properties": { "x": { "type": "string" } } }"""),
            ("b/output.json", """{ "$id": "/b/output.json", "title": "Shared", "type": "object", "properties": { "x": { "type": "integer" } } }"""));

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN005");
        Assert.EndsWith("b/output.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Contains("public string? X", Source(result, "Shared"));
    }

    [Fact]
    public void ManifestMemberThatTheSpecLacksIsHfgen007AtItsLine()
    {
        const string Manifest = """
            {
              "tasks": [
                { "task": "good", "method": "Good", "arguments": [ { "name": "text", "member": "inputs" } ] },
                { "task": "good", "method": "Bad", "arguments": [
                  { "name": "text", "member": "inputs.nothing" } ] }
              ]
            }
            """;
        var specs = new List<GeneratorHarness.SpecText>
        {
            new("/repo/specs/good/input.json", Good, "good"),
            new("/repo/specs/good/output.json", """{ "$id": "/good/output.json", "title": "GoodOutput", "type": "array", "items": { "type": "string" } }""", "good"),
            new("/repo/specs/inference/tasks.json", Manifest, string.Empty, isTaskManifest: true),
        };
        var result = GeneratorHarness.Run(specs);

        Assert.Null(result.Exception);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN007");
        Assert.Equal(4, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("\"inputs.nothing\"", diagnostic.GetMessage());
        Assert.Contains(result.GeneratedSources, s => s.HintName == "IGoodTask.g.cs");
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == "IBadTask.g.cs");
    }

    [Fact]
    public void FilesWithoutTaskMetadataAreIgnored()
    {
        var specs = new List<GeneratorHarness.SpecText>
        {
            new("/repo/specs/good/input.json", Good, "good"),
            new("/repo/other/untagged.json", Good.Replace("GoodInput", "UntaggedInput"), string.Empty),
        };
        var result = GeneratorHarness.Run(specs);

        Assert.Contains(result.GeneratedSources, s => s.HintName == "GoodInput.g.cs");
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == "UntaggedInput.g.cs");
    }

    private static GeneratorRunResult Run(params (string Path, string Text)[] files)
    {
        var specs = files.Select(f => new GeneratorHarness.SpecText("/repo/specs/" + f.Path, f.Text, f.Path.Split('/')[0])).ToList();
        specs.Add(new GeneratorHarness.SpecText("/repo/specs/good/input.json", Good, "good"));
        var result = GeneratorHarness.Run(specs);
        Assert.Null(result.Exception);
        return result;
    }

    private static void AssertStillGenerates(GeneratorRunResult result) =>
        Assert.Contains(result.GeneratedSources, s => s.HintName == "GoodInput.g.cs");

    private static string Source(GeneratorRunResult result, string type) =>
        result.GeneratedSources.Single(s => s.HintName == type + ".g.cs").SourceText.ToString();
}
