using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// What the generated metadata of each type (<c>__JsonTypeInfo</c>, listed by <c>GeneratedJsonTypes</c>) is made
/// with: the serializer's metadata for a type from a converter known at compile time, so that no generated type is
/// resolved by reflection. Not for use outside generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedJson
{
    /// <summary>
    /// The metadata for <typeparamref name="T"/> with <paramref name="converter"/>, unless the options were given a
    /// converter for the type, which comes first, as it does for the serializer's own metadata.
    /// </summary>
    /// <typeparam name="T">The type.</typeparam>
    /// <param name="options">The options the metadata is for.</param>
    /// <param name="converter">The type's generated or declared converter.</param>
    /// <returns>The metadata.</returns>
    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options, JsonConverter<T> converter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(converter);
        foreach (var candidate in options.Converters)
        {
            if (candidate.CanConvert(typeof(T)))
            {
                var chosen = candidate is JsonConverterFactory factory ? factory.CreateConverter(typeof(T), options) ?? converter : candidate;
                return JsonMetadataServices.CreateValueInfo<T>(options, chosen);
            }
        }

        return JsonMetadataServices.CreateValueInfo<T>(options, converter);
    }
}

/// <summary>
/// A JSON object as a <see cref="Dictionary{TKey, TValue}"/> keyed by member name, as the serializer reads and
/// writes one (a later duplicate member replaces an earlier one), declared so that NativeAOT compiles it.
/// </summary>
/// <typeparam name="T">The values' type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DictionaryConverter<T> : JsonConverter<Dictionary<string, T>>
{
    /// <inheritdoc/>
    public override Dictionary<string, T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        StringKeyed.Read<T>(ref reader, options);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Dictionary<string, T> value, JsonSerializerOptions options) =>
        WireWriting.Map(writer, value, options);
}

/// <summary>
/// A JSON object as an <see cref="IReadOnlyDictionary{TKey, TValue}"/> (a <see cref="Dictionary{TKey, TValue}"/>,
/// the serializer's choice for such a member), declared so that NativeAOT compiles it.
/// </summary>
/// <typeparam name="T">The values' type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ReadOnlyDictionaryConverter<T> : JsonConverter<IReadOnlyDictionary<string, T>>
{
    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        StringKeyed.Read<T>(ref reader, options);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, T> value, JsonSerializerOptions options) =>
        WireWriting.Map(writer, value, options);
}

internal static class StringKeyed
{
    public static Dictionary<string, T> Read<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected an object of {typeof(T).Name}, not {reader.TokenType}.");
        }

        var info = InferenceJson.Info<T>(options);
        var entries = new Dictionary<string, T>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            entries[key] = JsonSerializer.Deserialize(ref reader, info)!;
        }

        return entries;
    }
}
