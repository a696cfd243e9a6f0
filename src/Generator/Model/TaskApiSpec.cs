namespace HuggingFace.Inference.Generator.Model
{
    /// <summary>One task method of InferenceClient, from the wire manifest resolved against the generated types.</summary>
    /// <param name="Body">json, binary or binary-json.</param>
    /// <param name="Response">json, binary or embeddings.</param>
    /// <param name="ReturnType">The C# type the method returns.</param>
    /// <param name="ParametersType">The type of the input's <c>parameters</c> member, when it has one.</param>
    /// <param name="Renames">"path=name" pairs: members the service reads under another name than the spec's.</param>
    internal sealed record TaskApiSpec(
        string Task,
        string Method,
        string? Summary,
        string? Pipeline,
        string Body,
        string Response,
        string? Accept,
        string InputType,
        string ReturnType,
        string? ParametersType,
        EquatableArray<TaskArgumentSpec> Arguments,
        EquatableArray<string> Renames,
        string SourcePath)
    {
        /// <summary>The feature namespaces of the generated types the method uses (its file's usings), ordered.</summary>
        public EquatableArray<string> Usings { get; init; } = EquatableArray<string>.Empty;
    }

    /// <summary>A method argument and where it goes in the input type.</summary>
    /// <param name="WirePath">The JSON member names from the input type down to the member.</param>
    /// <param name="ClrPath">The property names along the same path.</param>
    /// <param name="LevelTypes">The type of the object at each level of the path (the input type first).</param>
    /// <param name="ClrType">The argument's C# type (without the nullable mark of optional arguments).</param>
    /// <param name="IsBinary">The member is binary: the argument is an InferenceInput.</param>
    /// <param name="IsValueType">Whether the argument's type is a struct (an optional one is then Nullable).</param>
    internal sealed record TaskArgumentSpec(
        string Name,
        EquatableArray<string> WirePath,
        EquatableArray<string> ClrPath,
        EquatableArray<string> LevelTypes,
        string ClrType,
        bool IsOptional,
        bool IsBinary,
        bool IsValueType,
        string? Summary);

    /// <summary>What the task manifest yields: the task methods and the problems found.</summary>
    internal sealed record TaskApiModel(EquatableArray<TaskApiSpec> Tasks, EquatableArray<Diagnostics.DiagnosticInfo> Diagnostics)
    {
        /// <summary>The manifest's path, where a failure to emit one of its tasks is reported.</summary>
        public string Path { get; init; } = string.Empty;
    }

    /// <summary>The manifest file (AdditionalFiles with <c>HuggingFaceTaskApi</c> metadata).</summary>
    internal sealed record TaskManifestFile(string Path, string DisplayPath, string Text)
    {
        /// <summary>Why the file could not be read; null when it was read.</summary>
        public string? ReadError { get; init; }
    }
}
