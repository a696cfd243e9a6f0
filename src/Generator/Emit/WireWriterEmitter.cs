using System.Linq;
using HuggingFace.Inference.Generator.Model;

namespace HuggingFace.Inference.Generator.Emit
{
    /// <summary>
    /// Writes each record's <c>WireWriter</c>: a converter that writes the record member by member
    /// with the rules the record's attributes give the serializer (declaration order, wire names,
    /// null omitted unless the schema makes null a value, presence-tracked members, unknown members
    /// last), so request bodies need no reflection over the records and survive trimming. Reading
    /// goes to the record's <c>WireReader</c>.
    /// </summary>
    internal static class WireWriterEmitter
    {
        private const string Json = "global::System.Text.Json";
        private const string Writing = "global::HuggingFace.Inference.Serialization.WireWriting";

        public const string RegistryHintName = "GeneratedWireWriters.g.cs";

        /// <summary>The nested writer, written inside the record's own declaration.</summary>
        public static void EmitNested(SourceWriter writer, ObjectTypeSpec type)
        {
            writer.Line()
                .Line("/// <summary>Writes <see cref=\"" + type.Name + "\"/> as the serializer would from the record's attributes, without reflection; reads with <see cref=\"WireReader\"/>.</summary>")
                .Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]")
                .OpenBlock("internal sealed class WireWriter : " + Json + ".Serialization.JsonConverter<" + type.Name + ">")
                .Line("private static readonly WireReader Reader = new WireReader();")
                .Line()
                .Line("/// <inheritdoc/>")
                .Line("public override " + type.Name + "? Read(ref " + Json + ".Utf8JsonReader reader, global::System.Type typeToConvert, " + Json + ".JsonSerializerOptions options) =>")
                .Line("    Reader.Read(ref reader, typeToConvert, options);")
                .Line()
                .Line("/// <inheritdoc/>")
                .OpenBlock("public override void Write(" + Json + ".Utf8JsonWriter writer, " + type.Name + " value, " + Json + ".JsonSerializerOptions options)")
                .Line("writer.WriteStartObject();");
            foreach (var property in type.Properties)
            {
                var tracksPresence = TypeEmitter.TracksPresence(property);
                var access = "value." + property.ClrName + (tracksPresence ? "OnWire" : string.Empty);
                var nullable = tracksPresence || property.IsNullable || !property.Type.IsValueType;
                var omitNull = tracksPresence || !(property.IsRequired && property.IsNullable);
                var name = "writer.WritePropertyName(" + SourceWriter.Literal(property.WireName) + "u8);";
                if (!nullable)
                {
                    writer.Line(name).Line(WriteStatement(property.Type, access));
                    continue;
                }

                // A nullable struct is read through .Value; a reference is passed as it is.
                var present = property.Type.IsValueType ? access + ".Value" : access + "!";
                if (omitNull)
                {
                    writer.OpenBlock("if (" + access + " is not null)")
                        .Line(name)
                        .Line(WriteStatement(property.Type, present))
                        .CloseBlock();
                }
                else
                {
                    writer.Line(name)
                        .OpenBlock("if (" + access + " is null)")
                        .Line("writer.WriteNullValue();")
                        .CloseBlock()
                        .OpenBlock("else")
                        .Line(WriteStatement(property.Type, present))
                        .CloseBlock();
                }
            }

            writer.Line(Writing + ".Extras(writer, value.AdditionalProperties);")
                .Line("writer.WriteEndObject();")
                .CloseBlock()
                .CloseBlock();
        }

        /// <summary>One file listing a writer for every generated record, for the options request bodies are written with.</summary>
        public static string EmitRegistry(EquatableArray<string> qualifiedNames, GeneratorOptions options) =>
            RegistrySource.ConverterList(
                qualifiedNames,
                options,
                "GeneratedWireWriters",
                "WireWriter",
                "A <c>WireWriter</c> for every generated record, to add to the options request bodies are written with.",
                "New instances of every writer.");

        /// <summary>The statement that writes a present (non-null) value, as the serializer's converter for its type does.</summary>
        private static string WriteStatement(TypeRef type, string value)
        {
            switch (type.Kind)
            {
                case TypeRefKind.String: return "writer.WriteStringValue(" + value + ");";
                case TypeRefKind.Int32:
                case TypeRefKind.Int64:
                case TypeRefKind.UInt64:
                case TypeRefKind.Double: return "writer.WriteNumberValue(" + value + ");";
                case TypeRefKind.Boolean: return "writer.WriteBooleanValue(" + value + ");";
                case TypeRefKind.Any: return value + ".WriteTo(writer);";
                case TypeRefKind.Array: return Writing + ".List<" + TypeEmitter.TypeName(type.Element!) + ">(writer, " + value + ", options);";
                default: return Writing + ".Value<" + TypeEmitter.TypeName(type) + ">(writer, " + value + ", options);";
            }
        }
    }
}
