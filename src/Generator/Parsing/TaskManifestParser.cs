using System;
using System.Collections.Generic;
using System.Linq;
using HuggingFace.Inference.Generator.Diagnostics;
using HuggingFace.Inference.Generator.Emit;
using HuggingFace.Inference.Generator.Model;
using Newtonsoft.Json.Linq;

namespace HuggingFace.Inference.Generator.Parsing
{
    /// <summary>
    /// Reads the task wire manifest (specs/inference/tasks.json) and resolves every argument's
    /// member path against the generated input types, so that a method cannot refer to a member
    /// the spec does not have. Never throws: problems are HFGEN007 at the task's line.
    /// </summary>
    internal static class TaskManifestParser
    {
        private static readonly string[] Bodies = { "json", "binary", "binary-json" };
        private static readonly string[] Responses = { "json", "binary", "embeddings" };

        public static TaskApiModel Parse(TaskManifestFile file, ModelSet model)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var tasks = new List<TaskApiSpec>();
            if (file.ReadError != null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath, "the file could not be read: " + file.ReadError));
                return Result(file.Path, tasks, diagnostics);
            }

            try
            {
                var root = SchemaDocumentText.TryParse(file.Text, out var error, out var line, out var column);
                if (root == null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidJson, file.Path, line, column, file.DisplayPath, error ?? "unknown error"));
                    return Result(file.Path, tasks, diagnostics);
                }

                if (!(root["tasks"] is JArray entries))
                {
                    var (l, c) = SchemaDocumentText.PositionOf(root["tasks"] ?? root);
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ManifestProblem, file.Path, l, c, file.DisplayPath, "\"tasks\" must be an array of task entries"));
                    return Result(file.Path, tasks, diagnostics);
                }

                // An OpenAPI document's types share names with task types (ToDictionary would throw on the duplicate):
                // the manifest resolves against the task types (those with a task, whatever their feature namespace).
                var types = new Dictionary<string, TypeSpec>(StringComparer.Ordinal);
                foreach (var type in model.Types.Where(t => t.Task != null))
                {
                    types[type.Name] = type;
                }

                // Unique ignoring case: each method is a generated file, and hint names are compared so.
                var methods = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (var entry in entries.OfType<JObject>())
                {
                    var spec = ParseTask(entry, types, file, diagnostics);
                    if (spec == null)
                    {
                        continue;
                    }

                    if (types.Keys.Any(name => string.Equals(name + ".g.cs", TaskApiEmitter.HintName(spec), StringComparison.OrdinalIgnoreCase)))
                    {
                        var (l, c) = SchemaDocumentText.PositionOf(entry["method"] ?? entry);
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ManifestProblem, file.Path, l, c, file.DisplayPath, spec.Task + ": the method's interface, I" + spec.Method + "Task, has the name of a generated type"));
                        continue;
                    }

                    if (!methods.Add(spec.Method))
                    {
                        var (l, c) = SchemaDocumentText.PositionOf(entry["method"] ?? entry);
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ManifestProblem, file.Path, l, c, file.DisplayPath, spec.Task + ": the method \"" + spec.Method + "\" is already generated for another task"));
                        continue;
                    }

                    tasks.Add(spec);
                }
            }
            catch (Exception exception)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath, StepGuard.Describe(exception)));
            }

            return Result(file.Path, tasks, diagnostics);
        }

        private static TaskApiSpec? ParseTask(JObject entry, Dictionary<string, TypeSpec> types, TaskManifestFile file, List<DiagnosticInfo> diagnostics)
        {
            var task = (string?)entry["task"];
            var method = (string?)entry["method"];
            var body = (string?)entry["body"] ?? "json";
            var response = (string?)entry["response"] ?? "json";
            void Problem(JToken? at, string message)
            {
                var (l, c) = SchemaDocumentText.PositionOf(at ?? entry);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ManifestProblem, file.Path, l, c, file.DisplayPath, (task ?? "?") + ": " + message));
            }

            if (string.IsNullOrEmpty(task) || string.IsNullOrEmpty(method))
            {
                Problem(entry, "a task needs \"task\" and \"method\"");
                return null;
            }

            if (!Bodies.Contains(body) || !Responses.Contains(response))
            {
                Problem(entry["body"] ?? entry["response"], "body must be one of " + string.Join(", ", Bodies) + "; response one of " + string.Join(", ", Responses));
                return null;
            }

            var inputName = Naming.Pascal(task!) + "Input";
            if (!(types.TryGetValue(inputName, out var inputSpec) && inputSpec is ObjectTypeSpec input))
            {
                Problem(entry["task"], "no input type " + inputName + " was generated from the specs");
                return null;
            }

            string returnType;
            if (response == "json")
            {
                returnType = Naming.Pascal(task!) + "Output";
                if (!types.ContainsKey(returnType))
                {
                    Problem(entry["response"] ?? entry, "no output type " + returnType + " was generated from the specs");
                    return null;
                }
            }
            else
            {
                returnType = response == "binary" ? "global::HuggingFace.Inference.InferenceBinaryOutput" : "global::HuggingFace.Inference.Embeddings";
            }

            var arguments = new List<TaskArgumentSpec>();
            foreach (var argument in (entry["arguments"] as JArray)?.OfType<JObject>() ?? Enumerable.Empty<JObject>())
            {
                var name = (string?)argument["name"];
                var member = (string?)argument["member"];
                if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(member))
                {
                    Problem(argument, "an argument needs \"name\" and \"member\"");
                    return null;
                }

                var resolved = ResolvePath(input, member!, types);
                if (resolved.Error != null)
                {
                    Problem(argument["member"], resolved.Error);
                    return null;
                }

                var last = resolved.Property!;
                var isBinary = last.Type.Kind == TypeRefKind.Binary;
                arguments.Add(new TaskArgumentSpec(
                    name!,
                    member!.Split('.').ToEquatableArray(),
                    resolved.ClrPath.ToEquatableArray(),
                    resolved.LevelTypes.ToEquatableArray(),
                    isBinary ? "global::HuggingFace.Inference.InferenceInput" : TypeEmitter.TypeName(last.Type),
                    (bool?)argument["optional"] ?? false,
                    isBinary,
                    !isBinary && last.Type.IsValueType,
                    (string?)argument["summary"]));
            }

            var renames = new List<string>();
            foreach (var rename in (entry["renames"] as JObject)?.Properties() ?? Enumerable.Empty<JProperty>())
            {
                if (ResolvePath(input, rename.Name, types).Error is { } renameError || !(rename.Value is JValue { Value: string newName }) || newName.Length == 0)
                {
                    Problem(rename, "renames must map a member path of " + inputName + " to a name");
                    return null;
                }

                renames.Add(rename.Name + "=" + newName);
            }

            var parameters = input.Properties.FirstOrDefault(p => p.WireName == "parameters");

            // The feature namespaces of the types the method names (its input, answer, parameters and the
            // types along its arguments' paths), for the usings of its file.
            var used = new List<string> { inputName, returnType };
            used.AddRange(arguments.SelectMany(a => a.LevelTypes));
            used.AddRange(arguments.SelectMany(a => TypeNames(a.ClrType)));
            if (parameters != null)
            {
                used.AddRange(TaskGroups.References(new ArrayTypeSpec("?", null, string.Empty, parameters.Type)));
            }

            var usings = used
                .Select(name => types.TryGetValue(name, out var type) ? type.Namespace : null)
                .Where(ns => ns != null)
                .Select(ns => ns!)
                .Distinct(StringComparer.Ordinal)
                .OrderBy(ns => ns, StringComparer.Ordinal)
                .ToEquatableArray();
            return new TaskApiSpec(
                task!,
                method!,
                (string?)entry["summary"],
                (string?)entry["pipeline"],
                body,
                response,
                (string?)entry["accept"],
                inputName,
                returnType,
                parameters == null ? null : TypeEmitter.TypeName(parameters.Type),
                arguments.ToEquatableArray(),
                renames.ToEquatableArray(),
                file.DisplayPath)
            {
                Usings = usings,
            };
        }

        /// <summary>The identifiers in a C# type name (<c>global::X.IReadOnlyList&lt;Y&gt;</c> gives X, IReadOnlyList, Y …).</summary>
        private static IEnumerable<string> TypeNames(string clrType) =>
            clrType.Split(new[] { '<', '>', ',', ' ', '?', ':', '.' }, StringSplitOptions.RemoveEmptyEntries);

        private static (PropertySpec? Property, List<string> ClrPath, List<string> LevelTypes, string? Error) ResolvePath(ObjectTypeSpec input, string member, Dictionary<string, TypeSpec> types)
        {
            var clrPath = new List<string>();
            var levelTypes = new List<string>();
            ObjectTypeSpec current = input;
            PropertySpec? property = null;
            var segments = member.Split('.');
            for (var i = 0; i < segments.Length; i++)
            {
                levelTypes.Add(current.Name);
                property = current.Properties.FirstOrDefault(p => p.WireName == segments[i]);
                if (property == null)
                {
                    return (null, clrPath, levelTypes, current.Name + " has no member \"" + segments[i] + "\" (in \"" + member + "\")");
                }

                clrPath.Add(property.ClrName);
                if (i < segments.Length - 1)
                {
                    if (property.Type.Kind != TypeRefKind.Named || !(types.TryGetValue(property.Type.Name!, out var next) && next is ObjectTypeSpec nextObject))
                    {
                        return (null, clrPath, levelTypes, "\"" + segments[i] + "\" in \"" + member + "\" is not an object");
                    }

                    current = nextObject;
                }
            }

            return (property, clrPath, levelTypes, null);
        }

        private static TaskApiModel Result(string path, List<TaskApiSpec> tasks, List<DiagnosticInfo> diagnostics) =>
            new TaskApiModel(tasks.ToEquatableArray(), diagnostics.ToEquatableArray()) { Path = path };
    }
}
