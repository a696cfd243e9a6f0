using System.Collections.Generic;
using System.Linq;
using HuggingFace.Inference.Generator.Diagnostics;
using HuggingFace.Inference.Generator.Model;

namespace HuggingFace.Inference.Generator.Parsing
{
    /// <summary>
    /// Joins the files' types into one set. The same title in several files (BoundingBox in
    /// object-detection and zero-shot-object-detection) is one type when the definitions agree;
    /// when they differ only in documentation the first file's (by path) is kept; when their shapes
    /// differ the first file wins and the other gets HFGEN005.
    /// </summary>
    internal static class ModelMerger
    {
        /// <summary>The type without its documentation and origin: what decides whether two definitions agree.</summary>
        private static TypeSpec Shape(TypeSpec type)
        {
            var bare = type with { Description = null, SourcePath = string.Empty, Task = null };
            switch (bare)
            {
                case ObjectTypeSpec obj:
                    return obj with { Remarks = null, Properties = obj.Properties.Select(p => p with { Description = null, DefaultJson = null }).ToEquatableArray() };
                case EnumTypeSpec enumeration:
                    return enumeration with { Values = enumeration.Values.Select(v => v with { Description = null }).ToEquatableArray() };
                case UnionTypeSpec union:
                    return union with { Alternatives = union.Alternatives.Select(a => a with { Description = null }).ToEquatableArray() };
                default:
                    return bare;
            }
        }

        public static ModelSet Merge(IEnumerable<FileModel> files)
        {
            // Keyed by namespace and name: an OpenAPI document's types live in their own namespace.
            var byName = new Dictionary<string, TypeSpec>(System.StringComparer.Ordinal);
            var diagnostics = new List<DiagnosticInfo>();
            var byHint = new Dictionary<string, TypeSpec>(System.StringComparer.OrdinalIgnoreCase);
            var paths = new Dictionary<string, string>(System.StringComparer.Ordinal);
            var tasks = new Dictionary<string, SortedSet<string>>(System.StringComparer.Ordinal);
            foreach (var file in files.OrderBy(f => f.DisplayPath, System.StringComparer.Ordinal))
            {
                try
                {
                    MergeFile(file, byName, byHint, paths, tasks, diagnostics);
                }
                catch (System.Exception exception)
                {
                    // This file's types are left out; the others still merge and generate.
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath, StepGuard.Describe(exception)));
                }
            }

            var ordered = byName.OrderBy(p => p.Value.Namespace, System.StringComparer.Ordinal).ThenBy(p => p.Value.Name, System.StringComparer.Ordinal).ToList();
            return new ModelSet(ordered.Select(p => p.Value).ToEquatableArray(), diagnostics.ToEquatableArray())
            {
                FilePaths = ordered.Select(p => paths[p.Key]).ToEquatableArray(),
                Tasks = ordered.Select(p => tasks.TryGetValue(p.Key, out var set) ? string.Join(",", set) : string.Empty).ToEquatableArray(),
            };
        }

        /// <summary>The generator's own files (hint names are compared ignoring case): a type of that name would collide with them.</summary>
        private static bool IsReservedName(string name) =>
            string.Equals(name + ".g.cs", Emit.WireReaderEmitter.RegistryHintName, System.StringComparison.OrdinalIgnoreCase)
            || string.Equals(name + ".g.cs", Emit.ProviderRegistryEmitter.HintName, System.StringComparison.OrdinalIgnoreCase);

        private static void AddTask(Dictionary<string, SortedSet<string>> tasks, string key, string? task)
        {
            if (task == null)
            {
                return;
            }

            if (!tasks.TryGetValue(key, out var set))
            {
                tasks.Add(key, set = new SortedSet<string>(System.StringComparer.Ordinal));
            }

            set.Add(task);
        }

        private static void MergeFile(FileModel file, Dictionary<string, TypeSpec> byName, Dictionary<string, TypeSpec> byHint, Dictionary<string, string> paths, Dictionary<string, SortedSet<string>> tasks, List<DiagnosticInfo> diagnostics)
        {
                foreach (var type in file.Types)
                {
                    var key = type.Namespace + "|" + type.Name;
                    if (type.Namespace == null && IsReservedName(type.Name))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath,
                            "the type name " + type.Name + " is the name of a file the generator emits itself; it is left out"));
                        continue;
                    }

                    if (!byName.TryGetValue(key, out var existing))
                    {
                        // Each type is a generated file and hint names are unique ignoring case (Roslyn checks that
                        // after the output step, where it would be CS8785): a name differing only in case is dropped.
                        if (byHint.TryGetValue(key, out var sameFile))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath,
                                "the type " + type.Name + " differs only in case from " + sameFile.Name + " of '" + sameFile.SourcePath + "', and both cannot be generated; it is left out"));
                            continue;
                        }

                        byName.Add(key, type);
                        byHint.Add(key, type);
                        paths.Add(key, file.Path);
                        AddTask(tasks, key, type.Task);
                    }
                    else if (!Equals(Shape(existing), Shape(type)))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConflictingType, file.Path, 0, 0, file.DisplayPath, type.Name, existing.SourcePath));
                    }
                    else
                    {
                        // The same type in another task's file: both tasks use it (which decides its namespace).
                        AddTask(tasks, key, type.Task);
                    }
                }
        }
    }
}
