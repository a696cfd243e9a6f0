namespace HuggingFace.Inference.Generator.Model
{
    internal enum TypeRefKind
    {
        String,
        Int32,
        Int64,
        /// <summary>An unsigned 64-bit integer: TGI's u64 seeds, exported as int64 with minimum 0.</summary>
        UInt64,
        Double,
        Boolean,
        /// <summary>A field marked <c>"comment": "type=binary"</c>: bytes carried as base64.</summary>
        Binary,
        /// <summary>No schema, or one the generator cannot type: kept as raw JSON.</summary>
        Any,
        /// <summary>A type the generator emits, by name.</summary>
        Named,
        Array,
        /// <summary>An object with <c>additionalProperties</c>: a dictionary.</summary>
        Map,
    }

    /// <summary>How a member refers to its type.</summary>
    /// <param name="IsStruct">For <see cref="TypeRefKind.Named"/>: the named type is a struct (an enum or a scalar wrapper).</param>
    internal sealed record TypeRef(TypeRefKind Kind, string? Name = null, TypeRef? Element = null, bool IsStruct = false)
    {
        public static readonly TypeRef String = new TypeRef(TypeRefKind.String);
        public static readonly TypeRef Int32 = new TypeRef(TypeRefKind.Int32);
        public static readonly TypeRef Int64 = new TypeRef(TypeRefKind.Int64);
        public static readonly TypeRef UInt64 = new TypeRef(TypeRefKind.UInt64);
        public static readonly TypeRef Double = new TypeRef(TypeRefKind.Double);
        public static readonly TypeRef Boolean = new TypeRef(TypeRefKind.Boolean);
        public static readonly TypeRef Binary = new TypeRef(TypeRefKind.Binary);
        public static readonly TypeRef Any = new TypeRef(TypeRefKind.Any);

        public static TypeRef Named(string name, bool isStruct) => new TypeRef(TypeRefKind.Named, name, IsStruct: isStruct);

        /// <summary>Whether the C# type is a value type, so that "absent" needs tracking apart from its default.</summary>
        public bool IsValueType =>
            Kind == TypeRefKind.Int32 || Kind == TypeRefKind.Int64 || Kind == TypeRefKind.UInt64 || Kind == TypeRefKind.Double || Kind == TypeRefKind.Boolean
            || Kind == TypeRefKind.Any || (Kind == TypeRefKind.Named && IsStruct);

        public static TypeRef ArrayOf(TypeRef element) => new TypeRef(TypeRefKind.Array, Element: element);

        public static TypeRef MapOf(TypeRef value) => new TypeRef(TypeRefKind.Map, Element: value);
    }
}
