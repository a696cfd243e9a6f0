using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using HuggingFace.Inference.Generator.Diagnostics;
using HuggingFace.Inference.Generator.Model;
using Newtonsoft.Json.Linq;

namespace HuggingFace.Inference.Generator.Parsing
{
    /// <summary>
    /// Reads an OpenAPI document's <c>paths</c> into operations whose parameter, body and answer types
    /// are the types generated from its <c>components.schemas</c>. Operations the generator cannot type
    /// are left out with HFGEN004; the others still generate.
    /// </summary>
    internal static class OpenApiOperationsParser
    {
        private static readonly string[] Methods = { "get", "post", "put", "delete", "patch" };
        private static readonly Regex PathParameter = new Regex(@"\{([^}]+)\}");
        private static readonly HashSet<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "namespace", "class", "object", "string", "event", "operator", "params", "base", "this", "default", "in", "out", "ref", "fixed", "checked", "lock", "new", "from", "to",
        };

        public static ApiClientSpec? Parse(JObject root, SpecFile file, IReadOnlyCollection<TypeSpec> types, List<DiagnosticInfo> diagnostics)
        {
            if (!(root["paths"] is JObject paths))
            {
                return null;
            }

            var byName = types.ToDictionary(t => t.Name, StringComparer.Ordinal);
            var operations = new List<ApiOperationSpec>();
            foreach (var path in paths.Properties())
            {
                foreach (var method in Methods)
                {
                    if (path.Value[method] is JObject operation)
                    {
                        var spec = ParseOperation(path.Name, method, operation, byName, file, diagnostics);
                        if (spec != null)
                        {
                            operations.Add(spec);
                        }
                    }
                }
            }

            var name = Naming.Pascal(System.IO.Path.GetFileNameWithoutExtension(file.DisplayPath).Replace("-openapi", string.Empty).Replace("openapi", string.Empty)) + "Api";
            return new ApiClientSpec(name, file.OpenApiNamespace!, file.DisplayPath, (string?)root["info"]?["description"], operations.ToEquatableArray());
        }

