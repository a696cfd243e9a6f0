using System;
using System.Collections.Generic;
using System.Linq;
using HuggingFace.Inference.Generator.Diagnostics;
using HuggingFace.Inference.Generator.Model;
using Newtonsoft.Json.Linq;

namespace HuggingFace.Inference.Generator.Parsing
{
    /// <summary>
    /// The task manifest's <c>groups</c>: each group a feature namespace (<c>{root}.{Group}</c>) and the tasks
    /// whose types live there. <see cref="HasGroups"/> is false when no manifest has <c>groups</c> (a
    /// bring-your-own-schema project), and then every type stays in the root namespace.
    /// </summary>
    /// <param name="Tasks">The grouped tasks, ordered; <c>Groups[i]</c> is <c>Tasks[i]</c>'s group.</param>
    /// <param name="Path">The manifest's path, where a task without a group is reported.</param>
    /// <param name="Line">The zero-based line of <c>groups</c> in the manifest.</param>
    internal sealed record TaskGroupSet(
        bool HasGroups,
        EquatableArray<string> Tasks,
        EquatableArray<string> Groups,
        string Path,
        string DisplayPath,
        int Line,
        int Column,
        EquatableArray<DiagnosticInfo> Diagnostics)
    {
        public static readonly TaskGroupSet None = new TaskGroupSet(false, EquatableArray<string>.Empty, EquatableArray<string>.Empty, string.Empty, string.Empty, 0, 0, EquatableArray<DiagnosticInfo>.Empty);

        /// <summary>The group of <paramref name="task"/>; null when it has none.</summary>
        public string? GroupOf(string task)
        {
            for (var i = 0; i < Tasks.Count; i++)
            {
                if (Tasks[i] == task)
                {
                    return Groups[i];
                }
            }

            return null;
        }
    }

