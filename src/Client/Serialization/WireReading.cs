using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HuggingFace.Inference.Serialization;

/// <summary>
/// The value readers the generated <c>WireReader</c> converters call: each reads one JSON value
/// with the serializer's own rules (the same results and the same kinds of errors as
/// <see cref="JsonSerializer"/> with <see cref="InferenceJson.Options"/>), but without the
/// serializer's per-call state. Public only because generated code in other assemblies (your own
/// schemas) compiles against it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WireReading
{
    /// <summary>A string, or null for JSON null.</summary>
    public static string? String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        // Inside a stream, a string equal to the one at the same place in the event before is reused.
        JsonTokenType.String => RepeatedValues.Current is { } repeated && !reader.HasValueSequence ? repeated.String(ref reader) : reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw Mismatch(ref reader, "a string"),
    };

    /// <summary>An integer that fits <see cref="int"/>, or null for JSON null.</summary>
    public static int? Int32(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw Mismatch(ref reader, "an Int32"),
    };

    /// <summary>An integer that fits <see cref="long"/>, or null for JSON null.</summary>
    public static long? Int64(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw Mismatch(ref reader, "an Int64"),
    };

    /// <summary>An integer that fits <see cref="ulong"/>, or null for JSON null.</summary>
    public static ulong? UInt64(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetUInt64(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw Mismatch(ref reader, "a UInt64"),
    };

    /// <summary>A number, or null for JSON null.</summary>
    public static double? Double(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetDouble(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw Mismatch(ref reader, "a Double"),
    };

    /// <summary>true or false, or null for JSON null.</summary>
    public static bool? Boolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw Mismatch(ref reader, "a Boolean"),
    };

    /// <summary>Any JSON value, or null for JSON null (as a nullable <see cref="JsonElement"/> member reads it).</summary>
    public static JsonElement? Element(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);

    /// <summary>A nullable struct member: null for JSON null, else the struct's own converter.</summary>
    public static T? Struct<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
        where T : struct =>
        reader.TokenType == JsonTokenType.Null ? null : Value<T>(ref reader, options);

    /// <summary>
    /// One value of type <typeparamref name="T"/>: primitives inline, types with a converter of this
    /// library (generated readers, unions, enums, tensors) through that converter directly, anything
    /// else through <see cref="JsonSerializer"/>.
    /// </summary>
    public static T? Value<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        // For a value type each test is a constant once the JIT specialises the method. A reference
        // type shares one body for every T, where typeof(T) == typeof(X) (and typeof(T).IsValueType)
        // is a lookup and a call each time: there only the answers cached per type are asked (under
        // callgrind the type tests cost about 600 instructions per nested record of a chat chunk).
        // default(T) != null is a constant in both bodies (false for a reference type or Nullable<>).
        if (default(T) != null)
        {
            if (typeof(T) == typeof(long))
            {
                return (T)(object)(Int64(ref reader) ?? throw Mismatch(ref reader, "an Int64"));
            }

            if (typeof(T) == typeof(int))
            {
                return (T)(object)(Int32(ref reader) ?? throw Mismatch(ref reader, "an Int32"));
            }

            if (typeof(T) == typeof(ulong))
            {
                return (T)(object)(UInt64(ref reader) ?? throw Mismatch(ref reader, "a UInt64"));
            }

            if (typeof(T) == typeof(double))
            {
                return (T)(object)(Double(ref reader) ?? throw Mismatch(ref reader, "a Double"));
            }

            if (typeof(T) == typeof(bool))
            {
                return (T)(object)(Boolean(ref reader) ?? throw Mismatch(ref reader, "a Boolean"));
            }

            if (typeof(T) == typeof(JsonElement))
            {
                return (T)(object)JsonElement.ParseValue(ref reader);
            }
        }

        var direct = DirectConverter<T>.For(options);
        if (direct.Converter is not { } converter)
        {
            return direct.IsString ? (T?)(object?)String(ref reader) : JsonSerializer.Deserialize(ref reader, InferenceJson.Info<T>(options));
        }

        // As the serializer does: a converter that does not handle null never sees it.
        return reader.TokenType == JsonTokenType.Null && !converter.HandleNull
            ? default
            : converter.Read(ref reader, direct.Type, options);
    }

    /// <summary>
    /// A JSON array as a read-only list, or null for JSON null. Zero or one item (a chat chunk's
    /// <c>choices</c>) is an array of that length; more are a <see cref="List{T}"/>, the serializer's
    /// choice for a read-only list member.
    /// </summary>
    public static IReadOnlyList<T>? List<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Mismatch(ref reader, "an array");
        }

        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            return Array.Empty<T>();
        }

        var first = Value<T>(ref reader, options)!; // a null element stays null, as the serializer leaves it
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
        {
            return new[] { first };
        }

        var items = new List<T> { first };
        do
        {
            items.Add(Value<T>(ref reader, options)!);
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray);

        return items;
    }

    /// <summary>
    /// Keeps a member the type does not declare, as <see cref="JsonExtensionDataAttribute"/> does, as
    /// raw bytes: the record's dictionary is built only when asked for (<see cref="WireExtras"/>).
    /// </summary>
    public static void Extra(ref Utf8JsonReader reader, ref WireExtrasBuilder extra) => extra.Add(ref reader);

    /// <summary>Keeps a member the type does not declare in a dictionary (readers generated before <see cref="WireExtras"/>).</summary>
    public static void Extra(ref Utf8JsonReader reader, ref IDictionary<string, JsonElement>? extra)
    {
        var name = reader.GetString()!;
        reader.Read();
        (extra ??= new Dictionary<string, JsonElement>())[name] = JsonElement.ParseValue(ref reader);
    }

    /// <summary>
    /// A whole JSON document as <typeparamref name="T"/> through this library's own converter for it
    /// (a generated reader), skipping the serializer's per-call set-up; false when there is none, or
    /// the document is JSON null (both left to <see cref="JsonSerializer"/>, whose rules they are).
    /// Trailing content after the value throws <see cref="JsonException"/>, as the serializer does.
    /// </summary>
    internal static bool TryReadDocument<T>(ReadOnlySpan<byte> json, JsonSerializerOptions options, out T? value)
    {
        value = default;
        var direct = DirectConverter<T>.For(options);
        if (direct.Converter is not { } converter)
        {
            return false;
        }

        // The entry's reader options (options are immutable once used), not new ones per stream event.
        var reader = new Utf8JsonReader(json, direct.ReaderOptions);
        if (!reader.Read() || reader.TokenType == JsonTokenType.Null)
        {
            return false;
        }

        value = converter.Read(ref reader, direct.Type, options);
        if (reader.Read())
        {
            throw new JsonException("More than one JSON value in the document.");
        }

        return true;
    }

    /// <summary>The error for a value of the wrong JSON kind.</summary>
    public static JsonException Mismatch(ref Utf8JsonReader reader, string expected) =>
        new($"The JSON value ({reader.TokenType}) could not be converted: expected {expected}.");

    /// <summary>
    /// This library's converter for <typeparamref name="T"/> in <c>options</c> (null for the
    /// serializer's own), cached per options instance with what the shared generic body would
    /// otherwise look up on every call (typeof(T), and whether T is string): one static access.
    /// </summary>
    private static class DirectConverter<T>
    {
        private static Entry? _last;

        public static Entry For(JsonSerializerOptions options)
        {
            var last = _last;
            if (last != null && ReferenceEquals(last.Options, options))
            {
                return last;
            }

            // Converters built into System.Text.Json must be driven by the serializer; ours read directly.
            var converter = options.GetTypeInfo(typeof(T)).Converter is JsonConverter<T> typed && typed.GetType().Assembly == typeof(WireReading).Assembly ? typed : null;
            last = new Entry(options, converter, typeof(T), typeof(T) == typeof(string));
            _last = last;
            return last;
        }

        /// <summary>A class, not a record: a record's != would be a call to its Equals.</summary>
        public sealed class Entry(JsonSerializerOptions options, JsonConverter<T>? converter, Type type, bool isString)
        {
            public readonly JsonSerializerOptions Options = options;
            public readonly JsonConverter<T>? Converter = converter;
            public readonly Type Type = type;
            public readonly bool IsString = isString;
            public readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth, AllowTrailingCommas = options.AllowTrailingCommas, CommentHandling = options.ReadCommentHandling };
        }
    }
}
