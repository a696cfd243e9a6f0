using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The generated writers against the serializer's reflection contract (<see cref="ReflectionJson.Options"/>, the settings of InferenceJson.Options,
/// what request bodies were written with before): byte for byte, on every recorded body and on a
/// filled and an empty value of every generated record.
/// </summary>
public class WireWriterTests(ITestOutputHelper output)
{
    private static IEnumerable<Type> Records() =>
        typeof(InferenceClient).Assembly.GetTypes().Where(t => t.GetNestedType("WireWriter", BindingFlags.NonPublic) != null);

    [Fact]
    public void TheWriteOptionsUseAGeneratedWriterForEveryRecord()
    {
        var records = Records().ToList();
        foreach (var type in records)
        {
            Assert.IsType(type.GetNestedType("WireWriter", BindingFlags.NonPublic)!, InferenceJson.WriteOptions.GetConverter(type));
        }

        Assert.True(records.Count > 150, $"only {records.Count} records have a generated writer");
    }

    [Fact]
    public void ThePublicOptionsResolveEveryGeneratedTypeWithoutReflection()
    {
        // Metadata made from a converter (Kind None), not the serializer's reflection contract (Kind Object):
        // users writing generated types with InferenceJson.Options get the generated writers, in AOT too.
        var generated = typeof(InferenceClient).Assembly.GetTypes()
            .Where(t => t.GetMethod("__JsonTypeInfo", BindingFlags.NonPublic | BindingFlags.Static) != null)
            .ToList();
        foreach (var type in generated)
        {
            var info = InferenceJson.Options.GetTypeInfo(type);
            Assert.True(info.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.None, $"{type.Name}: {info.Kind}");
        }

        Assert.True(generated.Count > 300, $"only {generated.Count} generated types");
        Assert.Equal(System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object, ReflectionJson.Options.GetTypeInfo(typeof(ChatCompletionInput)).Kind);
    }

