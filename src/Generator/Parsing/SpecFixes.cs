using System;
using System.Collections.Generic;
using System.Linq;
using HuggingFace.Inference.Generator.Diagnostics;
using HuggingFace.Inference.Generator.Model;
using Newtonsoft.Json.Linq;

namespace HuggingFace.Inference.Generator.Parsing
{
    /// <summary>
    /// The task manifest's <c>specFixes</c>: read from specs/inference/tasks.json and applied to the parsed
    /// spec document before NJsonSchema reads it, so the synced spec files stay byte for byte upstream's.
    /// Never throws: a malformed fix is HFGEN007 at its line, a fix that no longer applies HFGEN012.
    /// </summary>
    internal static class SpecFixes
    {
        public static SpecFixSet Parse(TaskManifestFile file)
        {
            var fixes = new List<SpecFix>();
            var diagnostics = new List<DiagnosticInfo>();
            try
            {
                var root = SchemaDocumentText.TryParse(file.Text, out _, out _, out _);
                foreach (var entry in (root?["specFixes"] as JArray)?.OfType<JObject>() ?? Enumerable.Empty<JObject>())
                {
                    var (line, column) = SchemaDocumentText.PositionOf(entry);
                    var target = (string?)entry["file"];
                    var pointer = (string?)entry["pointer"];
                    var value = entry["value"];
                    if (string.IsNullOrEmpty(target) || string.IsNullOrEmpty(pointer) || !pointer!.StartsWith("/", StringComparison.Ordinal) || value == null || string.IsNullOrEmpty((string?)entry["why"]))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ManifestProblem, file.Path, line, column, file.DisplayPath,
                            "specFixes: a fix needs \"file\", a \"pointer\" starting with '/', a \"value\" and the evidence in \"why\""));
                        continue;
                    }

                    fixes.Add(new SpecFix(target!.Replace('\\', '/').TrimStart('/'), pointer, value.ToString(Newtonsoft.Json.Formatting.None), line, file.Path));
                }
            }
            catch (Exception exception)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath, exception.GetType().Name + ": " + exception.Message));
            }

            return new SpecFixSet(fixes.ToEquatableArray(), diagnostics.ToEquatableArray());
        }

        /// <summary>The fixes of one spec file, by its display path ("specs/tasks/…").</summary>
        public static EquatableArray<SpecFix> For(SpecFixSet set, string displayPath) =>
            set.Fixes.Where(fix => displayPath == "specs/" + fix.File || displayPath.EndsWith("/" + fix.File, StringComparison.Ordinal) || displayPath == fix.File).ToEquatableArray();

        /// <summary>Applies the file's fixes to its parsed document; a fix whose parent is missing is reported, not applied.</summary>
        public static void Apply(JObject root, SpecFile file, List<DiagnosticInfo>? diagnostics)
        {
            foreach (var fix in file.Fixes)
            {
                var cut = fix.Pointer.LastIndexOf('/');
                var name = fix.Pointer.Substring(cut + 1).Replace("~1", "/").Replace("~0", "~");
                if (!(SchemaDocumentText.Find(root, fix.Pointer.Substring(0, cut)) is JObject parent) || name.Length == 0)
                {
                    diagnostics?.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SpecFixNotApplied, fix.ManifestPath, fix.Line, 0, file.DisplayPath, fix.Pointer));
                    continue;
                }

                parent[name] = JToken.Parse(fix.Value);
            }
        }
    }
}
