using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HuggingFace.Inference.Generator.Diagnostics;
using HuggingFace.Inference.Generator.Model;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HuggingFace.Inference.Generator.Parsing
{
    /// <summary>
    /// Reads the provider registry (specs/providers/*.json, format in specs/providers/README.md): one file into one
    /// <see cref="ProviderFileModel"/>, then every file into the registry (<see cref="Merge"/>). Never throws: a bad
    /// route is HFGEN008, a task no spec defines HFGEN009, anything else HFGEN010, each at its token's line; a bad task
    /// entry is skipped and the rest of the file still generates; a file without a usable provider name, base URL or
    /// auth generates nothing.
    /// </summary>
    internal static class ProviderRegistryParser
    {
        /// <summary>The task name whose entries may rewrite <c>response_format</c>.</summary>
        public const string ChatTask = "chat-completion";

        private static readonly string[] FileMembers = { "provider", "baseUrl", "auth", "headers", "directOnly", "queueBaseUrl", "tasks" };

        private static readonly string[] TaskMembers = { "task", "route", "request", "answer", "job", "pollRoute", "body", "rename", "responseFormat", "peers" };

        private static readonly string[] RoutePlaceholders = { "providerId", "model" };

        private static readonly string[] PollRoutePlaceholders = { "providerId", "model", "id" };

        /// <summary>Names that would collide with the generated classes' own members, as PascalCase.</summary>
        private static readonly string[] ReservedNames = { "Auto", "All", "Find", "ProviderRegistry", "InferenceProviders" };

        public static ProviderFileModel Parse(ProviderFile file)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var locations = new List<ProviderTaskLocation>();
            var providerLine = 0;
            var providerColumn = 0;
            ProviderRegistrySpec? provider = null;
            try
            {
                if (file.ReadError != null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath, "the file could not be read: " + file.ReadError));
                }
                else if (SchemaDocumentText.TryParse(file.Text, out var error, out var line, out var column) is not { } root)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidJson, file.Path, line, column, file.DisplayPath, error ?? "unknown error"));
                }
                else
                {
                    (providerLine, providerColumn) = SchemaDocumentText.PositionOf(root["provider"] ?? root);
                    provider = ParseProvider(root, file, diagnostics, locations);
                }
            }
            catch (Exception exception)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, file.Path, 0, 0, file.DisplayPath, StepGuard.Describe(exception)));
                provider = null;
            }

            return new ProviderFileModel(file.Path, file.DisplayPath, provider, providerLine, providerColumn, locations.ToEquatableArray(), diagnostics.ToEquatableArray());
        }

        /// <summary>
        /// Every file's provider into one registry: a provider name defined by two files keeps the first (by path,
        /// ordinal) and reports the second (HFGEN010); a task that no task spec defines is reported (HFGEN009) and
        /// dropped. The providers come out ordered by name (ordinal).
        /// </summary>
        /// <param name="knownTasks">The task names of the task schemas the generator saw.</param>
        public static ProviderRegistryModel Merge(ImmutableArray<ProviderFileModel> files, EquatableArray<string> knownTasks)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var providers = new List<ProviderRegistrySpec>();
            try
            {
                var known = new HashSet<string>(knownTasks, StringComparer.Ordinal);
                var byName = new Dictionary<string, string>(StringComparer.Ordinal);
                var byMember = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
                {
                    if (file.Provider is not { } provider)
                    {
                        continue;
                    }

                    void Problem(string message) => diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.ProviderProblem, file.Path, file.ProviderLine, file.ProviderColumn, file.DisplayPath, message));

                    if (byName.TryGetValue(provider.Name, out var first))
                    {
                        Problem("the provider \"" + provider.Name + "\" is also defined by '" + first + "'; this file is skipped");
                        continue;
                    }

                    var member = Naming.Pascal(provider.Name);
                    if (byMember.TryGetValue(member, out var other))
                    {
                        Problem("the provider \"" + provider.Name + "\" has the same C# name, " + member + ", as \"" + other + "\"; this file is skipped");
                        continue;
                    }

                    byName.Add(provider.Name, file.DisplayPath);
                    byMember.Add(member, provider.Name);

                    var tasks = new List<ProviderTaskModel>();
                    foreach (var task in provider.Tasks)
                    {
                        if (known.Contains(task.Task))
                        {
                            tasks.Add(task);
                            continue;
                        }

                        var location = file.TaskLocations.FirstOrDefault(l => l.Task == task.Task);
                        diagnostics.Add(DiagnosticInfo.Create(
                            DiagnosticDescriptors.ProviderUnknownTask, file.Path, location?.Line ?? file.ProviderLine, location?.Column ?? file.ProviderColumn, file.DisplayPath, provider.Name, task.Task));
                    }

                    providers.Add(provider with { Tasks = tasks.ToEquatableArray() });
                }
            }
            catch (Exception exception)
            {
                var path = files.IsDefaultOrEmpty ? "specs/providers" : files[0].Path;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, path, 0, 0, "specs/providers", exception.GetType().Name + ": " + exception.Message));
            }

            return new ProviderRegistryModel(
                providers.OrderBy(p => p.Name, StringComparer.Ordinal).ToEquatableArray(),
                diagnostics.ToEquatableArray(),
                !files.IsDefaultOrEmpty);
        }

        private static ProviderRegistrySpec? ParseProvider(JObject root, ProviderFile file, List<DiagnosticInfo> diagnostics, List<ProviderTaskLocation> locations)
        {
            void Problem(JToken? at, string message)
            {
                var (l, c) = SchemaDocumentText.PositionOf(at ?? root);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProviderProblem, file.Path, l, c, file.DisplayPath, message));
            }

            foreach (var property in root.Properties())
            {
                if (!property.Name.StartsWith("$", StringComparison.Ordinal) && !FileMembers.Contains(property.Name))
                {
                    Problem(property, "unknown member \"" + property.Name + "\" (a provider file has " + ProviderForms.Names(FileMembers) + "); it is ignored");
                }
            }

            var name = String(root, "provider", out var nameToken);
            if (string.IsNullOrEmpty(name))
            {
                Problem(nameToken, "a provider file needs \"provider\", a non-empty string; this file is skipped");
                return null;
            }

            if (!IsProviderName(name!))
            {
                Problem(nameToken, "the provider name \"" + name + "\" must be lower-case letters, digits, '-' and '.', starting with a letter or digit; this file is skipped");
                return null;
            }

            if (ReservedNames.Contains(Naming.Pascal(name!)))
            {
                Problem(nameToken, "the provider name \"" + name + "\" is reserved (its C# name " + Naming.Pascal(name!) + " is a member of the generated classes); this file is skipped");
                return null;
            }

            var baseUrl = String(root, "baseUrl", out var baseUrlToken);
            if (baseUrl == null || !IsHttpUrl(baseUrl))
            {
                Problem(baseUrlToken, name + ": \"baseUrl\" must be an absolute http(s) URL" + (baseUrl == null ? string.Empty : ", not \"" + baseUrl + "\"") + "; this file is skipped");
                return null;
            }

            var authName = String(root, "auth", out var authToken);
            var auth = authName == null ? null : ProviderForms.Member(ProviderForms.Auth, authName);
            if (auth == null)
            {
                Problem(authToken, name + ": \"auth\" must be one of " + ProviderForms.Names(ProviderForms.Auth) + (authName == null ? string.Empty : ", not \"" + authName + "\"") + "; this file is skipped");
                return null;
            }

            var headers = new List<ProviderHeaderSpec>();
            var headersToken = root["headers"];
            if (headersToken is JObject headerObject)
            {
                foreach (var header in headerObject.Properties())
                {
                    if (header.Name.Length == 0 || header.Name.Any(c => c <= ' ' || c == ':' || c > '~') || !(header.Value is JValue { Value: string value }))
                    {
                        Problem(header, name + ": the header \"" + header.Name + "\" needs a token name and a string value; it is not sent");
                        continue;
                    }

                    headers.Add(new ProviderHeaderSpec(header.Name, value));
                }
            }
            else if (headersToken != null)
            {
                Problem(headersToken, name + ": \"headers\" must be an object of header names to values; it is ignored");
            }

            var directOnly = false;
            var directOnlyToken = root["directOnly"];
            if (directOnlyToken is JValue { Type: JTokenType.Boolean } flag)
            {
                directOnly = (bool)flag;
            }
            else if (directOnlyToken != null)
            {
                Problem(directOnlyToken, name + ": \"directOnly\" must be true or false; false is used");
            }

            var queueBaseUrl = String(root, "queueBaseUrl", out var queueToken);
            if (queueToken != null && (queueBaseUrl == null || !IsHttpUrl(queueBaseUrl)))
            {
                Problem(queueToken, name + ": \"queueBaseUrl\" must be an absolute http(s) URL; it is ignored");
                queueBaseUrl = null;
            }

            var tasks = new List<ProviderTaskModel>();
            var tasksToken = root["tasks"];
            if (tasksToken is JArray entries)
            {
                var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var item in entries)
                {
                    if (!(item is JObject entry))
                    {
                        Problem(item, name + ": a task entry must be an object; it is skipped");
                        continue;
                    }

                    var task = ParseTask(name!, entry, file, diagnostics);
                    if (task == null)
                    {
                        continue;
                    }

                    var (line, column) = SchemaDocumentText.PositionOf(entry["task"]);
                    if (seen.TryGetValue(task.Task, out var firstLine))
                    {
                        Problem(entry["task"], name + ": the task \"" + task.Task + "\" is listed twice (first at line " + (firstLine + 1) + "); the task entry is skipped");
                        continue;
                    }

                    seen.Add(task.Task, line);
                    locations.Add(new ProviderTaskLocation(task.Task, line, column));
                    tasks.Add(task);
                }
            }
            else
            {
                Problem(tasksToken, name + ": \"tasks\" must be an array of task entries; the provider serves no task");
            }

            return new ProviderRegistrySpec(name!, baseUrl, auth, headers.ToEquatableArray(), directOnly, queueBaseUrl, tasks.ToEquatableArray(), file.DisplayPath);
        }

        private static ProviderTaskModel? ParseTask(string provider, JObject entry, ProviderFile file, List<DiagnosticInfo> diagnostics)
        {
            var task = String(entry, "task", out var taskToken);
            var label = provider + ", task \"" + (task ?? "?") + "\"";
            ProviderTaskModel? Problem(JToken? at, string message, bool route = false)
            {
                var (l, c) = SchemaDocumentText.PositionOf(at ?? entry);
                diagnostics.Add(DiagnosticInfo.Create(route ? DiagnosticDescriptors.ProviderRoute : DiagnosticDescriptors.ProviderProblem, file.Path, l, c, file.DisplayPath, label + ": " + message + (route ? string.Empty : "; the task entry is skipped")));
                return null;
            }

            if (string.IsNullOrEmpty(task))
            {
                return Problem(taskToken, "a task entry needs \"task\", a task name");
            }

            foreach (var property in entry.Properties())
            {
                if (!property.Name.StartsWith("$", StringComparison.Ordinal) && !TaskMembers.Contains(property.Name))
                {
                    return Problem(property, "unknown member \"" + property.Name + "\" (a task entry has " + ProviderForms.Names(TaskMembers) + ")");
                }
            }

            var route = String(entry, "route", out var routeToken);
            if (route == null)
            {
                return Problem(routeToken, "\"route\" must be a route template string (\"/v1/...\")", route: true);
            }

            if (RouteProblem(route, RoutePlaceholders) is { } routeProblem)
            {
                return Problem(routeToken, "the route \"" + route + "\" " + routeProblem, route: true);
            }

            var pollRoute = String(entry, "pollRoute", out var pollToken);
            if (pollToken != null)
            {
                if (pollRoute == null)
                {
                    return Problem(pollToken, "\"pollRoute\" must be a route template string", route: true);
                }

                if (RouteProblem(pollRoute, PollRoutePlaceholders) is { } pollProblem)
                {
                    return Problem(pollToken, "the pollRoute \"" + pollRoute + "\" " + pollProblem, route: true);
                }
            }

            string? Form(string member, IReadOnlyList<KeyValuePair<string, string>> forms, bool required)
            {
                var value = String(entry, member, out var token);
                if (token == null && !required)
                {
                    return forms[0].Value;
                }

                var resolved = value == null ? null : ProviderForms.Member(forms, value);
                if (resolved == null)
                {
                    Problem(token, "\"" + member + "\" must be one of " + ProviderForms.Names(forms) + (value == null ? string.Empty : ", not \"" + value + "\""));
                }

                return resolved;
            }

            var request = Form("request", ProviderForms.Request, required: true);
            if (request == null)
            {
                return null;
            }

            var answer = Form("answer", ProviderForms.Answer, required: true);
            if (answer == null)
            {
                return null;
            }

            var job = Form("job", ProviderForms.Job, required: false);
            if (job == null)
            {
                return null;
            }

            var responseFormat = Form("responseFormat", ProviderForms.ResponseFormat, required: false);
            if (responseFormat == null)
            {
                return null;
            }

            if (responseFormat != ProviderForms.ResponseFormat[0].Value && task != ChatTask)
            {
                return Problem(entry["responseFormat"], "\"responseFormat\" applies to " + ChatTask + " only");
            }

            string? body = null;
            var bodyToken = entry["body"];
            if (bodyToken is JObject bodyObject)
            {
                body = bodyObject.ToString(Formatting.None);
            }
            else if (bodyToken != null)
            {
                return Problem(bodyToken, "\"body\" must be an object of constant body members");
            }

            var renames = new List<string>();
            var renameToken = entry["rename"];
            if (renameToken is JObject renameObject)
            {
                foreach (var rename in renameObject.Properties())
                {
                    if (!IsParameterName(rename.Name) || !(rename.Value is JValue { Value: string to }) || !IsParameterName(to))
                    {
                        return Problem(rename, "\"rename\" must map parameter names to parameter names (non-empty, without '='), not \"" + rename.Name + "\" to " + rename.Value.ToString(Formatting.None));
                    }

                    renames.Add(rename.Name + "=" + to);
                }
            }
            else if (renameToken != null)
            {
                return Problem(renameToken, "\"rename\" must be an object of parameter names to the provider's names");
            }

            var peers = String(entry, "peers", out var peersToken);
            if (peersToken != null && (peers == null || !ProviderForms.Peers.Contains(peers)))
            {
                return Problem(peersToken, "\"peers\" must be one of " + ProviderForms.Names(ProviderForms.Peers));
            }

            return new ProviderTaskModel(task!, route, request, answer, job, pollRoute, body, renames.ToEquatableArray(), responseFormat, peers);
        }

        /// <summary>Why a route template is invalid, as the end of a sentence; null when it is valid.</summary>
        internal static string? RouteProblem(string route, string[] placeholders)
        {
            if (!route.StartsWith("/", StringComparison.Ordinal))
            {
                return "must start with '/'";
            }

            for (var i = 0; i < route.Length; i++)
            {
                switch (route[i])
                {
                    case '}':
                        return "has a '}' without its '{' (at " + i + ")";
                    case '{':
                        var end = route.IndexOf('}', i + 1);
                        var nextOpen = route.IndexOf('{', i + 1);
                        if (end < 0 || (nextOpen >= 0 && nextOpen < end))
                        {
                            return "has a '{' without its '}' (at " + i + ")";
                        }

                        var placeholder = route.Substring(i + 1, end - i - 1);
                        if (!placeholders.Contains(placeholder))
                        {
                            return "has the placeholder {" + placeholder + "}; only " + string.Join(", ", placeholders.Select(p => "{" + p + "}")) + " are allowed";
                        }

                        i = end;
                        break;
                }
            }

            return null;
        }

        /// <summary>The string value of <paramref name="member"/>, or null (also when it is not a string); <paramref name="token"/> is the member's value, when present.</summary>
        private static string? String(JObject owner, string member, out JToken? token)
        {
            token = owner[member];
            return token is JValue { Type: JTokenType.String, Value: string value } ? value : null;
        }

        private static bool IsHttpUrl(string text) =>
            Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && (uri.Scheme == "https" || uri.Scheme == "http")
            && uri.Host.Length > 0;

        private static bool IsProviderName(string name) =>
            char.IsLetterOrDigit(name[0]) && name.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.');

        private static bool IsParameterName(string name) =>
            name.Length > 0 && name.IndexOf('=') < 0 && !name.Any(char.IsWhiteSpace);
    }
}
