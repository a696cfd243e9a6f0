namespace HuggingFace.Inference.Generator.Model
{
    /// <summary>Generator settings read from MSBuild properties.</summary>
    /// <param name="Namespace">The namespace of the generated types.</param>
    internal sealed record GeneratorOptions(string Namespace);

    /// <summary>An AdditionalFiles item tagged with <c>HuggingFaceTask</c> metadata.</summary>
    /// <param name="Path">The file's path as MSBuild gave it; diagnostics point here.</param>
    /// <param name="DisplayPath">A short, machine-independent path for comments and hint names.</param>
    /// <param name="Task">The task the file belongs to (the metadata's value).</param>
    /// <param name="Text">The file's content.</param>
    /// <param name="OpenApiNamespace">For an OpenAPI document: the namespace of its types (the metadata's value); null for a task schema.</param>
    internal sealed record SpecFile(string Path, string DisplayPath, string Task, string Text, string? OpenApiNamespace = null)
    {
        /// <summary>Why the file could not be read (the exception's type and message); null when it was read.</summary>
        public string? ReadError { get; init; }

        /// <summary>The task manifest's corrections of this file (usually none).</summary>
        public EquatableArray<SpecFix> Fixes { get; init; } = EquatableArray<SpecFix>.Empty;
    }

    /// <summary>The text of one schema document, by the <c>$id</c> other specs use to refer to it.</summary>
    /// <param name="References">The <c>$id</c>s of the other documents its <c>$ref</c>s point into, ordered.</param>
    internal sealed record SchemaDocument(string Id, string Text, EquatableArray<string> References);

    /// <summary>A spec file with its own schema document (null when the file is no usable JSON object).</summary>
    internal sealed record IndexedSpecFile(SpecFile File, SchemaDocument? Document);

    /// <summary>
    /// What parsing one file needs: the file and only the documents its <c>$ref</c>s reach (itself included,
    /// transitively), so that an edit to an unrelated document leaves this input equal and the parse cached.
    /// </summary>
    internal sealed record FileParseInput(SpecFile File, EquatableArray<SchemaDocument> Documents);

    /// <summary>What one spec file yields: its types and its problems.</summary>
    internal sealed record FileModel(string Path, string DisplayPath, EquatableArray<TypeSpec> Types, EquatableArray<Diagnostics.DiagnosticInfo> Diagnostics)
    {
        /// <summary>For an OpenAPI document: its typed API.</summary>
        public ApiClientSpec? Api { get; init; }
    }

    /// <summary>All files' types with duplicates removed, plus the problems that merging found.</summary>
    internal sealed record ModelSet(EquatableArray<TypeSpec> Types, EquatableArray<Diagnostics.DiagnosticInfo> Diagnostics)
    {
        /// <summary>The path of the spec file each type comes from (<c>FilePaths[i]</c> is <c>Types[i]</c>'s), where its diagnostics point.</summary>
        public EquatableArray<string> FilePaths { get; init; }

        /// <summary>The tasks whose spec files define each type (<c>Tasks[i]</c> is <c>Types[i]</c>'s), comma-separated and ordered; empty for an OpenAPI document's.</summary>
        public EquatableArray<string> Tasks { get; init; }
    }

    /// <summary>One type to emit, with the options that shape its code.</summary>
    internal sealed record EmitRequest(TypeSpec Type, GeneratorOptions Options)
    {
        /// <summary>The spec file the type comes from, where a failure to emit it is reported.</summary>
        public string FilePath { get; init; } = string.Empty;
    }
}
