using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>
/// The generator never fails the compile with CS8785: whatever throws in a step (reading a file, indexing a document,
/// parsing, merging, emitting) is a diagnostic against the spec file, and the other files still generate.
/// </summary>
public class RobustnessTests
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
    public void OpenApiComponentsThatAreAnArrayAreHfgen006AtTheirLine()
    {
        var result = Run(new GeneratorHarness.SpecText("/repo/specs/broken-openapi.json", """
            {
              "openapi": "3.0.3",
              "paths": {},
              "components": []
            }
            """, string.Empty, openApiNamespace: "Test.Broken"));

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN006");
        Assert.EndsWith("broken-openapi.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(3, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("components", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("""{ "openapi": "3.0.3", "components": { "schemas": [] } }""")]
    [InlineData("""{ "openapi": "3.0.3", "components": "none" }""")]
    [InlineData("""{ "openapi": "3.0.3", "components": { "schemas": { "A": { "type": "object" } } }, "paths": { "/a": [] } }""")]
    [InlineData("""{ "openapi": "3.0.3", "paths": {} }""")]
    [InlineData("""{ "openapi": "3.0.3", "components": { "schemas": { "A": { "type": "object" } } }, "paths": { "/a": { "get": { "operationId": { "x": 1 } } } } }""")]
    public void MalformedOpenApiDocumentsAreDiagnosticsAgainstTheFile(string text)
    {
        var result = Run(new GeneratorHarness.SpecText("/repo/specs/broken-openapi.json", text, string.Empty, openApiNamespace: "Test.Broken"));

        Assert.True(result.Diagnostics.Any(d => d.Id.StartsWith("HFGEN") && d.Location.GetLineSpan().Path.EndsWith("broken-openapi.json")), string.Join("\n", result.Diagnostics));
    }

    [Theory]
    // $defs beside definitions: renaming one into the other collides.
    [InlineData("""{ "$id": "/inference/schemas/bad/input.json", "title": "BadInput", "type": "object", "$defs": { "A": { "type": "string" } }, "definitions": { "B": { "type": "string" } } }""")]
    [InlineData("""{ "$id": 42, "title": "BadInput", "type": "object", "properties": { "x": { "$ref": 7 } } }""")]
    [InlineData("""{ "$id": "/inference/schemas/bad/input.json", "title": { "no": "string" }, "type": "object" }""")]
    [InlineData("""{ "$id": "/inference/schemas/bad/input.json", "title": "BadInput", "type": "object", "properties": { "x": { "$ref": "http://[::1" } } }""")]
    public void MalformedTaskSchemasAreDiagnosticsAgainstTheFile(string text)
    {
        var result = Run(new GeneratorHarness.SpecText("/repo/specs/bad/input.json", text, "bad"));

        Assert.Contains(result.Diagnostics, d => d.Id.StartsWith("HFGEN") && d.Location.GetLineSpan().Path.EndsWith("bad/input.json"));
    }

    [Theory]
    [InlineData("""{ "tasks": [ { "task": { "not": "a name" }, "method": "Good" } ] }""")]
    [InlineData("""{ "tasks": [ { "task": "good", "method": "Good", "arguments": [ { "name": "text", "member": "inputs", "optional": "perhaps" } ] } ] }""")]
    [InlineData("""{ "tasks": { "good": {} } }""")]
    [InlineData("""[]""")]
    public void MalformedManifestsAreDiagnosticsAgainstTheFile(string text)
    {
        var result = Run(new GeneratorHarness.SpecText("/repo/specs/inference/tasks.json", text, string.Empty, isTaskManifest: true));

        Assert.Contains(result.Diagnostics, d => d.Id.StartsWith("HFGEN") && d.Location.GetLineSpan().Path.EndsWith("inference/tasks.json"));
    }

    [Theory]
    [InlineData("""{ "provider": ["x"], "baseUrl": "https://x.example", "auth": "bearer", "tasks": [] }""")]
    [InlineData("""{ "provider": "x", "baseUrl": "https://x.example", "auth": "bearer", "tasks": { "a": 1 } }""")]
    [InlineData("""{ "provider": "x", "baseUrl": "https://x.example", "auth": "bearer", "tasks": [ { "task": "good", "route": { "no": 1 } } ] }""")]
    [InlineData("""{ "provider": "x", "baseUrl": "https://x.example", "auth": "bearer", "headers": [1, 2], "tasks": [ { "task": "good", "route": "/{model}", "directOnly": "yes" } ] }""")]
    public void MalformedProviderFilesAreDiagnosticsAgainstTheFile(string text)
    {
        var result = Run(GeneratorHarness.Provider("/repo/specs/providers/x.json", text));

        Assert.Contains(result.Diagnostics, d => d.Id.StartsWith("HFGEN") && d.Location.GetLineSpan().Path.EndsWith("providers/x.json"));
    }

    public static TheoryData<string> SpecKinds() => new() { "task schema", "OpenAPI document", "task manifest", "provider file" };

    [Theory]
    [MemberData(nameof(SpecKinds))]
    public void AFileThatCannotBeReadIsHfgen006AndTheOthersStillGenerate(string kind)
    {
        var unreadable = kind switch
        {
            "task schema" => new GeneratorHarness.SpecText("/repo/specs/locked/input.json", Good.Replace("GoodInput", "LockedInput"), "locked"),
            "OpenAPI document" => GeneratorHarness.EndpointsOpenApi(),
            "task manifest" => GeneratorHarness.Manifest(),
            _ => GeneratorHarness.ProviderFiles()[0],
        };

        var result = Run(unreadable.Unreadable());

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN006");
        Assert.Equal(unreadable.Path, diagnostic.Location.GetLineSpan().Path);
        Assert.Contains("IOException", diagnostic.GetMessage());
    }

    private const string SmallOpenApi = """
        {
          "openapi": "3.0.3",
          "paths": { "/a": { "get": { "operationId": "getA", "responses": { "200": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/A" } } } } } } } },
          "components": { "schemas": { "A": { "type": "object", "properties": { "x": { "type": "string" } } } } }
        }
        """;

    [Fact]
    public void AManifestMethodThatIsNoFileNameIsHfgen011AndTheOtherMethodsStillGenerate()
    {
        var result = Run(
            new GeneratorHarness.SpecText("/repo/specs/good/output.json", """{ "$id": "/good/output.json", "title": "GoodOutput", "type": "array", "items": { "type": "string" } }""", "good"),
            new GeneratorHarness.SpecText("/repo/specs/inference/tasks.json", """
                {
                  "tasks": [
                    { "task": "good", "method": "Good", "arguments": [ { "name": "text", "member": "inputs" } ] },
                    { "task": "good", "method": "Bad:Name", "arguments": [ { "name": "text", "member": "inputs" } ] }
                  ]
                }
                """, string.Empty, isTaskManifest: true));

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN011");
        Assert.Contains("IBad:NameTask.g.cs", diagnostic.GetMessage());
        Assert.Equal("/repo/specs/inference/tasks.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "IGoodTask.g.cs");
    }

    [Fact]
    public void TwoManifestEntriesWithOneMethodAreHfgen007AtTheSecond()
    {
        var result = Run(
            new GeneratorHarness.SpecText("/repo/specs/good/output.json", """{ "$id": "/good/output.json", "title": "GoodOutput", "type": "array", "items": { "type": "string" } }""", "good"),
            new GeneratorHarness.SpecText("/repo/specs/inference/tasks.json", """
                {
                  "tasks": [
                    { "task": "good", "method": "Good", "arguments": [ { "name": "text", "member": "inputs" } ] },
                    { "task": "good",
                      "method": "Good" }
                  ]
                }
                """, string.Empty, isTaskManifest: true));

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN007");
        Assert.Equal(4, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Single(result.GeneratedSources, s => s.HintName == "IGoodTask.g.cs");
    }

    [Fact]
    public void ATypeWhoseFileNameRoslynRefusesIsHfgen011AtItsSpecFile()
    {
        // The OpenAPI document's namespace (its metadata's value) is part of each type's file name.
        var result = Run(new GeneratorHarness.SpecText("/repo/specs/bad-openapi.json", SmallOpenApi, string.Empty, openApiNamespace: "Test:Bad"));

        var diagnostics = result.Diagnostics.Where(d => d.Id == "HFGEN011").ToList();
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("Test:Bad.A.g.cs"));
        Assert.All(diagnostics, d => Assert.Equal("/repo/specs/bad-openapi.json", d.Location.GetLineSpan().Path));
    }

    [Fact]
    public void TwoTypeNamesDifferingOnlyInCaseAreHfgen006AndTheFirstStillGenerates()
    {
        var result = Run(
            new GeneratorHarness.SpecText("/repo/specs/a/output.json", """{ "$id": "/a/output.json", "title": "CaseType", "type": "object", "properties": { "x": { "type": "string" } } }""", "a"),
            new GeneratorHarness.SpecText("/repo/specs/b/output.json", """{ "$id": "/b/output.json", "title": "Casetype", "type": "object", "properties": { "x": { "type": "string" } } }""", "b"));

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN006");
        Assert.Equal("/repo/specs/b/output.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "CaseType.g.cs");
    }

    [Theory]
    [InlineData("ProviderRegistry")]
    [InlineData("GeneratedWireReaders")]
    public void ATypeNamedAsAFileTheGeneratorEmitsIsHfgen006(string title)
    {
        var specs = new[]
        {
            new GeneratorHarness.SpecText("/repo/specs/clash/output.json", $$"""{ "$id": "/clash/output.json", "title": "{{title}}", "type": "object", "properties": { "x": { "type": "string" } } }""", "clash"),
        }.Concat(GeneratorHarness.ProviderFiles().Take(1)).ToArray();
        var result = Run(specs);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN006");
        Assert.Equal("/repo/specs/clash/output.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Contains(title, diagnostic.GetMessage());
    }

    [Fact]
    public void AManifestMethodWhoseInterfaceIsATypeNameIsHfgen007()
    {
        var result = Run(
            new GeneratorHarness.SpecText("/repo/specs/good/output.json", """{ "$id": "/good/output.json", "title": "GoodOutput", "type": "array", "items": { "type": "string" } }""", "good"),
            new GeneratorHarness.SpecText("/repo/specs/clash/output.json", """{ "$id": "/clash/output.json", "title": "IGoodTask", "type": "object" }""", "clash"),
            new GeneratorHarness.SpecText("/repo/specs/inference/tasks.json", """{ "tasks": [ { "task": "good", "method": "Good", "arguments": [ { "name": "text", "member": "inputs" } ] } ] }""", string.Empty, isTaskManifest: true));

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "HFGEN007");
        Assert.Contains("IGoodTask", diagnostic.GetMessage());
        Assert.Single(result.GeneratedSources, s => s.HintName == "IGoodTask.g.cs");
    }

    [Fact]
    public void AnOwnSchemaTypeNamedAsATaskExtensionClassLeavesTheExtensionOut()
    {
        // No manifest: the project brings its own schemas, and each task with Input and Output gets ClashInferenceExtensions.
        var result = Run(
            new GeneratorHarness.SpecText("/repo/specs/clash/input.json", """{ "$id": "/clash/input.json", "title": "ClashInput", "type": "object", "properties": { "inputs": { "type": "string" } } }""", "clash"),
            new GeneratorHarness.SpecText("/repo/specs/clash/output.json", """{ "$id": "/clash/output.json", "title": "ClashOutput", "type": "object" }""", "clash"),
            new GeneratorHarness.SpecText("/repo/specs/clash/extra.json", """{ "$id": "/clash/extra.json", "title": "ClashInferenceExtensions", "type": "object" }""", "clash"),
            new GeneratorHarness.SpecText("/repo/specs/good/output.json", """{ "$id": "/good/output.json", "title": "GoodOutput", "type": "object" }""", "good"));

        Assert.Single(result.GeneratedSources, s => s.HintName == "ClashInferenceExtensions.g.cs");
        Assert.Contains(result.GeneratedSources, s => s.HintName == "GoodInferenceExtensions.g.cs");
    }

    /// <summary>Runs the generator over <paramref name="extra"/> and a good task schema; nothing may escape as CS8785.</summary>
    private static GeneratorRunResult Run(params GeneratorHarness.SpecText[] extra)
    {
        var specs = new List<GeneratorHarness.SpecText>(extra) { new("/repo/specs/good/input.json", Good, "good") };
        var result = GeneratorHarness.Run(specs);
        Assert.True(result.Exception == null, "the generator threw: " + result.Exception);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "CS8785");
        Assert.Contains(result.GeneratedSources, s => s.HintName == "GoodInput.g.cs");
        return result;
    }
}
