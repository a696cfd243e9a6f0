namespace HuggingFace.Inference.Generator.Model
{
    /// <summary>
    /// One type to emit. Plain data only: no NJsonSchema or Roslyn objects, so that the
    /// incremental driver can compare models by value and skip emission when nothing changed.
    /// </summary>
    /// <param name="Name">The C# type name.</param>
    /// <param name="Description">The schema description, emitted as the XML summary.</param>
    /// <param name="SourcePath">The spec file the type comes from (relative, '/'-separated).</param>
    internal abstract record TypeSpec(string Name, string? Description, string SourcePath)
    {
        /// <summary>
        /// The namespace when one is set: an OpenAPI document's (its metadata), or a task type's feature group
        /// (the task manifest's <c>groups</c>, assigned after merging); null: the project's root namespace.
        /// </summary>
        public string? Namespace { get; init; }

        /// <summary>The task of the spec file the type comes from (null for an OpenAPI document's types).</summary>
        public string? Task { get; init; }
    }

    /// <summary>A JSON object: a sealed record with init properties and extension data.</summary>
    internal sealed record ObjectTypeSpec(
        string Name,
        string? Description,
        string SourcePath,
        EquatableArray<PropertySpec> Properties,
        string? Remarks)
        : TypeSpec(Name, Description, SourcePath);

    /// <summary>
    /// A JSON object whose members are all of one schema (<c>additionalProperties</c> only): a dictionary type.
    /// </summary>
    internal sealed record MapTypeSpec(string Name, string? Description, string SourcePath, TypeRef ValueType)
        : TypeSpec(Name, Description, SourcePath);

    /// <summary>A string enum: an extensible enum struct that tolerates values it does not know.</summary>
    internal sealed record EnumTypeSpec(string Name, string? Description, string SourcePath, EquatableArray<EnumValueSpec> Values)
        : TypeSpec(Name, Description, SourcePath);

    /// <summary>A oneOf/anyOf whose alternatives differ by JSON kind (string, array, object, ...).</summary>
    internal sealed record UnionTypeSpec(string Name, string? Description, string SourcePath, EquatableArray<UnionAlternativeSpec> Alternatives)
        : TypeSpec(Name, Description, SourcePath);

    /// <summary>A titled array schema (task outputs): a read-only list type.</summary>
    internal sealed record ArrayTypeSpec(string Name, string? Description, string SourcePath, TypeRef ElementType)
        : TypeSpec(Name, Description, SourcePath);

    /// <summary>
    /// A titled array of arrays of numbers (embeddings): a dense tensor of any rank, since
    /// servers answer with a different nesting than the schema states.
    /// </summary>
    internal sealed record TensorTypeSpec(string Name, string? Description, string SourcePath, int SchemaRank)
        : TypeSpec(Name, Description, SourcePath);

    /// <summary>A titled scalar schema (a number or string with a name): a value wrapper struct.</summary>
    internal sealed record ScalarTypeSpec(string Name, string? Description, string SourcePath, TypeRef ValueType)
        : TypeSpec(Name, Description, SourcePath);

    /// <param name="WireName">The exact JSON member name.</param>
    /// <param name="IsRequired">The schema lists the member in <c>required</c>.</param>
    /// <param name="IsNullable">The member may be absent or null (optional, or <c>nullable: true</c>).</param>
    /// <param name="DefaultJson">The schema's <c>default</c>, as JSON text, documented and never applied.</param>
    internal sealed record PropertySpec(
        string WireName,
        string ClrName,
        TypeRef Type,
        bool IsRequired,
        bool IsNullable,
        string? Description,
        string? DefaultJson);

    internal sealed record EnumValueSpec(string WireValue, string ClrName, string? Description);

    internal enum JsonKind
    {
        String,
        Number,
        Integer,
        Boolean,
        Array,
        Object,
    }

    /// <summary>One alternative of a union, chosen by the JSON kind of the value.</summary>
    internal sealed record UnionAlternativeSpec(JsonKind Kind, TypeRef Type, string? Description);
}
