using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HuggingFace.Inference.Serialization;

/// <summary>The one set of JSON options the client uses for every generated type.</summary>
public static class InferenceJson
{
    /// <summary>
    /// Exact wire names (case-sensitive), optional members omitted when null, unknown members kept
    /// in each type's <c>AdditionalProperties</c>. <c>required</c> members are required when code
    /// builds a value, but not when reading one: real servers omit some members the specs call
    /// required (recorded chat answers without <c>system_fingerprint</c>), and the reference
    /// clients accept that too.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// <see cref="Options"/> plus each generated record's reader: what the client reads answers and
    /// stream events with. Same results as <see cref="Options"/> (a test compares them on every
    /// recorded answer), without the serializer's per-call state. Reading only: it cannot write.
    /// </summary>
    internal static JsonSerializerOptions ReadOptions { get; } = CreateReadOptions();

    /// <summary>
    /// <see cref="Options"/> plus each generated record's writer (which reads with the record's
    /// reader): what the client writes request bodies with. The same bytes as <see cref="Options"/>
    /// (a test compares them on every recorded request and every generated record), without
    /// reflection over the records, so trimming cannot empty a request.
    /// </summary>
    internal static JsonSerializerOptions WriteOptions { get; } = CreateWriteOptions();

    /// <summary>
    /// The options' metadata for <typeparamref name="T"/>: what every call of the client serializes
    /// with, so that the one place that decides how a type is written or read is the options'
    /// resolver (the generated readers and writers first, the serializer's own resolver for the rest).
    /// </summary>
    internal static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    /// <summary>A value as UTF-8 JSON, through <see cref="Info{T}"/>.</summary>
    internal static byte[] Bytes<T>(T value, JsonSerializerOptions options) => JsonSerializer.SerializeToUtf8Bytes(value, Info<T>(options));

    /// <summary>A value as a string of JSON, through <see cref="Info{T}"/>.</summary>
    internal static string Text<T>(T value, JsonSerializerOptions options) => JsonSerializer.Serialize(value, Info<T>(options));

    /// <summary>A value as a JSON node, through <see cref="Info{T}"/>.</summary>
    internal static System.Text.Json.Nodes.JsonNode? Node<T>(T value, JsonSerializerOptions options) => JsonSerializer.SerializeToNode(value, Info<T>(options));

    /// <summary>A value as a JSON element, through <see cref="Info{T}"/>.</summary>
    internal static JsonElement Element<T>(T value, JsonSerializerOptions options) => JsonSerializer.SerializeToElement(value, Info<T>(options));

    private static JsonSerializerOptions CreateWriteOptions()
    {
        var options = new JsonSerializerOptions(Options);
        foreach (var writer in GeneratedWireWriters.Create())
        {
            options.Converters.Add(writer);
        }

        AddStructLists(options);

        options.MakeReadOnly();
        return options;
    }

    /// <summary>Lists of numbers, by a converter NativeAOT compiles (see <see cref="ReadOnlyListConverter{T}"/>).</summary>
    private static void AddStructLists(JsonSerializerOptions options)
    {
        options.Converters.Add(new ReadOnlyListConverter<double>());
        options.Converters.Add(new ReadOnlyListConverter<long>());
        options.Converters.Add(new ReadOnlyListConverter<int>());
    }

    private static JsonSerializerOptions CreateReadOptions()
    {
        var options = new JsonSerializerOptions(Options);
        foreach (var reader in GeneratedWireReaders.Create())
        {
            options.Converters.Add(reader);
        }

        AddStructLists(options);

        options.MakeReadOnly();
        return options;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            // Request bodies go to APIs, never into HTML, so non-ASCII text is written as is.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver
            {
                Modifiers = { ReadRequiredMembersLeniently },
            },
        };
        options.MakeReadOnly();
        return options;
    }

    private static void ReadRequiredMembersLeniently(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            property.IsRequired = false;
        }
    }
}
