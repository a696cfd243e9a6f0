using System;
using System.CodeDom.Compiler;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using HuggingFace.Inference.Testing.Shared;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The library's generated task types are in feature namespaces (the manifest's "groups"), one using per feature:
/// each task's types in its group's, and in the root namespace only the types no single group owns.
/// </summary>
public class FeatureNamespaceTests
{
    // The types of a server's own OpenAPI document (Endpoints management, TGI's and TEI's native routes): each
    // namespace is one wire document, imported on its own by code that calls that server's interface, and its
    // names follow that document (TGI's GenerateParameters is not text-generation's), so the feature rule
    // does not cover them (docs/namespaces.md).
    private static readonly HashSet<string> ServerDocumentNamespaces = new(StringComparer.Ordinal)
    {
        "HuggingFace.Inference.Endpoints", "HuggingFace.Inference.Tgi", "HuggingFace.Inference.Tei",
    };

    private static readonly Type[] Generated = typeof(InferenceClient).Assembly.GetTypes()
        .Where(t => t.IsPublic && t.GetCustomAttribute<GeneratedCodeAttribute>()?.Tool == "HuggingFace.Inference.Generator")
        .ToArray();

    private static Dictionary<string, string> Groups()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Specs, "inference", "tasks.json")))!;
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (group, tasks) in manifest["groups"]!.AsObject().Where(p => !p.Key.StartsWith('$')))
        {
            foreach (var task in tasks!.AsArray())
            {
                groups.Add(task!.GetValue<string>(), group);
            }
        }

        return groups;
    }

    /// <summary>Every task folder of specs/tasks and specs/tasks-local.</summary>
    private static string[] SpecTasks() =>
        Directory.GetDirectories(Path.Combine(RepoPaths.Specs, "tasks"))
            .Concat(Directory.GetDirectories(Path.Combine(RepoPaths.Specs, "tasks-local")))
            .Select(folder => Path.GetFileName(folder)!)
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static string Pascal(string task) => string.Concat(task.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    [Fact]
    public void EverySpecTaskIsInExactlyOneGroup()
    {
        var groups = Groups();
        var tasks = SpecTasks();
        Assert.True(tasks.Length >= 30, $"only {tasks.Length} task folders");
        Assert.Empty(tasks.Where(task => !groups.ContainsKey(task)));
    }

    [Fact]
    public void EachTasksInputAndOutputAreInItsGroupsNamespace()
    {
        var groups = Groups();
        var checkedTypes = 0;
        foreach (var task in SpecTasks())
        {
            foreach (var suffix in new[] { "Input", "Output", "Parameters", "StreamOutput" })
            {
                var matches = Generated.Where(t => t.Name == Pascal(task) + suffix).ToList();
                foreach (var type in matches)
                {
                    Assert.Equal("HuggingFace.Inference." + groups[task], type.Namespace);
                    checkedTypes++;
                }
            }
        }

        Assert.True(checkedTypes >= 80, $"only {checkedTypes} types checked");
    }

    [Fact]
    public void OnlyTypesNoSingleGroupOwnsAreGeneratedIntoTheRootNamespace()
    {
        var groups = Groups();
        // Not the task interfaces and not InferenceProviders (a static class, from specs/providers): the schema types.
        var root = Generated.Where(t => t.Namespace == "HuggingFace.Inference" && !t.IsInterface && !(t.IsAbstract && t.IsSealed)).ToList();

        // Which groups' spec files define each schema title (common-definitions.json: none).
        var definedBy = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var task in SpecTasks())
        {
            var folder = Directory.Exists(Path.Combine(RepoPaths.Specs, "tasks", task)) ? Path.Combine(RepoPaths.Specs, "tasks", task) : Path.Combine(RepoPaths.Specs, "tasks-local", task);
            foreach (var file in Directory.GetFiles(folder, "*.json"))
            {
                foreach (var title in Titles(JsonNode.Parse(File.ReadAllText(file))))
                {
                    (definedBy.TryGetValue(title, out var set) ? set : definedBy[title] = []).Add(groups[task]);
                }
            }
        }

        var common = Titles(JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Specs, "tasks", "common-definitions.json")))).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(root);
        Assert.True(root.Count < 15, $"{root.Count} generated types in the root namespace: {string.Join(", ", root.Select(t => t.Name))}");
        Assert.All(root, type => Assert.True(
            common.Any(title => type.Name.StartsWith(title, StringComparison.Ordinal)) || (definedBy.TryGetValue(type.Name, out var owners) && owners.Count > 1),
            $"{type.Name} is in the root namespace, but one group's spec files alone define it"));

        // The grouped ones: every generated task type outside the root is in one of the groups' namespaces.
        var namespaces = groups.Values.Select(g => "HuggingFace.Inference." + g).ToHashSet(StringComparer.Ordinal);
        var grouped = Generated.Where(t => t.Namespace != "HuggingFace.Inference" && t.Namespace != "HuggingFace.Inference.Providers" && !ServerDocumentNamespaces.Contains(t.Namespace!)).ToList();
        Assert.True(grouped.Count > 150, $"only {grouped.Count} grouped types");
        Assert.All(grouped, type => Assert.Contains(type.Namespace, namespaces));
    }

    [Fact]
    public void NoTypeNameIsInTwoFeatureNamespaces()
    {
        // A user importing two features must never meet an ambiguous name (CS0104).
        var names = typeof(InferenceClient).Assembly.GetExportedTypes()
            .Where(t => t.Namespace != null && t.Namespace.StartsWith("HuggingFace.Inference", StringComparison.Ordinal) && !ServerDocumentNamespaces.Contains(t.Namespace))
            .GroupBy(t => t.Name)
            .Where(g => g.Select(t => t.Namespace).Distinct().Count() > 1 && g.Any(Generated.Contains))
            .Select(g => g.Key + ": " + string.Join(", ", g.Select(t => t.Namespace)))
            .ToList();
        Assert.Empty(names);
    }

    [Fact]
    public void TheClientAndItsTaskInterfacesStayInTheRootNamespace()
    {
        Assert.Equal("HuggingFace.Inference", typeof(InferenceClient).Namespace);
        Assert.Equal("HuggingFace.Inference", typeof(InferenceClientOptions).Namespace);
        var interfaces = Generated.Where(t => t.IsInterface && t.Name.EndsWith("Task", StringComparison.Ordinal)).ToList();
        Assert.True(interfaces.Count >= 25, $"only {interfaces.Count} task interfaces");
        Assert.All(interfaces, t => Assert.Equal("HuggingFace.Inference", t.Namespace));
    }

    private static IEnumerable<string> Titles(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["title"] is JsonValue title && title.TryGetValue(out string? text))
                {
                    yield return text;
                }

                foreach (var child in obj.Select(p => p.Value).SelectMany(Titles))
                {
                    yield return child;
                }

                break;
            case JsonArray array:
                foreach (var child in array.SelectMany(Titles))
                {
                    yield return child;
                }

                break;
        }
    }
}
