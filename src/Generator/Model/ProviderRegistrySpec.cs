namespace HuggingFace.Inference.Generator.Model
{
    /// <summary>An AdditionalFiles item with <c>HuggingFaceProvider="true"</c> metadata: one provider's JSON file.</summary>
    internal sealed record ProviderFile(string Path, string DisplayPath, string Text)
    {
        /// <summary>Why the file could not be read; null when it was read.</summary>
        public string? ReadError { get; init; }
    }

    /// <summary>One provider of the registry as the emitter needs it: plain, equatable data (forms as their C# members).</summary>
    /// <param name="Name">The name users write (<c>fal-ai</c>).</param>
    /// <param name="BaseUrl">The provider's own API (absolute http(s) URL).</param>
    /// <param name="Auth">The <c>ProviderAuthScheme</c> member.</param>
    /// <param name="Headers">Headers sent with every call, in the file's order.</param>
    /// <param name="DirectOnly">True when the router does not serve it.</param>
    /// <param name="QueueBaseUrl">The direct base URL of queued jobs, or null.</param>
    /// <param name="Tasks">The tasks it serves, in the file's order.</param>
    /// <param name="SourcePath">The file's display path, for generated comments.</param>
    internal sealed record ProviderRegistrySpec(
        string Name,
        string BaseUrl,
        string Auth,
        EquatableArray<ProviderHeaderSpec> Headers,
        bool DirectOnly,
        string? QueueBaseUrl,
        EquatableArray<ProviderTaskModel> Tasks,
        string SourcePath);

    /// <summary>A header sent with every call to a provider.</summary>
    internal sealed record ProviderHeaderSpec(string Name, string Value);

    /// <summary>One task entry of a provider file.</summary>
    /// <param name="Task">Our task name.</param>
    /// <param name="Route">The route template.</param>
    /// <param name="Request">The <c>ProviderRequestForm</c> member.</param>
    /// <param name="Answer">The <c>ProviderAnswerForm</c> member.</param>
    /// <param name="Job">The <c>ProviderJobForm</c> member.</param>
    /// <param name="PollRoute">The route template of a job's status, or null.</param>
    /// <param name="Body">Constant body members: the JSON text of an object, compact; or null.</param>
    /// <param name="Renames">Parameter renames, <c>"from=to"</c>, in the file's order.</param>
    /// <param name="ResponseFormat">The <c>ChatResponseFormatRewrite</c> member.</param>
    /// <param name="Peers">"both", "python", "js", or null when the entry does not say.</param>
    internal sealed record ProviderTaskModel(
        string Task,
        string Route,
        string Request,
        string Answer,
        string Job,
        string? PollRoute,
        string? Body,
        EquatableArray<string> Renames,
        string ResponseFormat,
        string? Peers);

    /// <summary>Where a task entry's <c>"task"</c> is in its file (zero-based), for diagnostics found after parsing.</summary>
    internal sealed record ProviderTaskLocation(string Task, int Line, int Column);

    /// <summary>What one provider file yields: the provider (null when the file is unusable), where things are, and its problems.</summary>
    internal sealed record ProviderFileModel(
        string Path,
        string DisplayPath,
        ProviderRegistrySpec? Provider,
        int ProviderLine,
        int ProviderColumn,
        EquatableArray<ProviderTaskLocation> TaskLocations,
        EquatableArray<Diagnostics.DiagnosticInfo> Diagnostics);

    /// <summary>Every provider file merged: the providers ordered by name (ordinal), and the problems merging found.</summary>
    /// <param name="HasFiles">Whether the project has provider files at all (without any, no registry is emitted).</param>
    internal sealed record ProviderRegistryModel(EquatableArray<ProviderRegistrySpec> Providers, EquatableArray<Diagnostics.DiagnosticInfo> Diagnostics, bool HasFiles);

    /// <summary>The registry to emit, with the options that shape its code.</summary>
    internal sealed record ProviderRegistryEmitRequest(EquatableArray<ProviderRegistrySpec> Providers, bool HasFiles, GeneratorOptions Options);
}