    [Fact]
    public void RecordedBodiesAreWrittenByteForByteAsTheSerializerWritesThem()
    {
        var compared = 0;
        var failures = new List<string>();
        foreach (var exchange in RecordedTraffic.Load())
        {
            foreach (var (body, kind) in new[] { (exchange.RequestBody, "Input"), (exchange.ResponseBody, "Output") })
            {
                if (body == null || exchange.IsSse || !RecordedTraffic.IsJson(body) || SchemaTypes.ForTask(exchange.Task, kind) is not { } type)
                {
                    continue;
                }

                object? value;
                try
                {
                    value = JsonSerializer.Deserialize(body, type, ReflectionJson.Options);
                }
                catch (Exception exception) when (exception is JsonException or InvalidOperationException or NotSupportedException or FormatException)
                {
                    continue; // not this type's shape (a wrapped list, say): the lossless tests cover those
                }

                compared++;
                if (Difference(type, value) is { } difference)
                {
                    failures.Add($"{exchange} {kind}: {difference}");
                }
            }
        }

        output.WriteLine($"recorded bodies compared: {compared}");
        Assert.True(compared > 50, $"only {compared} recorded bodies compared");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void EveryRecordFilledOrEmptyIsWrittenByteForByteAsTheSerializerWritesIt()
    {
        var failures = new List<string>();
        var filledMembers = 0;
        foreach (var type in Records())
        {
            var (sample, members) = Sample(type, depth: 0);
            filledMembers += members;
            foreach (var json in new[] { sample.ToJsonString(), "{}" })
            {
                var value = JsonSerializer.Deserialize(json, type, ReflectionJson.Options);
                if (Difference(type, value) is { } difference)
                {
                    failures.Add($"{type.Name} from {json}: {difference}");
                }
            }
        }

        output.WriteLine($"members filled: {filledMembers}");
        Assert.True(filledMembers > 500, $"only {filledMembers} members filled");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    [Fact]
    public void AChangedMemberChangesTheGeneratedBytes()
    {
        // The comparison can fail: a value the generated writer writes differs when a member differs.
        var one = new ChatCompletionInput { Messages = [new ChatCompletionInputMessage { Role = "user", Content = "a" }], Temperature = 0.5 };
        var two = one with { Temperature = 0.25 };
        Assert.NotEqual(JsonSerializer.Serialize(one, InferenceJson.WriteOptions), JsonSerializer.Serialize(two, InferenceJson.WriteOptions));
        Assert.Equal(JsonSerializer.Serialize(two, ReflectionJson.Options), JsonSerializer.Serialize(two, InferenceJson.WriteOptions));
    }

    private static string? Difference(Type type, object? value)
    {
        var expected = JsonSerializer.SerializeToUtf8Bytes(value, type, ReflectionJson.Options);
        var actual = JsonSerializer.SerializeToUtf8Bytes(value, type, InferenceJson.WriteOptions);
        var viaPublic = JsonSerializer.SerializeToUtf8Bytes(value, type, InferenceJson.Options);
        return expected.AsSpan().SequenceEqual(actual) && expected.AsSpan().SequenceEqual(viaPublic)
            ? null
            : $"reflection {System.Text.Encoding.UTF8.GetString(expected)} generated {System.Text.Encoding.UTF8.GetString(actual)} public options {System.Text.Encoding.UTF8.GetString(viaPublic)}";
    }

    /// <summary>
    /// A JSON object with every member of the record this test can fill (each kept only if the record
    /// reads it alone), plus a member the record does not declare.
    /// </summary>
    private static (JsonObject Sample, int Members) Sample(Type type, int depth)
    {
        var sample = new JsonObject();
        var members = 0;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>() is not { } name)
            {
                continue;
            }

            foreach (var candidate in Candidates(property.PropertyType, depth))
            {
                var one = new JsonObject { [name.Name] = candidate?.DeepClone() };
                try
                {
                    JsonSerializer.Deserialize(one.ToJsonString(), type, ReflectionJson.Options);
                }
                catch (Exception exception) when (exception is JsonException or InvalidOperationException or NotSupportedException or FormatException)
                {
                    continue;
                }

                sample[name.Name] = candidate?.DeepClone();
                members++;
                break;
            }
        }

        sample["not_in_the_schema"] = new JsonObject { ["kept"] = new JsonArray(1, "é", null) };
        return (sample, members);
    }

    private static IEnumerable<JsonNode?> Candidates(Type type, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            yield return "text é \u2028 <>";
        }
        else if (type == typeof(int) || type == typeof(long) || type == typeof(ulong))
        {
            yield return 7;
        }
        else if (type == typeof(double))
        {
            yield return 0.1;
            yield return 1e300;
        }
        else if (type == typeof(bool))
        {
            yield return true;
        }
        else if (type == typeof(JsonElement))
        {
            yield return new JsonObject { ["k"] = new JsonArray(1, 2.5, "x") };
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            foreach (var element in Candidates(type.GetGenericArguments()[0], depth + 1))
            {
                yield return new JsonArray(element?.DeepClone(), element?.DeepClone());
            }
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            foreach (var value in Candidates(type.GetGenericArguments()[1], depth + 1))
            {
                yield return new JsonObject { ["b"] = value?.DeepClone(), ["a"] = value?.DeepClone() };
            }
        }
        else if (type.GetNestedType("WireWriter", BindingFlags.NonPublic) != null)
        {
            if (depth < 4)
            {
                yield return Sample(type, depth + 1).Sample;
            }
        }
        else
        {
            // Enums, unions, arrays and maps of the schema, base64 data: whatever of these the type reads.
            yield return "text";
            yield return 3;
            yield return 0.5;
            yield return true;
            yield return new JsonArray(1, 2);
            yield return new JsonArray("a", "b");
            yield return new JsonArray(new JsonArray(1, 2));
            yield return new JsonObject { ["a"] = 1 };
            yield return new JsonObject { ["type"] = "text", ["text"] = "x" };
        }
    }
}
