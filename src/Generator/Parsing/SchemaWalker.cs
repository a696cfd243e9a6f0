using System;
using System.Collections.Generic;
using System.Linq;
using HuggingFace.Inference.Generator.Diagnostics;
using HuggingFace.Inference.Generator.Model;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace HuggingFace.Inference.Generator.Parsing
{
    /// <summary>
    /// Walks one spec document (as NJsonSchema objects) and decides the C# shape of every schema
    /// in it. The result is plain <see cref="TypeSpec"/> records; nothing of NJsonSchema leaves
    /// this class. The mapping rules are listed in the README ("How schemas become types").
    /// </summary>
    internal sealed class SchemaWalker
    {
        private readonly string _filePath;
        private readonly string _displayPath;
        private readonly JObject _document;
        private readonly HashSet<JsonSchema> _localSchemas = new HashSet<JsonSchema>(ReferenceComparer.Instance);
        private readonly Dictionary<(JsonSchema Schema, string Name), string> _built = new Dictionary<(JsonSchema, string), string>(SchemaNameComparer.Instance);
        private readonly HashSet<string> _usedNames = new HashSet<string>(StringComparer.Ordinal);

        // Names whose schema could not become a type (HFGEN004 said so): later references are JsonElement too,
        // not a name nothing defines (TEI's Input, referenced by three requests).
        private readonly HashSet<string> _unbuilt = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<TypeSpec> _types = new List<TypeSpec>();
        private readonly List<DiagnosticInfo> _diagnostics;

        private SchemaWalker(string filePath, string displayPath, JObject document, List<DiagnosticInfo> diagnostics)
        {
            _filePath = filePath;
            _displayPath = displayPath;
            _document = document;
            _diagnostics = diagnostics;
        }

        /// <summary>Builds the types of one document: its titled root and every definition it declares.</summary>
        public static IReadOnlyList<TypeSpec> Walk(JsonSchema root, JObject document, string filePath, string displayPath, List<DiagnosticInfo> diagnostics)
        {
            var walker = new SchemaWalker(filePath, displayPath, document, diagnostics);
            walker.CollectLocal(root);

            if (!string.IsNullOrEmpty(root.Title))
            {
                walker.Resolve(root, Naming.Pascal(root.Title!), string.Empty);
            }

            // NJsonSchema appends resolved external documents to the root's definitions; only the
            // ones written in this file are this file's to emit.
            var declared = ((document["$defs"] ?? document["definitions"]) as JObject)?.Properties().Select(p => p.Name) ?? Enumerable.Empty<string>();
            foreach (var key in declared)
            {
                if (root.Definitions.TryGetValue(key, out var definition))
                {
                    walker.Resolve(definition, Naming.Pascal(key), "/definitions/" + key);
                }
            }

            return walker._types;
        }

        private TypeRef Resolve(JsonSchema schema, string nameHint, string pointer)
        {
            if (schema.Reference != null)
            {
                var target = schema.Reference;
                // A title next to a $ref names a type of its own with the target's shape
                // (TextClassificationOutputTransform over ClassificationOutputTransform).
                if (!string.IsNullOrEmpty(schema.Title))
                {
                    var alias = Naming.Pascal(schema.Title!);
                    var targetSchema = Dereference(target);
                    if (alias != TypeNameOf(targetSchema))
                    {
                        return BuildNamed(targetSchema, alias, schema.Description ?? targetSchema.Description, pointer);
                    }
                }

                return Resolve(target, nameHint, PointerOf(target) ?? pointer);
            }

            if (IsReferenceWrapper(schema))
            {
                return Resolve(schema.AllOf.First(), nameHint, pointer + "/allOf/0");
            }

            if (IsBinary(schema))
            {
                return TypeRef.Binary;
            }

            var name = TypeNameOf(schema);
            if (name != null)
            {
                // A named schema from another document is emitted by that document; refer to it.
                return _localSchemas.Contains(schema) || !IsDefinition(schema)
                    ? BuildNamed(schema, name, schema.Description, pointer)
                    : TypeRef.Named(name, IsStructShape(schema));
            }

            switch (Classify(schema))
            {
                case SchemaShape.Enum:
                case SchemaShape.Union:
                case SchemaShape.MergedObject:
                case SchemaShape.Object:
                    return BuildNamed(schema, nameHint, schema.Description, pointer);
                case SchemaShape.Map:
                    return TypeRef.MapOf(Resolve(schema.AdditionalPropertiesSchema!, nameHint + "Value", pointer + "/additionalProperties"));
                case SchemaShape.Array:
                    return schema.Item != null
                        ? TypeRef.ArrayOf(Resolve(schema.Item, nameHint + "Element", pointer + "/items"))
                        : TypeRef.ArrayOf(Unsupported(pointer, "an array without a single 'items' schema"));
                case SchemaShape.Scalar:
                    return ScalarOf(schema);
                default:
                    return TypeRef.Any;
            }
        }

        private TypeRef BuildNamed(JsonSchema schema, string name, string? description, string pointer)
        {
            if (_built.TryGetValue((schema, name), out var existing))
            {
                return _unbuilt.Contains(existing) ? TypeRef.Any : TypeRef.Named(existing, IsStructShape(schema));
            }

            var unique = name;
            for (var suffix = 2; _usedNames.Contains(unique); suffix++)
            {
                unique = name + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            _usedNames.Add(unique);
            _built[(schema, name)] = unique;

            TypeSpec? spec;
            switch (Classify(schema))
            {
                case SchemaShape.Enum:
                    spec = BuildEnumOrUnion(schema, unique, description, pointer);
                    break;
                case SchemaShape.Union:
                    spec = BuildUnion(schema, unique, description, pointer);
                    break;
                case SchemaShape.MergedObject:
                    spec = BuildMergedObject(schema, unique, description, pointer);
                    break;
                case SchemaShape.Object:
                    spec = new ObjectTypeSpec(unique, description, _displayPath, BuildProperties(new[] { new Part(schema, pointer, true) }, unique), null);
                    break;
                case SchemaShape.Map:
                    spec = new MapTypeSpec(unique, description, _displayPath, Resolve(schema.AdditionalPropertiesSchema!, unique + "Value", pointer + "/additionalProperties"));
                    break;
                case SchemaShape.Array:
                    spec = BuildArray(schema, unique, description, pointer);
                    break;
                case SchemaShape.Scalar:
                    spec = new ScalarTypeSpec(unique, description, _displayPath, ScalarOf(schema));
                    break;
                default:
                    spec = schema.Type.HasFlag(JsonObjectType.Object)
                        ? new ObjectTypeSpec(unique, description, _displayPath, EquatableArray<PropertySpec>.Empty, null)
                        : (TypeSpec)new ScalarTypeSpec(unique, description, _displayPath, TypeRef.Any);
                    break;
            }

            if (spec == null)
            {
                _unbuilt.Add(unique);
                return TypeRef.Any;
            }

            _types.Add(spec);
            return TypeRef.Named(unique, spec is EnumTypeSpec || spec is ScalarTypeSpec);
        }

        /// <summary>Whether the type this schema becomes is a struct: a string enum or a titled scalar.</summary>
        private static bool IsStructShape(JsonSchema schema)
        {
            var shape = Classify(schema);
            return (shape == SchemaShape.Enum && !schema.Enumeration.Any(v => v is bool)) || shape == SchemaShape.Scalar;
        }

        private TypeSpec BuildArray(JsonSchema schema, string name, string? description, string pointer)
        {
            var rank = NumericRank(schema);
            if (rank >= 2)
            {
                return new TensorTypeSpec(name, description, _displayPath, rank);
            }

            if (schema.Item == null)
            {
                return new ArrayTypeSpec(name, description, _displayPath, Unsupported(pointer, "an array without a single 'items' schema"));
            }

            // Elements are <Title>Element even when the items are a $ref (TextClassificationOutputElement
            // over ClassificationOutput), as the Python client names them; a titled item keeps its title.
            var item = schema.Item;
            var element = item.Reference != null && string.IsNullOrEmpty(item.Title) && Classify(Dereference(item)) == SchemaShape.Object
                ? BuildNamed(Dereference(item), name + "Element", item.Description ?? Dereference(item).Description, pointer + "/items")
                : Resolve(item, name + "Element", pointer + "/items");
            return new ArrayTypeSpec(name, description, _displayPath, element);
        }

        /// <summary>A string enum, or (for <c>type: [boolean, string]</c> enums) a union of a boolean and a string enum.</summary>
        private TypeSpec? BuildEnumOrUnion(JsonSchema schema, string name, string? description, string pointer)
        {
            var values = EnumValuesOf(schema);
            var hasNonString = schema.Enumeration.Any(v => v != null && !(v is string));
            if (!hasNonString)
            {
                return new EnumTypeSpec(name, description, _displayPath, values);
            }

            if (schema.Enumeration.All(v => v is string || v is bool))
            {
                var stringEnum = name + "Enum";
                _usedNames.Add(stringEnum);
                _types.Add(new EnumTypeSpec(stringEnum, description, _displayPath, values));
                return new UnionTypeSpec(name, description, _displayPath, new[]
                {
                    new UnionAlternativeSpec(JsonKind.Boolean, TypeRef.Boolean, null),
                    new UnionAlternativeSpec(JsonKind.String, TypeRef.Named(stringEnum, isStruct: true), null),
                }.ToEquatableArray());
            }

            Unsupported(pointer, "an enum of values that are neither strings nor booleans");
            return null;
        }

        private TypeSpec? BuildUnion(JsonSchema schema, string name, string? description, string pointer)
        {
            var (alternatives, keyword) = AlternativesOf(schema, pointer);
            var byKind = new Dictionary<JsonKind, List<Part>>();
            var order = new List<JsonKind>();
            foreach (var alternative in alternatives)
            {
                var kind = JsonKindOf(Dereference(alternative.Schema));
                if (kind == null)
                {
                    Unsupported(alternative.Pointer, "a " + keyword + " alternative whose JSON type is not stated");
                    return null;
                }

                if (!byKind.TryGetValue(kind.Value, out var list))
                {
                    byKind[kind.Value] = list = new List<Part>();
                    order.Add(kind.Value);
                }

                list.Add(alternative);
            }

            if (byKind.ContainsKey(JsonKind.Integer) && byKind.ContainsKey(JsonKind.Number))
            {
                Unsupported(pointer, "a " + keyword + " with both integer and number alternatives");
                return null;
            }

            var specs = new List<UnionAlternativeSpec>();
            foreach (var kind in order)
            {
                var group = byKind[kind];
                TypeRef type;
                if (group.Count == 1)
                {
                    var single = group[0];
                    var dereferenced = Dereference(single.Schema);
                    type = kind == JsonKind.String && IsEnum(dereferenced) && TypeNameOf(dereferenced) == null
                        ? BuildNamed(dereferenced, name + "Enum", dereferenced.Description, single.Pointer)
                        : Resolve(single.Schema, name + SuffixFor(kind), single.Pointer);
                }
                else if (kind == JsonKind.String && group.All(p => IsEnum(Dereference(p.Schema))))
                {
                    // Several single-value string alternatives ("auto" | "none" | "required") read as one enum.
                    var enumName = name + "Enum";
                    _usedNames.Add(enumName);
                    var values = group.SelectMany(p => EnumValuesOf(Dereference(p.Schema))).ToEquatableArray();
                    _types.Add(new EnumTypeSpec(enumName, null, _displayPath, values));
                    type = TypeRef.Named(enumName, isStruct: true);
                }
                else if (kind == JsonKind.String)
                {
                    type = TypeRef.String;
                }
                else
                {
                    Unsupported(pointer, "a " + keyword + " with several " + kind.ToString().ToLowerInvariant() + " alternatives that are not all objects");
                    return null;
                }

                var text = group.Count == 1 ? Dereference(group[0].Schema).Description ?? group[0].Schema.Description : null;
                specs.Add(new UnionAlternativeSpec(kind, type, text));
            }

            return new UnionTypeSpec(name, description, _displayPath, specs.ToEquatableArray());
        }

        /// <summary>
        /// oneOf/anyOf of objects, and allOf: one record with every alternative's properties, so
        /// that <c>message.Content</c> reads as .NET users expect. A property is required only when
        /// every alternative of a oneOf/anyOf requires it (allOf parts all apply, so any suffices).
        /// </summary>
        private TypeSpec BuildMergedObject(JsonSchema schema, string name, string? description, string pointer)
        {
            var parts = new List<Part>();
            var sources = new List<string>();
            Flatten(new Part(schema, pointer, true), parts, sources);
            var properties = BuildProperties(parts, name);

            var discriminator = schema.DiscriminatorObject?.PropertyName ?? schema.Discriminator;
            var remarks = sources.Count > 0
                ? "Merges the alternatives " + string.Join(", ", sources) + ": every property of each is here, and a property is required only when all alternatives require it."
                : null;
            if (!string.IsNullOrEmpty(discriminator) && remarks != null)
            {
                remarks += " The alternative is told by \"" + discriminator + "\".";
            }

            return new ObjectTypeSpec(name, description, _displayPath, properties, remarks);
        }

        /// <summary>Collects the object parts a merged record is made of. <see cref="Part.AllRequired"/> is false under a oneOf/anyOf.</summary>
        private void Flatten(Part part, List<Part> parts, List<string> sources)
        {
            var schema = Dereference(part.Schema);
            if (schema.Properties.Count > 0)
            {
                parts.Add(new Part(schema, part.Pointer, part.AllRequired, part.AlternativeCount));
            }

            var index = 0;
            foreach (var member in schema.AllOf)
            {
                Flatten(new Part(member, part.Pointer + "/allOf/" + index++, part.AllRequired), parts, sources);
            }

            var choices = schema.OneOf.Count > 0 ? schema.OneOf : schema.AnyOf;
            if (choices.Count > 0)
            {
                // Each alternative is a group whose required members count only if all groups require them.
                var keyword = schema.OneOf.Count > 0 ? "oneOf" : "anyOf";
                index = 0;
                foreach (var alternative in choices)
                {
                    var target = Dereference(alternative);
                    var label = TypeNameOf(target) ?? keyword + "[" + index + "]";
                    sources.Add(label);
                    Flatten(new Part(alternative, part.Pointer + "/" + keyword + "/" + index++, false, choices.Count), parts, sources);
                }
            }
        }

        private EquatableArray<PropertySpec> BuildProperties(IReadOnlyList<Part> parts, string owner)
        {
            // Group by wire name in first-seen order; a name may come from several alternatives.
            var order = new List<string>();
            var groups = new Dictionary<string, List<(JsonSchemaProperty Property, Part Part)>>(StringComparer.Ordinal);
            foreach (var part in parts)
            {
                foreach (var pair in part.Schema.Properties)
                {
                    if (!groups.TryGetValue(pair.Key, out var group))
                    {
                        groups[pair.Key] = group = new List<(JsonSchemaProperty, Part)>();
                        order.Add(pair.Key);
                    }

                    group.Add((pair.Value, part));
                }
            }

            // Alternatives of a oneOf/anyOf: how many there are, to know whether all of them require a member.
            var alternativeCount = parts.Where(p => !p.AllRequired).Select(p => p.AlternativeCount).DefaultIfEmpty(0).Max();

            var result = new List<PropertySpec>();
            var clrNames = new HashSet<string>(StringComparer.Ordinal) { owner, "AdditionalProperties" };
            foreach (var wireName in order)
            {
                var group = groups[wireName];
                var first = group[0];
                var propertyPointer = first.Part.Pointer + "/properties/" + wireName;
                var hint = owner + Naming.Pascal(wireName);

                var requiredByAllOf = group.Any(g => g.Part.AllRequired && g.Part.Schema.RequiredProperties.Contains(wireName));
                var requiringAlternatives = group.Count(g => !g.Part.AllRequired && g.Part.Schema.RequiredProperties.Contains(wireName));
                var required = requiredByAllOf || (alternativeCount > 0 && requiringAlternatives == alternativeCount);

                var type = group.Count == 1
                    ? Resolve(first.Property, hint, propertyPointer)
                    : ResolveMergedProperty(group.Select(g => (JsonSchema)g.Property).ToList(), hint, propertyPointer);

                var declared = group.Select(g => g.Property).FirstOrDefault(p => !string.IsNullOrEmpty(p.Description));
                var propertyDescription = declared?.Description ?? group.Select(g => Dereference(g.Property).Description).FirstOrDefault(d => !string.IsNullOrEmpty(d));
                var nullable = !required || group.Any(g => IsNullable(g.Property));
                var defaultJson = group.Select(g => g.Property.Default).FirstOrDefault(d => d != null);

                var clrName = Naming.Pascal(wireName);
                if (clrNames.Contains(clrName))
                {
                    clrName += "Value";
                }

                for (var suffix = 2; clrNames.Contains(clrName); suffix++)
                {
                    clrName = Naming.Pascal(wireName) + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                clrNames.Add(clrName);
                result.Add(new PropertySpec(
                    wireName,
                    clrName,
                    type,
                    required,
                    nullable,
                    propertyDescription,
                    defaultJson == null ? null : JsonConvert.SerializeObject(defaultJson)));
            }

            return result.ToEquatableArray();
        }

        /// <summary>The type of a member that several alternatives of a merged record declare.</summary>
        private TypeRef ResolveMergedProperty(IReadOnlyList<JsonSchema> schemas, string hint, string pointer)
        {
            var targets = schemas.Select(Dereference).ToList();
            if (targets.All(t => IsEnum(t) && TypeNameOf(t) == null))
            {
                // "type": "text" | "image_url": one enum with every alternative's values.
                var values = targets.SelectMany(t => (IEnumerable<EnumValueSpec>)EnumValuesOf(t)).GroupBy(v => v.WireValue).Select(g => g.First()).ToEquatableArray();
                if (_built.TryGetValue((targets[0], hint), out var existing))
                {
                    return TypeRef.Named(existing, isStruct: true);
                }

                _usedNames.Add(hint);
                _built[(targets[0], hint)] = hint;
                _types.Add(new EnumTypeSpec(hint, targets.Select(t => t.Description).FirstOrDefault(d => d != null), _displayPath, values));
                return TypeRef.Named(hint, isStruct: true);
            }

            var types = schemas.Select(s => Resolve(s, hint, pointer)).Distinct().ToList();
            if (types.Count == 1)
            {
                return types[0];
            }

            // One alternative leaves the member untyped (TGI's grammar "value": a JSON Schema or a regex):
            // the member is untyped JSON, which is what the spec says.
            if (types.Contains(TypeRef.Any))
            {
                return TypeRef.Any;
            }

            if (types.All(t => t.Kind == TypeRefKind.String || t.Kind == TypeRefKind.Named) && targets.All(t => JsonKindOf(t) == JsonKind.String))
            {
                return TypeRef.String;
            }

            return Unsupported(pointer, "alternatives give this member different types");
        }

        private (IReadOnlyList<Part> Alternatives, string Keyword) AlternativesOf(JsonSchema schema, string pointer)
        {
            if (schema.OneOf.Count > 0)
            {
                return (schema.OneOf.Select((s, i) => new Part(s, pointer + "/oneOf/" + i, false)).ToList(), "oneOf");
            }

            if (schema.AnyOf.Count > 0)
            {
                return (schema.AnyOf.Select((s, i) => new Part(s, pointer + "/anyOf/" + i, false)).ToList(), "anyOf");
            }

            // "type": ["boolean", "string"] without an enum: one alternative per JSON type.
            var list = new List<Part>();
            foreach (var type in new[] { JsonObjectType.String, JsonObjectType.Integer, JsonObjectType.Number, JsonObjectType.Boolean, JsonObjectType.Array, JsonObjectType.Object })
            {
                if (schema.Type.HasFlag(type))
                {
                    list.Add(new Part(new JsonSchema { Type = type, Item = type == JsonObjectType.Array ? schema.Item : null }, pointer, false));
                }
            }

            return (list, "type list");
        }

        private enum SchemaShape
        {
            Any,
            Scalar,
            Enum,
            Union,
            MergedObject,
            Object,
            Map,
            Array,
        }

        private static SchemaShape Classify(JsonSchema schema)
        {
            if (IsEnum(schema))
            {
                return SchemaShape.Enum;
            }

            if (schema.OneOf.Count > 0 || schema.AnyOf.Count > 0)
            {
                var alternatives = schema.OneOf.Count > 0 ? schema.OneOf : schema.AnyOf;
                return alternatives.All(a => JsonKindOf(Dereference(a)) == JsonKind.Object) ? SchemaShape.MergedObject : SchemaShape.Union;
            }

            if (schema.AllOf.Count > 1 || (schema.AllOf.Count == 1 && schema.Properties.Count > 0))
            {
                return SchemaShape.MergedObject;
            }

            var type = schema.Type & ~JsonObjectType.Null;
            if (CountFlags(type) > 1)
            {
                return SchemaShape.Union;
            }

            if (type == JsonObjectType.Object || (type == JsonObjectType.None && schema.Properties.Count > 0))
            {
                if (schema.Properties.Count == 0 && schema.AdditionalPropertiesSchema != null)
                {
                    return SchemaShape.Map;
                }

                return schema.Properties.Count > 0 || !string.IsNullOrEmpty(schema.Title) ? SchemaShape.Object : SchemaShape.Any;
            }

            if (type == JsonObjectType.Array)
            {
                return SchemaShape.Array;
            }

            return type == JsonObjectType.None ? SchemaShape.Any : SchemaShape.Scalar;
        }

        private static int CountFlags(JsonObjectType type)
        {
            var count = 0;
            foreach (var flag in new[] { JsonObjectType.String, JsonObjectType.Integer, JsonObjectType.Number, JsonObjectType.Boolean, JsonObjectType.Array, JsonObjectType.Object, JsonObjectType.File })
            {
                if (type.HasFlag(flag))
                {
                    count++;
                }
            }

            return count;
        }

        private static JsonKind? JsonKindOf(JsonSchema schema)
        {
            if (IsEnum(schema) && schema.Enumeration.All(v => v is string) && EnumValuesFromConst(schema).Count == 0)
            {
                return JsonKind.String;
            }

            if (EnumValuesFromConst(schema).Count > 0)
            {
                return JsonKind.String;
            }

            if (schema.OneOf.Count > 0 || schema.AnyOf.Count > 0 || schema.AllOf.Count > 0)
            {
                var members = schema.OneOf.Concat(schema.AnyOf).Concat(schema.AllOf).Select(Dereference).Select(JsonKindOf).Distinct().ToList();
                return members.Count == 1 ? members[0] : null;
            }

            var type = schema.Type & ~JsonObjectType.Null;
            switch (type)
            {
                case JsonObjectType.String: return JsonKind.String;
                case JsonObjectType.Integer: return JsonKind.Integer;
                case JsonObjectType.Number: return JsonKind.Number;
                case JsonObjectType.Boolean: return JsonKind.Boolean;
                case JsonObjectType.Array: return JsonKind.Array;
                case JsonObjectType.Object: return JsonKind.Object;
                case JsonObjectType.None when schema.Properties.Count > 0: return JsonKind.Object;
                default: return null;
            }
        }

        private static string SuffixFor(JsonKind kind)
        {
            switch (kind)
            {
                case JsonKind.Object: return "Class";
                case JsonKind.String: return "Enum";
                default: return string.Empty;
            }
        }

        private static bool IsEnum(JsonSchema schema) =>
            (schema.Enumeration.Count > 0 && schema.Enumeration.All(v => v is string || v is bool)) || EnumValuesFromConst(schema).Count > 0;

        private static EquatableArray<EnumValueSpec> EnumValuesOf(JsonSchema schema)
        {
            var fromConst = EnumValuesFromConst(schema);
            if (fromConst.Count > 0)
            {
                return fromConst.ToEquatableArray();
            }

            var values = schema.Enumeration.OfType<string>().ToList();
            if (values.Count == 0 && GetExtension(schema, "const") is string single)
            {
                values.Add(single);
            }

            return NameEnumValues(values.Select(v => (v, (string?)null))).ToEquatableArray();
        }

        /// <summary>Enums written as <c>oneOf: [{const, description}]</c>, which keep a description per value.</summary>
        private static List<EnumValueSpec> EnumValuesFromConst(JsonSchema schema)
        {
            if (schema.OneOf.Count == 0 || !schema.OneOf.All(o => GetExtension(o, "const") is string))
            {
                return new List<EnumValueSpec>();
            }

            return NameEnumValues(schema.OneOf.Select(o => ((string)GetExtension(o, "const")!, (string?)o.Description)));
        }

        // Members every generated enum struct has; a wire value with one of these names gets a suffix.
        private static readonly HashSet<string> ReservedEnumMemberNames = new HashSet<string>(StringComparer.Ordinal)
        {
            "Value", "KnownValues", "Equals", "GetHashCode", "ToString", "GetType",
        };

        private static List<EnumValueSpec> NameEnumValues(IEnumerable<(string Value, string? Description)> values)
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<EnumValueSpec>();
            foreach (var (value, description) in values)
            {
                var name = Naming.Pascal(value);
                if (ReservedEnumMemberNames.Contains(name))
                {
                    name += "Value";
                }

                for (var suffix = 2; !used.Add(name); suffix++)
                {
                    name = Naming.Pascal(value) + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                result.Add(new EnumValueSpec(value, name, description));
            }

            return result;
        }

        private static TypeRef ScalarOf(JsonSchema schema)
        {
            var type = schema.Type & ~JsonObjectType.Null;
            switch (type)
            {
                case JsonObjectType.String:
                    return TypeRef.String;
                case JsonObjectType.Boolean:
                    return TypeRef.Boolean;
                case JsonObjectType.Number:
                    return TypeRef.Double;
                case JsonObjectType.Integer:
                    return FitsInt32(schema) ? TypeRef.Int32 : IsUnsigned64(schema) ? TypeRef.UInt64 : TypeRef.Int64;
                default:
                    return TypeRef.Any;
            }
        }

        /// <summary>An integer is <c>int</c> only when the schema bounds it to 32 bits; seeds, ids and timestamps stay <c>long</c>.</summary>
        private static bool FitsInt32(JsonSchema schema)
        {
            if (schema.Format == "int32")
            {
                return true;
            }

            return schema.Minimum.HasValue && schema.Maximum.HasValue
                && schema.Minimum.Value >= int.MinValue && schema.Maximum.Value <= int.MaxValue;
        }

        /// <summary>
        /// <c>format: int64</c> with <c>minimum: 0</c> is how TGI's OpenAPI export writes a Rust u64
        /// (seeds, timestamps); real seeds use the whole range (18435558523380366744 is recorded).
        /// </summary>
        private static bool IsUnsigned64(JsonSchema schema) =>
            schema.Format == "int64" && schema.Minimum.HasValue && schema.Minimum.Value >= 0;

        /// <summary>The nesting depth of an array of arrays of numbers (2 for number[][]), or 0.</summary>
        private static int NumericRank(JsonSchema schema)
        {
            var rank = 0;
            var current = schema;
            while ((current.Type & ~JsonObjectType.Null) == JsonObjectType.Array && current.Item != null)
            {
                rank++;
                current = Dereference(current.Item);
            }

            var leaf = current.Type & ~JsonObjectType.Null;
            return leaf == JsonObjectType.Number || leaf == JsonObjectType.Integer ? rank : 0;
        }

        private static bool IsBinary(JsonSchema schema) =>
            GetExtension(schema, "comment") is string comment && comment.Trim() == "type=binary";

        private static bool IsNullable(JsonSchema schema) =>
            schema.IsNullableRaw == true || GetExtension(schema, "nullable") is true || schema.Type.HasFlag(JsonObjectType.Null);

        /// <summary><c>{"allOf": [{"$ref": ...}], "nullable": true}</c>: only a way to annotate a reference.</summary>
        private static bool IsReferenceWrapper(JsonSchema schema) =>
            schema.AllOf.Count == 1 && schema.Properties.Count == 0 && schema.OneOf.Count == 0 && schema.AnyOf.Count == 0
            && (schema.Type & ~JsonObjectType.Null) == JsonObjectType.None;

        private static object? GetExtension(JsonSchema schema, string key)
        {
            if (schema.ExtensionData == null || !schema.ExtensionData.TryGetValue(key, out var value))
            {
                return null;
            }

            return value is JValue token ? token.Value : value;
        }

        /// <summary>Follows $refs and reference wrappers to the schema that says what the value is.</summary>
        private static JsonSchema Dereference(JsonSchema schema)
        {
            var current = schema;
            for (var depth = 0; depth < 64; depth++)
            {
                if (current.Reference != null)
                {
                    current = current.Reference;
                }
                else if (IsReferenceWrapper(current))
                {
                    current = current.AllOf.First();
                }
                else
                {
                    return current;
                }
            }

            return current;
        }

        /// <summary>The type name a schema carries by itself: its title, else its key under definitions.</summary>
        private static string? TypeNameOf(JsonSchema schema)
        {
            if (!string.IsNullOrEmpty(schema.Title))
            {
                return Naming.Pascal(schema.Title!);
            }

            var key = DefinitionKeyOf(schema);
            return key == null ? null : Naming.Pascal(key);
        }

        private static bool IsDefinition(JsonSchema schema) => DefinitionKeyOf(schema) != null;

        private static string? DefinitionKeyOf(JsonSchema schema)
        {
            if (schema.Parent is JsonSchema parent)
            {
                foreach (var pair in parent.Definitions)
                {
                    if (ReferenceEquals(pair.Value, schema))
                    {
                        return pair.Key;
                    }
                }
            }

            return null;
        }

        private string? PointerOf(JsonSchema schema)
        {
            var key = DefinitionKeyOf(schema);
            return key != null && _localSchemas.Contains(schema) ? "/definitions/" + key : null;
        }

        private void CollectLocal(JsonSchema schema)
        {
            if (schema == null || !_localSchemas.Add(schema))
            {
                return;
            }

            foreach (var property in schema.Properties.Values)
            {
                CollectLocal(property);
            }

            foreach (var child in schema.OneOf.Concat(schema.AnyOf).Concat(schema.AllOf))
            {
                CollectLocal(child);
            }

            if (schema.Item != null)
            {
                CollectLocal(schema.Item);
            }

            if (schema.AdditionalPropertiesSchema != null)
            {
                CollectLocal(schema.AdditionalPropertiesSchema);
            }

            // Only definitions written in this file: NJsonSchema also appends the external documents it loaded.
            if (ReferenceEquals(schema.Parent, null))
            {
                var declared = ((_document["$defs"] ?? _document["definitions"]) as JObject)?.Properties().Select(p => p.Name) ?? Enumerable.Empty<string>();
                foreach (var key in declared)
                {
                    if (schema.Definitions.TryGetValue(key, out var definition))
                    {
                        CollectLocal(definition);
                    }
                }
            }
        }

        private TypeRef Unsupported(string pointer, string what)
        {
            var (line, column) = SchemaDocumentText.PositionOf(SchemaDocumentText.Find(_document, pointer));
            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct, _filePath, line, column, _displayPath, pointer.Length == 0 ? "#" : "#" + pointer, what));
            return TypeRef.Any;
        }

        /// <summary>An object schema contributing properties to a record, and whether its required list applies as is.</summary>
        private readonly struct Part
        {
            public Part(JsonSchema schema, string pointer, bool allRequired, int alternativeCount = 0)
            {
                Schema = schema;
                Pointer = pointer;
                AllRequired = allRequired;
                AlternativeCount = alternativeCount;
            }

            public JsonSchema Schema { get; }

            public string Pointer { get; }

            public bool AllRequired { get; }

            public int AlternativeCount { get; }
        }

        private sealed class ReferenceComparer : IEqualityComparer<JsonSchema>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();

            public bool Equals(JsonSchema? x, JsonSchema? y) => ReferenceEquals(x, y);

            public int GetHashCode(JsonSchema obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }

        private sealed class SchemaNameComparer : IEqualityComparer<(JsonSchema Schema, string Name)>
        {
            public static readonly SchemaNameComparer Instance = new SchemaNameComparer();

            public bool Equals((JsonSchema Schema, string Name) x, (JsonSchema Schema, string Name) y) =>
                ReferenceEquals(x.Schema, y.Schema) && string.Equals(x.Name, y.Name, StringComparison.Ordinal);

            public int GetHashCode((JsonSchema Schema, string Name) obj) =>
                (System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Schema) * 397) ^ StringComparer.Ordinal.GetHashCode(obj.Name);
        }
    }
}