    /// <summary>A model set whose task types have their feature namespaces, and the problems found assigning them.</summary>
    internal sealed record GroupedModelSet(ModelSet Set, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>
    /// Reads the manifest's <c>groups</c> and gives each generated task type its feature namespace. The rule:
    /// a type lives in the namespace of the group of the task whose spec file defines it; a type that the files
    /// of several groups define (or that none does: common-definitions.json) stays in the root namespace, and so
    /// does every type that a type of another namespace refers to, so that a generated type only ever refers to
    /// types of its own namespace or of the root one, which C# finds from the nested namespace without a using.
    /// Never throws: problems are HFGEN007 (a malformed <c>groups</c>) and HFGEN014 (a task without a group).
    /// </summary>
    internal static class TaskGroups
    {
        /// <summary>The manifest's member that holds the groups.</summary>
        public const string Member = "groups";

        /// <summary>The groups of <paramref name="root"/> (a parsed manifest) as (task, group) pairs; null when it has none.</summary>
        public static List<(string Task, string Group)>? Read(JToken? root, List<(JToken At, string Message)> problems)
        {
            if (!(root is JObject manifest) || manifest[Member] == null)
            {
                return null;
            }

            var pairs = new List<(string Task, string Group)>();
            if (!(manifest[Member] is JObject groups))
            {
                problems.Add((manifest[Member]!, "groups must be an object whose members are group names, each a list of task names"));
                return pairs;
            }

            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var group in groups.Properties().Where(p => !p.Name.StartsWith("$", StringComparison.Ordinal)))
            {
                if (!IsIdentifier(group.Name))
                {
                    problems.Add((group, "groups: \"" + group.Name + "\" is not a namespace name (an identifier starting with an upper-case letter)"));
                    continue;
                }

                if (!(group.Value is JArray tasks) || tasks.Any(t => t.Type != JTokenType.String || ((string?)t)?.Length == 0))
                {
                    problems.Add((group, "groups: \"" + group.Name + "\" must be a list of task names"));
                    continue;
                }

                foreach (var item in tasks)
                {
                    var task = (string)item!;
                    if (seen.TryGetValue(task, out var other))
                    {
                        problems.Add((item, "groups: the task \"" + task + "\" is in \"" + other + "\" already"));
                        continue;
                    }

                    seen.Add(task, group.Name);
                    pairs.Add((task, group.Name));
                }
            }

            return pairs;
        }

        /// <summary>The namespace of a group's types.</summary>
        public static string Namespace(string root, string group) => root + "." + group;

        /// <summary>The groups of one manifest file.</summary>
        public static TaskGroupSet Parse(TaskManifestFile file)
        {
            var diagnostics = new List<DiagnosticInfo>();
            try
            {
                var root = SchemaDocumentText.TryParse(file.Text, out _, out _, out _);
                var problems = new List<(JToken At, string Message)>();
                var pairs = Read(root, problems);
                foreach (var (at, message) in problems)
                {
                    var (line, column) = SchemaDocumentText.PositionOf(at);
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ManifestProblem, file.Path, line, column, file.DisplayPath, message));
                }

                if (pairs == null)
                {
                    return TaskGroupSet.None with { Diagnostics = diagnostics.ToEquatableArray() };
                }

                var (l, c) = SchemaDocumentText.PositionOf(root![Member]!);
                var ordered = pairs.OrderBy(p => p.Task, StringComparer.Ordinal).ToList();
                return new TaskGroupSet(true, ordered.Select(p => p.Task).ToEquatableArray(), ordered.Select(p => p.Group).ToEquatableArray(), file.Path, file.DisplayPath, l, c, diagnostics.ToEquatableArray());
            }
            catch (Exception exception)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath, StepGuard.Describe(exception)));
                return TaskGroupSet.None with { Diagnostics = diagnostics.ToEquatableArray() };
            }
        }

        /// <summary>One set from every manifest's (a project has one; the first with groups is used).</summary>
        public static TaskGroupSet Combine(IEnumerable<TaskGroupSet> sets)
        {
            var list = sets.ToList();
            var chosen = list.FirstOrDefault(s => s.HasGroups) ?? TaskGroupSet.None;
            return chosen with { Diagnostics = list.SelectMany(s => s.Diagnostics).ToEquatableArray() };
        }

        /// <summary>The model set with each task type in its group's namespace (see the class summary).</summary>
        public static GroupedModelSet Assign(ModelSet set, TaskGroupSet groups, GeneratorOptions options)
        {
            if (!groups.HasGroups)
            {
                return new GroupedModelSet(set, EquatableArray<DiagnosticInfo>.Empty);
            }

            var diagnostics = new List<DiagnosticInfo>();
            var types = set.Types.ToArray();
            var namespaces = new string?[types.Length];
            var byName = new Dictionary<string, int>(StringComparer.Ordinal);
            var ungrouped = new SortedSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < types.Length; i++)
            {
                if (types[i].Namespace != null || types[i].Task == null)
                {
                    // An OpenAPI document's types keep the namespace of their metadata.
                    namespaces[i] = types[i].Namespace;
                    continue;
                }

                byName[types[i].Name] = i;
                var tasks = (i < set.Tasks.Count ? set.Tasks[i] : types[i].Task!)
                    .Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
                    .Where(task => task != SpecGenerator.CommonTask)
                    .ToList();
                var found = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var task in tasks)
                {
                    if (groups.GroupOf(task) is { } group)
                    {
                        found.Add(group);
                    }
                    else
                    {
                        ungrouped.Add(task);
                    }
                }

                namespaces[i] = found.Count == 1 && tasks.All(task => groups.GroupOf(task) != null)
                    ? Namespace(options.Namespace, found.First())
                    : null;
            }

            foreach (var task in ungrouped)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TaskWithoutGroup, groups.Path, groups.Line, groups.Column, task, groups.DisplayPath));
            }

            // A type referred to from another namespace moves to the root one, until no reference crosses.
            var changed = true;
            while (changed)
            {
                changed = false;
                for (var i = 0; i < types.Length; i++)
                {
                    if (types[i].Task == null || types[i].Namespace != null)
                    {
                        continue;
                    }

                    foreach (var name in References(types[i]))
                    {
                        if (byName.TryGetValue(name, out var target) && namespaces[target] != null && namespaces[target] != namespaces[i])
                        {
                            namespaces[target] = null;
                            changed = true;
                        }
                    }
                }
            }

            var assigned = types.Select((type, i) => type.Namespace == null && namespaces[i] != null ? type with { Namespace = namespaces[i] } : type);
            return new GroupedModelSet(set with { Types = assigned.ToEquatableArray() }, diagnostics.ToEquatableArray());
        }

        /// <summary>The names of the generated types that <paramref name="type"/> refers to.</summary>
        public static IEnumerable<string> References(TypeSpec type)
        {
            switch (type)
            {
                case ObjectTypeSpec obj:
                    return obj.Properties.SelectMany(p => Names(p.Type));
                case MapTypeSpec map:
                    return Names(map.ValueType);
                case ArrayTypeSpec array:
                    return Names(array.ElementType);
                case UnionTypeSpec union:
                    return union.Alternatives.SelectMany(a => Names(a.Type));
                case ScalarTypeSpec scalar:
                    return Names(scalar.ValueType);
                default:
                    return Enumerable.Empty<string>();
            }
        }

        private static IEnumerable<string> Names(TypeRef type)
        {
            for (var current = type; current != null; current = current.Element)
            {
                if (current.Kind == TypeRefKind.Named && current.Name != null)
                {
                    yield return current.Name;
                }
            }
        }

        private static bool IsIdentifier(string name) =>
            name.Length > 0 && char.IsUpper(name[0]) && name.All(ch => char.IsLetterOrDigit(ch) && ch < 128);
    }
}
