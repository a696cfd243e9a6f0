using System.Collections.Generic;
using System.Linq;
using HuggingFace.Inference.Generator.Model;

namespace HuggingFace.Inference.Generator.Emit
{
    /// <summary>
    /// Writes each record's <c>WireReader</c>: a converter that reads the record straight from UTF-8
    /// JSON, member by member, for the client's read paths (answers and stream events). The
    /// serializer's reflection path gives the same objects but pays per call for its own state
    /// (measured: ~460 B for a three-level object); a converter of our own reads with none.
    /// Writing is WireWriterEmitter's (a converter per record that reads through this reader), checked
    /// byte for byte against the serializer's reflection writing by WireWriterTests.
    /// </summary>
    internal static class WireReaderEmitter
    {
        private const string Json = "global::System.Text.Json";
        private const string Reading = "global::HuggingFace.Inference.Serialization.WireReading";

        public const string RegistryHintName = "GeneratedWireReaders.g.cs";

        /// <summary>The nested reader, written inside the record's own declaration.</summary>
        public static void EmitNested(SourceWriter writer, ObjectTypeSpec type)
        {
            writer.Line()
                .Line("/// <summary>Reads <see cref=\"" + type.Name + "\"/> straight from UTF-8 JSON with the serializer's rules; <see cref=\"WireWriter\"/> writes it.</summary>")
                .Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]")
                .OpenBlock("internal sealed class WireReader : " + Json + ".Serialization.JsonConverter<" + type.Name + ">")
                .Line("/// <inheritdoc/>")
                .OpenBlock("public override " + type.Name + "? Read(ref " + Json + ".Utf8JsonReader reader, global::System.Type typeToConvert, " + Json + ".JsonSerializerOptions options)")
                .OpenBlock("if (reader.TokenType != " + Json + ".JsonTokenType.StartObject)")
                .Line("throw " + Reading + ".Mismatch(ref reader, \"an object\");")
                .CloseBlock()
                .Line();

            var properties = type.Properties.ToList();
            for (var i = 0; i < properties.Count; i++)
            {
                writer.Line(LocalType(properties[i].Type) + " value" + i + " = default;");
            }

            writer.Line("global::HuggingFace.Inference.Serialization.WireExtrasBuilder extra = default;")
                .OpenBlock("while (reader.Read() && reader.TokenType != " + Json + ".JsonTokenType.EndObject)");
            if (properties.Count == 0)
            {
                writer.Line(Reading + ".Extra(ref reader, ref extra);");
            }
            else
            {
                EmitMemberDispatch(writer, properties);
            }

            writer.CloseBlock()
                .Line()
                .OpenBlock("return new " + type.Name);
            for (var i = 0; i < properties.Count; i++)
            {
                writer.Line(Assignment(properties[i], "value" + i));
            }

            writer.Line(TypeEmitter.ExtrasField + " = extra.Build(),")
                .CloseBlock(";")
                .CloseBlock()
                .Line()
                .Line("/// <summary>Not used: values are written by the serializer from the record's own attributes.</summary>")
                .Line("public override void Write(" + Json + ".Utf8JsonWriter writer, " + type.Name + " value, " + Json + ".JsonSerializerOptions options) =>")
                .Line("    throw new global::System.NotSupportedException(\"" + type.Name + ".WireReader only reads; write with InferenceJson.Options.\");")
                .CloseBlock();
        }