        private static ApiOperationSpec? ParseOperation(string path, string method, JObject operation, Dictionary<string, TypeSpec> types, SpecFile file, List<DiagnosticInfo> diagnostics)
        {
            void Problem(JToken at, string what)
            {
                var (line, column) = SchemaDocumentText.PositionOf(at);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedConstruct, file.Path, line, column, file.DisplayPath, method.ToUpperInvariant() + " " + path, what + "; the operation is not generated"));
            }

            var operationId = (string?)operation["operationId"];
            if (string.IsNullOrEmpty(operationId))
            {
                Problem(operation, "an operation without operationId");
                return null;
            }

            var parameters = new List<ApiParameterSpec>();
            var used = new HashSet<string>(StringComparer.Ordinal) { "cancellationToken", "body" };
            foreach (var parameter in (operation["parameters"] as JArray)?.OfType<JObject>() ?? Enumerable.Empty<JObject>())
            {
                var wire = (string?)parameter["name"];
                var location = (string?)parameter["in"];
                if (string.IsNullOrEmpty(wire) || (location != "path" && location != "query"))
                {
                    Problem(parameter, "a parameter that is not in the path or the query");
                    return null;
                }

                var type = ParameterType(parameter["schema"] as JObject, types);
                if (type == null)
                {
                    Problem(parameter, "a parameter whose schema is not a string, number, boolean or named enum");
                    return null;
                }

                var clr = Naming.Pascal(wire!);
                clr = char.ToLowerInvariant(clr[0]) + clr.Substring(1);
                if (Keywords.Contains(clr))
                {
                    clr = "@" + clr;
                }

                if (!used.Add(clr))
                {
                    clr += "Value";
                }

                parameters.Add(new ApiParameterSpec(wire!, clr, location!, type, location == "path" || ((bool?)parameter["required"] ?? false), (string?)parameter["description"]));
            }

            var bodyType = SchemaName(operation["requestBody"]?["content"]?["application/json"]?["schema"] as JObject);
            if (bodyType != null && !types.ContainsKey(bodyType) && IsDeclared(diagnostics, operation["requestBody"]!["content"]!["application/json"]!["schema"]!))
            {
                // A schema of the document that became JsonElement (HFGEN004 at the schema said why).
                bodyType = Any;
            }

            if (operation["requestBody"] != null && (bodyType == null || (bodyType != Any && !types.ContainsKey(bodyType))))
            {
                Problem(operation["requestBody"]!, "a request body that is not a JSON schema of the document");
                return null;
            }

            string? responseType = null;
            var success = (operation["responses"] as JObject)?.Properties().FirstOrDefault(r => r.Name.StartsWith("2", StringComparison.Ordinal));
            if (success?.Value["content"] is JObject content)
            {
                if (content["application/json"]?["schema"] is JObject schema)
                {
                    // A schema of the document is its type; an inline one is untyped JSON.
                    responseType = schema["$ref"] == null ? Any : SchemaName(schema);
                    if (responseType != null && schema["$ref"] != null && !types.ContainsKey(responseType) && IsDeclared(diagnostics, schema))
                    {
                        // A schema of the document that became JsonElement (HFGEN004 at the schema said why).
                        responseType = Any;
                    }

                    if (responseType == null || (responseType != Any && !types.ContainsKey(responseType)))
                    {
                        Problem(schema, "an answer that is not a JSON schema of the document");
                        return null;
                    }
                }
                else if (content["text/plain"] != null)
                {
                    responseType = "string";
                }
                else if (content["text/event-stream"] != null)
                {
                    // A stream only (TGI's /generate_stream): the unread answer, so that events arrive as sent.
                    responseType = "global::System.Net.Http.HttpResponseMessage";
                }
            }

            var parts = new List<string>();
            var last = 0;
            foreach (Match match in PathParameter.Matches(path))
            {
                parts.Add(path.Substring(last, match.Index - last));
                if (!parameters.Any(p => p.In == "path" && p.WireName == match.Groups[1].Value))
                {
                    Problem(operation, "the path parameter {" + match.Groups[1].Value + "} is not declared");
                    return null;
                }

                parts.Add(match.Value);
                last = match.Index + match.Length;
            }

            parts.Add(path.Substring(last));
            return new ApiOperationSpec(operationId!, method.ToUpperInvariant(), parts.Where(p => p.Length > 0).ToEquatableArray(), parameters.ToEquatableArray(), bodyType, responseType, (string?)operation["summary"]);
        }

        private static TypeRef? ParameterType(JObject? schema, Dictionary<string, TypeSpec> types)
        {
            if (schema == null)
            {
                return null;
            }

            if (SchemaName(schema) is { } name)
            {
                return types.TryGetValue(name, out var type) && type is EnumTypeSpec ? TypeRef.Named(name, isStruct: true) : null;
            }

            switch ((string?)schema["type"])
            {
                case "string": return TypeRef.String;
                case "integer": return TypeRef.Int64;
                case "number": return TypeRef.Double;
                case "boolean": return TypeRef.Boolean;
                default: return null;
            }
        }

        private const string Any = "global::System.Text.Json.JsonElement";

        /// <summary>
        /// Whether <paramref name="schema"/>'s <c>$ref</c> names a schema of the document that the walker reported
        /// (HFGEN004) as becoming JsonElement, rather than one the document does not have.
        /// </summary>
        private static bool IsDeclared(List<DiagnosticInfo> diagnostics, JToken schema)
        {
            var reference = (string?)schema["$ref"];
            const string Prefix = "#/components/schemas/";
            if (reference == null || !reference.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return false;
            }

            var pointer = "#/definitions/" + reference.Substring(Prefix.Length);
            return diagnostics.Any(d => d.Id == DiagnosticDescriptors.UnsupportedConstruct.Id && d.Arguments.Count > 1
                && (d.Arguments[1] == pointer || d.Arguments[1].StartsWith(pointer + "/", StringComparison.Ordinal)));
        }

        private static string? SchemaName(JObject? schema)
        {
            var reference = (string?)schema?["$ref"];
            const string Prefix = "#/components/schemas/";
            return reference != null && reference.StartsWith(Prefix, StringComparison.Ordinal) ? Naming.Pascal(reference.Substring(Prefix.Length)) : null;
        }
    }
}
