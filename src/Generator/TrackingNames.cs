namespace HuggingFace.Inference.Generator
{
    /// <summary>The names of the incremental pipeline's steps, for the caching tests.</summary>
    public static class TrackingNames
    {
        public const string Options = nameof(Options);
        public const string SpecFiles = nameof(SpecFiles);
        public const string SpecFixes = nameof(SpecFixes);
        public const string SchemaDocument = nameof(SchemaDocument);
        public const string SchemaDocuments = nameof(SchemaDocuments);
        public const string FileParseInputs = nameof(FileParseInputs);
        public const string FileModels = nameof(FileModels);
        public const string ModelSet = nameof(ModelSet);
        public const string TaskGroups = nameof(TaskGroups);
        public const string GroupedModelSet = nameof(GroupedModelSet);
        public const string Types = nameof(Types);
        public const string TaskManifest = nameof(TaskManifest);
        public const string TaskApis = nameof(TaskApis);
        public const string RefitChecks = nameof(RefitChecks);
        public const string TaskExtensions = nameof(TaskExtensions);
        public const string WireReaders = nameof(WireReaders);
        public const string ProviderFiles = nameof(ProviderFiles);
        public const string ProviderFileModels = nameof(ProviderFileModels);
        public const string ProviderKnownTasks = nameof(ProviderKnownTasks);
        public const string ProviderRegistry = nameof(ProviderRegistry);
        public const string ProviderRegistryOutput = nameof(ProviderRegistryOutput);

        /// <summary>Every step, for tests that assert the whole pipeline is cached.</summary>
        public static readonly string[] All = { Options, SpecFiles, SpecFixes, SchemaDocument, SchemaDocuments, FileParseInputs, FileModels, ModelSet, TaskGroups, GroupedModelSet, Types, TaskManifest, TaskApis, RefitChecks, TaskExtensions, WireReaders,
            ProviderFiles, ProviderFileModels, ProviderKnownTasks, ProviderRegistry, ProviderRegistryOutput };
    }
}
