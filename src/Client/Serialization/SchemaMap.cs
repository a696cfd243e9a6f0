using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// The base of generated types for titled objects that only have <c>additionalProperties</c>
/// (a table: column name to cells): an immutable dictionary that reads and writes as a JSON object.
/// </summary>
public abstract class SchemaMap<TValue> : IReadOnlyDictionary<string, TValue>
{
    private readonly Dictionary<string, TValue> _entries;

    /// <summary>Copies <paramref name="entries"/>.</summary>
    protected SchemaMap(IEnumerable<KeyValuePair<string, TValue>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = new Dictionary<string, TValue>(entries, StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public TValue this[string key] => _entries[key];

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _entries.Keys;

    /// <inheritdoc/>
    public IEnumerable<TValue> Values => _entries.Values;

    /// <inheritdoc/>
    public int Count => _entries.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value) => _entries.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Lets <see cref="SchemaMapConverter{TSelf, TValue}"/> construct a generated map type.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public interface ISchemaMap<TSelf, TValue>
    where TSelf : SchemaMap<TValue>, ISchemaMap<TSelf, TValue>
{
    /// <summary>Creates the map from freshly read entries.</summary>
    static abstract TSelf Create(Dictionary<string, TValue> entries);
}

/// <summary>Reads and writes a generated map type as a JSON object.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class SchemaMapConverter<TSelf, TValue> : JsonConverter<TSelf>
    where TSelf : SchemaMap<TValue>, ISchemaMap<TSelf, TValue>
{
    /// <inheritdoc/>
    public override TSelf Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"{typeof(TSelf).Name} expects a JSON object, not {reader.TokenType}.");
        }

        return TSelf.Create(JsonSerializer.Deserialize(ref reader, InferenceJson.Info<Dictionary<string, TValue>>(options))!);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TSelf value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, item) in value)
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, item, InferenceJson.Info<TValue>(options));
        }

        writer.WriteEndObject();
    }
}
