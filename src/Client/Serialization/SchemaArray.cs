using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// The base of generated types for titled array schemas (most task outputs, such as
/// <c>TextClassificationOutput</c>): an immutable list that reads and writes as a JSON array.
/// </summary>
public abstract class SchemaArray<T> : IReadOnlyList<T>
{
    private readonly T[] _items;

    /// <summary>Copies <paramref name="items"/>.</summary>
    protected SchemaArray(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = items.ToArray();
    }

    /// <inheritdoc/>
    public T this[int index] => _items[index];

    /// <inheritdoc/>
    public int Count => _items.Length;

    /// <summary>The items as a span, without copying.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}

/// <summary>Lets <see cref="SchemaArrayConverter{TSelf, T}"/> construct a generated array type.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public interface ISchemaArray<TSelf, T>
    where TSelf : SchemaArray<T>, ISchemaArray<TSelf, T>
{
    /// <summary>Creates the list from freshly read items.</summary>
    static abstract TSelf Create(T[] items);
}

/// <summary>Reads and writes a generated array type as a JSON array.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class SchemaArrayConverter<TSelf, T> : JsonConverter<TSelf>
    where TSelf : SchemaArray<T>, ISchemaArray<TSelf, T>
{
    /// <inheritdoc/>
    public override TSelf Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"{typeof(TSelf).Name} expects a JSON array, not {reader.TokenType}.");
        }

        // Element by element: generated readers for records, without the serializer's per-call state.
        return TSelf.Create([.. WireReading.List<T>(ref reader, options)!]);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, TSelf value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value.AsSpan())
        {
            JsonSerializer.Serialize(writer, item, InferenceJson.Info<T>(options));
        }

        writer.WriteEndArray();
    }
}
