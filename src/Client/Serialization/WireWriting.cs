using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// What generated code calls to write (and, in union and scalar converters, read) values it does
/// not handle itself: lists, maps, other generated types, unknown members, as the serializer
/// handles them, through the options' own type information rather than the reflection entry
/// points. Not for use outside generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WireWriting
{
    /// <summary>A value of another type read through the options' metadata for it.</summary>
    public static T? Read<T>(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));

    /// <summary>A value of another type, through the options' metadata for it (a generated writer when the type is a record).</summary>
    public static void Value<T>(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));

    /// <summary>A list, element by element, as the serializer writes an <see cref="IReadOnlyList{T}"/> member.</summary>
    public static void List<T>(Utf8JsonWriter writer, IReadOnlyList<T> values, JsonSerializerOptions options)
    {
        var info = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        for (var i = 0; i < values.Count; i++)
        {
            JsonSerializer.Serialize(writer, values[i], info);
        }

        writer.WriteEndArray();
    }

    /// <summary>A map, entry by entry in its own order, as the serializer writes an <see cref="IReadOnlyDictionary{TKey, TValue}"/> member.</summary>
    public static void Map<T>(Utf8JsonWriter writer, IReadOnlyDictionary<string, T> values, JsonSerializerOptions options)
    {
        var info = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartObject();
        foreach (var pair in values)
        {
            writer.WritePropertyName(pair.Key);
            JsonSerializer.Serialize(writer, pair.Value, info);
        }

        writer.WriteEndObject();
    }

    /// <summary>The members a record does not declare, last, as the serializer writes extension data.</summary>
    public static void Extras(Utf8JsonWriter writer, IDictionary<string, JsonElement>? extras)
    {
        if (extras == null)
        {
            return;
        }

        foreach (var pair in extras)
        {
            writer.WritePropertyName(pair.Key);
            pair.Value.WriteTo(writer);
        }
    }
}
