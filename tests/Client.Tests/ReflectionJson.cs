using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// The serializer's reflection contract of the generated records (their attributes), with the settings of
/// <see cref="Serialization.InferenceJson.Options"/>: what the client read and wrote with before every type had
/// generated metadata, and what the generated readers and writers are held to. Only here: the library itself
/// resolves no generated type by reflection.
/// </summary>
internal static class ReflectionJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { ReadRequiredMembersLeniently } },
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
