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
            var bare = type with { Description = null, SourcePath = string.Empty };
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
            foreach (var file in files.OrderBy(f => f.DisplayPath, System.StringComparer.Ordinal))
            {
                foreach (var type in file.Types)
                {
                    var key = type.Namespace + "|" + type.Name;
                    if (!byName.TryGetValue(key, out var existing))
                    {
                        byName.Add(key, type);
                    }
                    else if (!Equals(Shape(existing), Shape(type)))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConflictingType, file.Path, 0, 0, file.DisplayPath, type.Name, existing.SourcePath));
                    }
                }
            }

            return new ModelSet(
                byName.Values.OrderBy(t => t.Namespace, System.StringComparer.Ordinal).ThenBy(t => t.Name, System.StringComparer.Ordinal).ToEquatableArray(),
                diagnostics.ToEquatableArray());
        }
    }
}
