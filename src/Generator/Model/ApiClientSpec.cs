namespace HuggingFace.Inference.Generator.Model
{
    /// <summary>The operations of an OpenAPI document: the library's become a Refit interface (Emit/RefitInterfaceEmitter).</summary>
    /// <param name="Name">A name from the document's file name (endpoints-openapi.json → EndpointsApi); the interface's name is the embedding's.</param>
    internal sealed record ApiClientSpec(string Name, string Namespace, string SourcePath, string? Description, EquatableArray<ApiOperationSpec> Operations);

    /// <param name="OperationId">The operation's id; the method is its PascalCase name + Async.</param>
    /// <param name="Method">The HTTP method, upper case.</param>
    /// <param name="PathParts">The path template split into literal text and <c>{parameter}</c> parts.</param>
    /// <param name="BodyType">The JSON body's type, if the operation takes one.</param>
    /// <param name="ResponseType">The JSON answer's type; <c>string</c> for a text answer; null for none.</param>
    internal sealed record ApiOperationSpec(
        string OperationId,
        string Method,
        EquatableArray<string> PathParts,
        EquatableArray<ApiParameterSpec> Parameters,
        string? BodyType,
        string? ResponseType,
        string? Summary);

    /// <param name="In">path or query.</param>
    internal sealed record ApiParameterSpec(string WireName, string ClrName, string In, TypeRef Type, bool Required, string? Description);
}
