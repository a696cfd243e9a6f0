using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// Binary data carried in JSON as a base64 string (schema fields marked <c>"comment": "type=binary"</c>).
/// Data read from JSON keeps its exact wire text and is decoded only when the bytes are asked for,
/// so reading and writing a message changes nothing and costs no decoding.
/// </summary>
[JsonConverter(typeof(Base64DataConverter))]
public sealed class Base64Data : IEquatable<Base64Data>
{
    private string? _base64;
    private ReadOnlyMemory<byte>? _bytes;

    /// <summary>Wraps <paramref name="bytes"/> (not copied).</summary>
    public Base64Data(ReadOnlyMemory<byte> bytes) => _bytes = bytes;

    private Base64Data(string base64) => _base64 = base64;

    /// <summary>Wraps base64 text as it came on the wire; it is validated when decoded.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="base64"/> is null.</exception>
    public static Base64Data FromBase64(string base64) => new(base64 ?? throw new ArgumentNullException(nameof(base64)));

    /// <summary>The bytes, decoded on first use.</summary>
    /// <exception cref="FormatException">The wire text is not valid base64.</exception>
    public ReadOnlyMemory<byte> Bytes => _bytes ??= Convert.FromBase64String(_base64!);

    /// <summary>The base64 text: the wire text when read from JSON, else the bytes encoded.</summary>
    public string Base64 => _base64 ??= Convert.ToBase64String(_bytes!.Value.Span);

    /// <summary>A copy of the bytes.</summary>
    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>Wraps <paramref name="bytes"/> (not copied).</summary>
    public static implicit operator Base64Data(byte[] bytes) => new(bytes ?? throw new ArgumentNullException(nameof(bytes)));

    /// <inheritdoc/>
    public bool Equals(Base64Data? other) => other is not null && Bytes.Span.SequenceEqual(other.Bytes.Span);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Base64Data);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Bytes.Span);
        return hash.ToHashCode();
    }

    /// <summary>A short description, not the data (which may be megabytes).</summary>
    public override string ToString() => _bytes is { } bytes ? $"Base64Data({bytes.Length} bytes)" : $"Base64Data({_base64!.Length} base64 chars)";
}

/// <summary>Reads and writes <see cref="Base64Data"/> as a JSON string.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class Base64DataConverter : JsonConverter<Base64Data>
{
    /// <inheritdoc/>
    public override Base64Data Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Base64Data expects a JSON string, not {reader.TokenType}.");
        }

        return Base64Data.FromBase64(reader.GetString()!);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, Base64Data value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Base64);
}
