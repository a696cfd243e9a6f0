using System;
using System.Linq;
using System.Text;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Tests;

/// <summary>Finds generated types by the names the generator gives them, written independently of it.</summary>
internal static class SchemaTypes
{
    /// <summary>The root namespace and the feature namespaces of the manifest's groups, where task types are generated.</summary>
    private static readonly Lazy<string[]> Namespaces = new(() =>
        new[] { "HuggingFace.Inference" }
            .Concat(System.Text.Json.Nodes.JsonNode.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(HuggingFace.Inference.Testing.Shared.RepoPaths.Specs, "inference", "tasks.json")))!["groups"]!
                .AsObject().Select(p => p.Key).Where(key => !key.StartsWith('$')).Select(group => "HuggingFace.Inference." + group))
            .ToArray());

    /// <summary>The generated task type of that name, in the root namespace or in its feature's.</summary>
    public static Type? Find(string name) =>
        Namespaces.Value.Select(ns => typeof(InferenceJson).Assembly.GetType(ns + "." + name)).FirstOrDefault(type => type != null);

    /// <summary>The type for a task's spec file: <c>text-classification</c> + <c>Output</c> → TextClassificationOutput.</summary>
    public static Type? ForTask(string task, string kind) => Find(Pascal(task) + kind);

    public static string Pascal(string text)
    {
        var builder = new StringBuilder();
        foreach (var word in text.Split(new[] { '-', '_', ' ', '.' }, StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
        }

        return builder.ToString();
    }

    public static bool IsArrayType(Type type) => BaseTypes(type).Any(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(SchemaArray<>));

    public static Type ElementType(Type arrayType) =>
        BaseTypes(arrayType).First(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(SchemaArray<>)).GetGenericArguments()[0];

    private static System.Collections.Generic.IEnumerable<Type> BaseTypes(Type type)
    {
        for (var current = type.BaseType; current != null; current = current.BaseType)
        {
            yield return current;
        }
    }
}