        /// <summary>
        /// Which declared member the reader's property name is, then that member's read. A name as it
        /// usually comes (one segment, no escapes) is matched by its UTF-8 length first and then compared
        /// with the few names of that length, instead of one <c>ValueTextEquals</c> per declared member in
        /// turn (bench/Micro, <c>--stream-loop</c>); any other name takes <c>ValueTextEquals</c>, which
        /// unescapes. Both orders keep the first declared member of a name, so the results are the same.
        /// </summary>
        private static void EmitMemberDispatch(SourceWriter writer, List<PropertySpec> properties)
        {
            writer.Line("int member;")
                .OpenBlock("if (!reader.HasValueSequence && !reader.ValueIsEscaped)")
                .Line("global::System.ReadOnlySpan<byte> name = reader.ValueSpan;")
                .OpenBlock("switch (name.Length)");
            var byLength = properties
                .Select((p, i) => (Index: i, p.WireName, Length: System.Text.Encoding.UTF8.GetByteCount(p.WireName)))
                .GroupBy(p => p.Length)
                .OrderBy(g => g.Key);
            foreach (var group in byLength)
            {
                var test = string.Join(" : ", group.Select(p => "global::System.MemoryExtensions.SequenceEqual(name, " + SourceWriter.Literal(p.WireName) + "u8) ? " + p.Index)) + " : -1";
                writer.Line("case " + group.Key + ": member = " + test + "; break;");
            }

            writer.Line("default: member = -1; break;")
                .CloseBlock()
                .CloseBlock()
                .OpenBlock("else")
                .Line("member = " + string.Join(" : ", properties.Select((p, i) => "reader.ValueTextEquals(" + SourceWriter.Literal(p.WireName) + "u8) ? " + i)) + " : -1;")
                .CloseBlock()
                .Line()
                .OpenBlock("switch (member)");
            for (var i = 0; i < properties.Count; i++)
            {
                writer.Line("case " + i + ":")
                    .Line("    reader.Read();")
                    .Line("    value" + i + " = " + ReadExpression(properties[i].Type) + ";")
                    .Line("    break;");
            }

            writer.Line("default:")
                .Line("    " + Reading + ".Extra(ref reader, ref extra);")
                .Line("    break;")
                .CloseBlock();
        }

        /// <summary>One file listing a reader for every generated record, for the client's read options.</summary>
        public static string EmitRegistry(EquatableArray<string> qualifiedNames, GeneratorOptions options) =>
            RegistrySource.ConverterList(
                qualifiedNames,
                options,
                "GeneratedWireReaders",
                "WireReader",
                "A <c>WireReader</c> for every generated record, to add to the options answers are read with.",
                "New instances of every reader.");

        /// <summary>What a member is read into: always nullable, since a member may be absent or null.</summary>
        private static string LocalType(TypeRef type) => TypeEmitter.TypeName(type) + "?";

        private static string ReadExpression(TypeRef type)
        {
            switch (type.Kind)
            {
                case TypeRefKind.String: return Reading + ".String(ref reader)";
                case TypeRefKind.Int32: return Reading + ".Int32(ref reader)";
                case TypeRefKind.Int64: return Reading + ".Int64(ref reader)";
                case TypeRefKind.UInt64: return Reading + ".UInt64(ref reader)";
                case TypeRefKind.Double: return Reading + ".Double(ref reader)";
                case TypeRefKind.Boolean: return Reading + ".Boolean(ref reader)";
                case TypeRefKind.Any: return Reading + ".Element(ref reader)";
                case TypeRefKind.Array: return Reading + ".List<" + TypeEmitter.TypeName(type.Element!) + ">(ref reader, options)";
                case TypeRefKind.Named when type.IsStruct: return Reading + ".Struct<" + type.Name + ">(ref reader, options)";
                default: return Reading + ".Value<" + TypeEmitter.TypeName(type) + ">(ref reader, options)";
            }
        }

        private static string Assignment(PropertySpec property, string local)
        {
            if (TypeEmitter.TracksPresence(property))
            {
                // The public member is required; the wire member carries presence.
                return property.ClrName + " = default, " + property.ClrName + "OnWire = " + local + ",";
            }

            if (property.IsNullable)
            {
                return property.ClrName + " = " + local + ",";
            }

            return property.ClrName + " = " + local + (property.Type.IsValueType ? ".GetValueOrDefault()," : "!,");
        }

        /// <summary>Every record's fully qualified name, for the registry.</summary>
        public static EquatableArray<string> RecordNames(IEnumerable<TypeSpec> types, GeneratorOptions options) =>
            types.OfType<ObjectTypeSpec>()
                .Select(t => (t.Namespace ?? options.Namespace) + "." + t.Name)
                .OrderBy(n => n, System.StringComparer.Ordinal)
                .ToEquatableArray();
    }
}
