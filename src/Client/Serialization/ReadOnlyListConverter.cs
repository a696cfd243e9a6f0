using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// A list of numbers as the serializer reads and writes an <see cref="IReadOnlyList{T}"/> (a
/// <see cref="List{T}"/>, element by element), declared so that NativeAOT compiles it: the
/// serializer's own converter for a list of a struct is made by reflection at run time, which an
/// ahead-of-time binary cannot do (measured: the quickstart's table question answering, whose cells
/// are lists of lists of integers, failed there).
/// </summary>
/// <typeparam name="T">The elements' type.</typeparam>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ReadOnlyListConverter<T> : JsonConverter<IReadOnlyList<T>>
{
    /// <inheritdoc/>
    public override IReadOnlyList<T>? Read(ref Utf8JsonReader reader, System.Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array of {typeof(T).Name}, not {reader.TokenType}.");
        }

        var info = InferenceJson.Info<T>(options);
        var list = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(JsonSerializer.Deserialize(ref reader, info)!);
        }

        return list;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options) =>
        WireWriting.List(writer, value, options);
}
