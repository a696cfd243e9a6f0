using Microsoft.CodeAnalysis;

namespace HuggingFace.Inference.Generator.Diagnostics
{
    /// <summary>
    /// Every problem the generator can report. Each is tracked in AnalyzerReleases.Unshipped.md;
    /// a spec that triggers one still generates as much as it can, and the other specs are unaffected.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "HuggingFace.Inference.Generator";

        public static readonly DiagnosticDescriptor InvalidJson = new DiagnosticDescriptor(
            "HFGEN001",
            "Spec file is not valid JSON",
            "'{0}' is not valid JSON: {1}",
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnresolvedReference = new DiagnosticDescriptor(
            "HFGEN002",
            "Unresolved $ref",
            "'{0}' refers to '{1}', which no spec file defines; the member is generated as JsonElement",
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnsupportedKeyword = new DiagnosticDescriptor(
            "HFGEN003",
            "Unsupported JSON Schema keyword",
            "'{0}' uses the keyword '{1}', which the generator does not support; it is ignored",
            Category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor UnsupportedConstruct = new DiagnosticDescriptor(
            "HFGEN004",
            "Unsupported schema construct",
            "'{0}' at '{1}': {2}; it is generated as JsonElement",
            Category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor ConflictingType = new DiagnosticDescriptor(
            "HFGEN005",
            "Two spec files define the same type differently",
            "'{0}' defines the type '{1}' differently from '{2}'; the definition from '{2}' is used",
            Category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor InternalError = new DiagnosticDescriptor(
            "HFGEN006",
            "Spec file could not be processed",
            "'{0}' could not be processed: {1}",
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor ManifestProblem = new DiagnosticDescriptor(
            "HFGEN007",
            "Task manifest problem",
            "'{0}': {1}; the task's method is not generated",
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor ProviderRoute = new DiagnosticDescriptor(
            "HFGEN008",
            "Provider route template is invalid",
            "'{0}': {1}; the task entry is skipped",
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor ProviderUnknownTask = new DiagnosticDescriptor(
            "HFGEN009",
            "Provider task is not a known task",
            "'{0}': the provider '{1}' lists the task '{2}', which no task spec defines; the task entry is skipped",
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor ProviderProblem = new DiagnosticDescriptor(
            "HFGEN010",
            "Provider registry problem",
            "'{0}': {1}",
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor EmitFailed = new DiagnosticDescriptor(
            "HFGEN011",
            "Generated source could not be produced",
            "'{0}': generating '{1}' failed: {2}; that file is not generated, the others are",
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor SpecFixNotApplied = new DiagnosticDescriptor(
            "HFGEN012",
            "Spec fix does not apply",
            "'{0}': the task manifest's spec fix at '{1}' does not apply (its parent is not in the file); the spec is read as it is",
            Category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor RefitInterface = new DiagnosticDescriptor(
            "HFGEN013",
            "Embedded Refit spec problem",
            "{0}",
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: "A spec embedded in the generator for the library's Refit interfaces could not be read, or differs from the project's copy.");

        public static readonly DiagnosticDescriptor TaskWithoutGroup = new DiagnosticDescriptor(
            "HFGEN014",
            "Task without a feature group",
            "The task '{0}' has spec files but is in no group of {1}'s \"groups\"; its types stay in the root namespace",
            Category,
            DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            description: "The task manifest's groups give each task's types a feature namespace (HuggingFace.Inference.Chat, .Text, .Vision …): a task synced from upstream needs a line there.");

        public static DiagnosticDescriptor? Find(string id)
        {
            switch (id)
            {
                case "HFGEN001": return InvalidJson;
                case "HFGEN002": return UnresolvedReference;
                case "HFGEN003": return UnsupportedKeyword;
                case "HFGEN004": return UnsupportedConstruct;
                case "HFGEN005": return ConflictingType;
                case "HFGEN006": return InternalError;
                case "HFGEN007": return ManifestProblem;
                case "HFGEN008": return ProviderRoute;
                case "HFGEN009": return ProviderUnknownTask;
                case "HFGEN010": return ProviderProblem;
                case "HFGEN011": return EmitFailed;
                case "HFGEN012": return SpecFixNotApplied;
                case "HFGEN013": return RefitInterface;
                case "HFGEN014": return TaskWithoutGroup;
                default: return null;
            }
        }
    }
}
