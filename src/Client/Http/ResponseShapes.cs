using System;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Http;

/// <summary>
/// Reads an answer into a task's output type, unwrapping the envelopes servers use, as the Python
/// client does: a one-element list around an object output (summarization, translation,
/// image-to-text, text-generation), a list around a list output (text-classification's
/// <c>[[…]]</c>), and a single object where the output is a list (question-answering, table QA).
/// </summary>
internal static class ResponseShapes
{
    /// <summary>
    /// The answer as <typeparamref name="T"/>, checked against the spec: a null answer, or a null or
    /// missing required member of the answer (or of an element of a list answer) is an
    /// <see cref="AnswerMemberMissing"/>, never a silent null or a later NullReferenceException.
    /// </summary>
    public static T Read<T>(ReadOnlySpan<byte> json) => Required<T>.Check(ReadShape<T>(json));

    private static T ReadShape<T>(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read())
        {
            throw new JsonException($"The answer is empty; expected {typeof(T).Name}.");
        }

        var expectsList = Shape<T>.IsList;
        var first = reader.TokenType;
        if (first == JsonTokenType.StartArray && reader.Read())
        {
            var second = reader.TokenType;
            if (!expectsList && !Shape<T>.IsTensor && second == JsonTokenType.StartObject)
            {
                return FirstElement<T>(json);
            }

            if (expectsList && second == JsonTokenType.StartArray && !Shape<T>.ElementIsList)
            {
                return FirstElement<T>(json);
            }
        }
        else if (first == JsonTokenType.StartObject && expectsList)
        {
            if (ParallelLabels(json) is { } zipped)
            {
                return JsonSerializer.Deserialize(zipped, InferenceJson.Info<T>(InferenceJson.ReadOptions))!;
            }

            // One object where the spec has a list of them.
            var buffer = new byte[json.Length + 2];
            buffer[0] = (byte)'[';
            json.CopyTo(buffer.AsSpan(1));
            buffer[^1] = (byte)']';
            return JsonSerializer.Deserialize(buffer, InferenceJson.Info<T>(InferenceJson.ReadOptions))!;
        }

        return JsonSerializer.Deserialize(json, InferenceJson.Info<T>(InferenceJson.ReadOptions))!;
    }

    /// <summary>
    /// The legacy zero-shot form <c>{"sequence": …, "labels": [...], "scores": [...]}</c> as the list of
    /// <c>{"label", "score"}</c> the spec has (as the Python client zips it); null for any other object.
    /// </summary>
    private static byte[]? ParallelLabels(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        if (!root.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Array
            || !root.TryGetProperty("scores", out var scores) || scores.ValueKind != JsonValueKind.Array
            || labels.GetArrayLength() != scores.GetArrayLength() || root.TryGetProperty("label", out _))
        {
            return null;
        }

        using var output = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartArray();
            foreach (var (label, score) in labels.EnumerateArray().Zip(scores.EnumerateArray()))
            {
                writer.WriteStartObject();
                writer.WritePropertyName("label");
                label.WriteTo(writer);
                writer.WritePropertyName("score");
                score.WriteTo(writer);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return output.ToArray();
    }

    private static T FirstElement<T>(ReadOnlySpan<byte> json)
    {
        // Deserialize the first element where it lies: no copy of the answer, no document.
        var reader = new Utf8JsonReader(json);
        reader.Read();
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            throw new JsonException($"The answer is an empty list; expected {typeof(T).Name}.");
        }

        var first = JsonSerializer.Deserialize(ref reader, InferenceJson.Info<T>(InferenceJson.ReadOptions))!;

        // The rest is not kept but must still be JSON: a cut or garbled answer stays an error.
        while (reader.Read())
        {
        }

        return first;
    }

    /// <summary>
    /// The required members (C# <c>required</c>, from the spec's <c>required</c>) of reference type, which the
    /// readers leave null when a server omits them: checked on the answer and, below it, on
    /// every generated record it holds (a member, or an element of a list), so a chat answer whose first choice
    /// has no <c>message</c> fails as <c>choices[0].message</c> instead of reading as a null the type says cannot
    /// be. The check is each record's generated <see cref="IRequiredMembers"/>: no reflection, and no allocation
    /// unless a member is missing. Numbers and booleans are not checked: a missing one reads as its default
    /// (recorded document question answering answers have no <c>score</c>).
    /// </summary>
    private static class Required<T>
    {
        public static T Check(T? value)
        {
            var missing = value switch
            {
                null => "$",
                IRequiredMembers checkable => checkable.FindMissingMember(),

                // A list answer that is no generated list type: its elements, when they are records.
                System.Collections.Generic.IReadOnlyList<IRequiredMembers?> list => RequiredMembers.FindInList(list),
                _ => null,
            };

            return missing is null ? value! : throw new AnswerMemberMissing(missing);
        }
    }

    private static class Shape<T>
    {
        public static readonly bool IsList = SchemaArrayElement(typeof(T)) != null;

        public static readonly bool IsTensor = typeof(NumericTensor).IsAssignableFrom(typeof(T));

        public static readonly bool ElementIsList = SchemaArrayElement(typeof(T)) is { } element && SchemaArrayElement(element) != null;

    }

    /// <summary>The element type of a list output (a type deriving from <see cref="SchemaArray{T}"/>), or null.</summary>
    private static Type? SchemaArrayElement(Type type)
    {
        for (var current = type.BaseType; current != null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(SchemaArray<>))
            {
                return current.GetGenericArguments()[0];
            }
        }

        return null;
    }
}

/// <summary>
/// An answer without a member its spec requires (<see cref="Member"/>, a JSON path; <c>$</c>: the answer is null).
/// A <see cref="JsonException"/>, so that a cached entry like this is a miss; the client turns it into an
/// <see cref="InferenceResponseException"/> naming the task.
/// </summary>
internal sealed class AnswerMemberMissing(string member) : JsonException(member == "$" ? "The answer is null." : $"The required member '{member}' is missing or null.")
{
    public string Member { get; } = member;
}
