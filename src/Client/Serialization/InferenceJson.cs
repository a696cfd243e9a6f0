using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace HuggingFace.Inference.Serialization;

/// <summary>The one set of JSON options the client uses for every generated type.</summary>
public static class InferenceJson
{
    // Before Options: its resolver asks the generated types of every assembly registered here.
    private static readonly GeneratedTypes Generated = new();

    /// <summary>
    /// Exact wire names (case-sensitive), optional members omitted when null, unknown members kept
    /// in each type's <c>AdditionalProperties</c>. <c>required</c> members are required when code
    /// builds a value, but not when reading one: real servers omit some members the specs call
    /// required (recorded chat answers without <c>system_fingerprint</c>), and the reference
    /// clients accept that too.
    /// </summary>
    /// <remarks>
    /// Generated types are read and written by their generated converters, and the framework types the
    /// client uses (strings, numbers, <see cref="JsonElement"/>, <see cref="JsonNode"/>, maps of them) by
    /// source-generated metadata, so none of them needs reflection: these options work in a trimmed or
    /// NativeAOT application. Any other type (your own, passed to a method that takes an
    /// <see cref="object"/>) is resolved by the serializer's reflection, which is only there when
    /// <see cref="JsonSerializer.IsReflectionEnabledByDefault"/> is true (the default, except in trimmed
    /// and NativeAOT applications).
    /// </remarks>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>
    /// <see cref="Options"/> plus each generated record's reader: what the client reads answers and
    /// stream events with. Same results as <see cref="Options"/>, whose records are read by the same
    /// readers. Reading only: it cannot write.
    /// </summary>
    internal static JsonSerializerOptions ReadOptions { get; } = CreateReadOptions();

    /// <summary>
    /// <see cref="Options"/> plus each generated record's writer (which reads with the record's
    /// reader): what the client writes request bodies with. The same bytes as the serializer's reflection
    /// writing of the records' attributes (a test compares them on every recorded request and every
    /// generated record), without reflection over the records, so trimming cannot empty a request.
    /// </summary>
    internal static JsonSerializerOptions WriteOptions { get; } = CreateWriteOptions();

    /// <summary>
    /// Adds an assembly's generated types (its <c>GeneratedJsonTypes</c>) to the resolver of <see cref="Options"/>;
    /// called by the generated module initializer of every assembly with generated types (this library's and a
    /// project's own schemas), so that none of them is resolved by reflection. Not for use outside generated code.
    /// </summary>
    /// <param name="resolver">The assembly's generated resolver.</param>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static void AddGeneratedTypes(IJsonTypeInfoResolver resolver)
    {
        System.ArgumentNullException.ThrowIfNull(resolver);
        Generated.Add(resolver);
    }

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
    internal static JsonNode? Node<T>(T value, JsonSerializerOptions options) => JsonSerializer.SerializeToNode(value, Info<T>(options));

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
        var resolvers = new List<IJsonTypeInfoResolver>
        {
            // Every generated type (and the lists and maps its members are made of), from its generated converter.
            Generated,

            // The framework types the client serializes itself, from source-generated metadata.
            InferenceJsonContext.Default,
        };
        if (ReflectionForOtherTypes() is { } reflection)
        {
            resolvers.Add(reflection);
        }

        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            // Request bodies go to APIs, never into HTML, so non-ASCII text is written as is.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = JsonTypeInfoResolver.Combine([.. resolvers]),
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>
    /// The serializer's reflection, for types neither generated nor listed in <see cref="InferenceJsonContext"/>
    /// (a caller's own objects), only where reflection-based serialization is enabled: the trimmer and the
    /// NativeAOT compiler set the switch to false and remove this branch with the reflection resolver.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = "Guarded by JsonSerializer.IsReflectionEnabledByDefault, a feature switch the trimmer substitutes (false in trimmed and NativeAOT applications), which removes the reflection resolver; the client's own types never reach it.")]
    [UnconditionalSuppressMessage("AOT", "IL3050:RequiresDynamicCode", Justification = "Guarded by JsonSerializer.IsReflectionEnabledByDefault, as above.")]
    private static IJsonTypeInfoResolver? ReflectionForOtherTypes() =>
        JsonSerializer.IsReflectionEnabledByDefault
            ? new DefaultJsonTypeInfoResolver { Modifiers = { ReadRequiredMembersLeniently } }
            : null;

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

/// <summary>
/// The generated resolvers of every registered assembly, asked in the order they were added. Each options
/// instance caches what it resolved, so this is asked once per type.
/// </summary>
internal sealed class GeneratedTypes : IJsonTypeInfoResolver
{
    private readonly object _gate = new();

    private IJsonTypeInfoResolver[] _resolvers = [];

    public void Add(IJsonTypeInfoResolver resolver)
    {
        lock (_gate)
        {
            if (System.Array.IndexOf(_resolvers, resolver) < 0)
            {
                System.Threading.Volatile.Write(ref _resolvers, [.. _resolvers, resolver]);
            }
        }
    }

    public JsonTypeInfo? GetTypeInfo(System.Type type, JsonSerializerOptions options)
    {
        foreach (var resolver in System.Threading.Volatile.Read(ref _resolvers))
        {
            if (resolver.GetTypeInfo(type, options) is { } info)
            {
                return info;
            }
        }

        return null;
    }
}

/// <summary>
/// Source-generated metadata for the framework types the client serializes itself (request parts it builds as
/// nodes, error bodies, tool-call arguments, the values of generated members), so that none needs reflection.
/// </summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(ulong))]
[JsonSerializable(typeof(float))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(long?))]
[JsonSerializable(typeof(double?))]
[JsonSerializable(typeof(bool?))]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonElement?))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
[JsonSerializable(typeof(JsonValue))]
[JsonSerializable(typeof(JsonDocument))]
[JsonSerializable(typeof(Base64Data))]
[JsonSerializable(typeof(byte[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(IReadOnlyList<IReadOnlyList<string>>))]
[JsonSerializable(typeof(float[]))]
[JsonSerializable(typeof(double[]))]
[JsonSerializable(typeof(IReadOnlyList<float>))]
[JsonSerializable(typeof(IReadOnlyList<IReadOnlyList<float>>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSerializable(typeof(IDictionary<string, JsonElement>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, JsonElement>))]
[JsonSerializable(typeof(Dictionary<string, object>))]
[JsonSerializable(typeof(IDictionary<string, object>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, object>))]
[JsonSerializable(typeof(List<object>))]
[JsonSerializable(typeof(object[]))]
internal sealed partial class InferenceJsonContext : JsonSerializerContext
{
}
