namespace HuggingFace.Inference.Generator.Model
{
    internal enum TypeRefKind
    {
        String,
        Int32,
        Int64,
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
    internal sealed record TypeRef(TypeRefKind Kind, string? Name = null, TypeRef? Element = null)
    {
        public static readonly TypeRef String = new TypeRef(TypeRefKind.String);
        public static readonly TypeRef Int32 = new TypeRef(TypeRefKind.Int32);
        public static readonly TypeRef Int64 = new TypeRef(TypeRefKind.Int64);
        public static readonly TypeRef Double = new TypeRef(TypeRefKind.Double);
        public static readonly TypeRef Boolean = new TypeRef(TypeRefKind.Boolean);
        public static readonly TypeRef Binary = new TypeRef(TypeRefKind.Binary);
        public static readonly TypeRef Any = new TypeRef(TypeRefKind.Any);

        public static TypeRef Named(string name) => new TypeRef(TypeRefKind.Named, name);

        public static TypeRef ArrayOf(TypeRef element) => new TypeRef(TypeRefKind.Array, Element: element);

        public static TypeRef MapOf(TypeRef value) => new TypeRef(TypeRefKind.Map, Element: value);
    }
}
