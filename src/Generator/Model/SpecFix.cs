namespace HuggingFace.Inference.Generator.Model
{
    /// <summary>
    /// One correction of a spec file that the task manifest's <c>specFixes</c> makes where the spec and
    /// the service disagree (the evidence is in the manifest): the JSON at <see cref="Pointer"/> of the file
    /// becomes <see cref="Value"/>, before the schema is read. Plain strings, so that the pipeline caches.
    /// </summary>
    /// <param name="File">The spec file, relative to specs/ ("tasks/chat-completion/input.json").</param>
    /// <param name="Pointer">A JSON pointer into the file ("/$defs/X/properties/y"); its parent must exist.</param>
    /// <param name="Value">The JSON text put there.</param>
    /// <param name="Line">The fix's zero-based line in the manifest, for diagnostics.</param>
    /// <param name="ManifestPath">The manifest's path, for diagnostics.</param>
    internal sealed record SpecFix(string File, string Pointer, string Value, int Line, string ManifestPath);

    /// <summary>Every fix of the manifest, and the problems found reading them.</summary>
    internal sealed record SpecFixSet(EquatableArray<SpecFix> Fixes, EquatableArray<Diagnostics.DiagnosticInfo> Diagnostics)
    {
        public static readonly SpecFixSet None = new SpecFixSet(EquatableArray<SpecFix>.Empty, EquatableArray<Diagnostics.DiagnosticInfo>.Empty);
    }
}
