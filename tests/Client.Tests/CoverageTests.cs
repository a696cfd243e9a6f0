using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference.Testing.Shared;

namespace HuggingFace.Inference.Tests;

/// <summary>Every titled schema in specs/ has a generated type.</summary>
public class CoverageTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("tasks")]
    [InlineData("tasks-local")]
    public void EverySchemaTitleHasAGeneratedType(string folder)
    {
        var titles = Directory.GetFiles(Path.Combine(RepoPaths.Specs, folder), "*.json", SearchOption.AllDirectories)
            .SelectMany(file => Titles(JsonDocument.Parse(File.ReadAllText(file)).RootElement))
            .Distinct()
            .OrderBy(t => t, System.StringComparer.Ordinal)
            .ToList();
        var missing = titles.Where(t => SchemaTypes.Find(SchemaTypes.Pascal(t)) == null).ToList();

        output.WriteLine($"types: {titles.Count - missing.Count}/{titles.Count} (specs/{folder})");
        Assert.NotEmpty(titles);
        Assert.True(missing.Count == 0, "no generated type for: " + string.Join(", ", missing));
    }

    [Fact]
    public void UpstreamSpecsHaveTheTitleCountOfTheirVersion()
    {
        // 164 distinct titles in @huggingface/tasks 0.21.54 (placeholder excluded); a sync changes both lines.
        var version = File.ReadAllText(Path.Combine(RepoPaths.Specs, "tasks", "VERSION")).Trim();
        var count = Directory.GetFiles(Path.Combine(RepoPaths.Specs, "tasks"), "*.json", SearchOption.AllDirectories)
            .SelectMany(file => Titles(JsonDocument.Parse(File.ReadAllText(file)).RootElement))
            .Distinct()
            .Count();
        if (version == "0.21.54")
        {
            Assert.Equal(164, count);
        }

        Assert.False(Directory.Exists(Path.Combine(RepoPaths.Specs, "tasks", "placeholder")), "the placeholder task must not be synced");
    }

    /// <summary>Titles of the schema and every schema inside it (not inside enum values, defaults or examples).</summary>
    private static IEnumerable<string> Titles(JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in schema.EnumerateArray().SelectMany(Titles))
            {
                yield return item;
            }

            yield break;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var member in schema.EnumerateObject())
        {
            switch (member.Name)
            {
                case "title" when member.Value.ValueKind == JsonValueKind.String:
                    yield return member.Value.GetString()!;
                    break;
                case "properties" or "definitions" or "$defs" when member.Value.ValueKind == JsonValueKind.Object:
                    foreach (var title in member.Value.EnumerateObject().SelectMany(p => Titles(p.Value)))
                    {
                        yield return title;
                    }

                    break;
                case "enum" or "required" or "default" or "example" or "examples" or "const":
                    break;
                default:
                    foreach (var title in Titles(member.Value))
                    {
                        yield return title;
                    }

                    break;
            }
        }
    }
}
