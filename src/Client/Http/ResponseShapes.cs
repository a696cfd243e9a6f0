using System;
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
    public static T Read<T>(ReadOnlySpan<byte> json)
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
            // One object where the spec has a list of them.
            var buffer = new byte[json.Length + 2];
            buffer[0] = (byte)'[';
            json.CopyTo(buffer.AsSpan(1));
            buffer[^1] = (byte)']';
            return JsonSerializer.Deserialize<T>(buffer, InferenceJson.ReadOptions)!;
        }

        return JsonSerializer.Deserialize<T>(json, InferenceJson.ReadOptions)!;
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

        var first = JsonSerializer.Deserialize<T>(ref reader, InferenceJson.ReadOptions)!;

        // The rest is not kept but must still be JSON: a cut or garbled answer stays an error.
        while (reader.Read())
        {
        }

        return first;
    }

    private static class Shape<T>
    {
        public static readonly bool IsList = ListElement(typeof(T)) != null;

        public static readonly bool IsTensor = typeof(NumericTensor).IsAssignableFrom(typeof(T));

        public static readonly bool ElementIsList = ListElement(typeof(T)) is { } element && ListElement(element) != null;

        private static Type? ListElement(Type type)
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
}
