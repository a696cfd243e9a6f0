using System.Linq;

namespace HuggingFace.Inference.Generator.Tests;

/// <summary>
/// Each generated type's second partial declaration (AotSupportEmitter): the required-member check and the
/// serializer's metadata, for a project's own schemas as for the library's.
/// </summary>
public class AotSupportTests
{
    private const string Input = """
        {
          "$id": "/my/handler/input.json",
          "title": "MyHandlerInput",
          "type": "object",
          "properties": { "inputs": { "type": "string" }, "threshold": { "type": "number" }, "inner": { "$ref": "#/$defs/Inner" } },
          "required": ["inputs", "threshold"],
          "$defs": { "Inner": { "title": "MyHandlerInner", "type": "object", "properties": { "name": { "type": "string" } }, "required": ["name"] } }
        }
        """;

    private const string Output = """
        { "$id": "/my/handler/output.json", "title": "MyHandlerOutput", "type": "array", "items": { "title": "MyHandlerOutputElement", "type": "object", "properties": { "label": { "type": "string" } }, "required": ["label"] } }
        """;

    private static GeneratorHarness.SpecText[] Specs() =>
    [
        new("/proj/schemas/my-handler/input.json", Input, "my-handler"),
        new("/proj/schemas/my-handler/output.json", Output, "my-handler"),
    ];

    private static string Source(string hint) =>
        GeneratorHarness.Run(Specs()).GeneratedSources.Single(s => s.HintName == hint).SourceText.ToString();

    [Fact]
    public void AnOwnRecordChecksItsRequiredReferenceMembersAndDescends()
    {
        var input = Source("MyHandlerInput.Aot.g.cs");
        Assert.Contains("partial record MyHandlerInput : global::HuggingFace.Inference.Serialization.IRequiredMembers", input);
        Assert.Contains("if (Inputs is null)", input);
        Assert.Contains("return \"inputs\";", input);

        // A required number is not checked (recorded answers leave some out); a nested record is descended into.
        Assert.DoesNotContain("\"threshold\"", input);
        Assert.Contains("RequiredMembers.Find(Inner) is { } missing0", input);
        Assert.Contains("RequiredMembers.Join(\"inner\", missing0)", input);
        Assert.Contains("if (Name is null)", Source("MyHandlerInner.Aot.g.cs"));
    }

    [Fact]
    public void AnOwnListOfRecordsChecksItsElementsAndEveryTypeHasMetadata()
    {
        var output = Source("MyHandlerOutput.Aot.g.cs");
        Assert.Contains("partial class MyHandlerOutput : global::HuggingFace.Inference.Serialization.IRequiredMembers", output);
        Assert.Contains("RequiredMembers.FindInList(this)", output);
        Assert.Contains("new global::HuggingFace.Inference.Serialization.SchemaArrayConverter<MyHandlerOutput, MyHandlerOutputElement>()", output);

        var registry = Source("GeneratedJsonTypes.g.cs");
        foreach (var name in new[] { "MyHandlerInput", "MyHandlerInner", "MyHandlerOutput", "MyHandlerOutputElement" })
        {
            Assert.Contains("." + name + ".__JsonTypeInfo,", registry);
        }

        // Registered with the client's options when the project's assembly loads: its records need no reflection either.
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", registry);
        Assert.Contains("InferenceJson.AddGeneratedTypes(Instance)", registry);
    }
}
