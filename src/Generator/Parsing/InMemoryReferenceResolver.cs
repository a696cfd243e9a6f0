using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using NJsonSchema;
using NJsonSchema.Generation;
using NJsonSchema.References;

namespace HuggingFace.Inference.Generator.Parsing
{
    /// <summary>
    /// Answers cross-document <c>$ref</c>s (<c>/inference/schemas/common-definitions.json#/...</c>)
    /// from the other spec files' text, so that NJsonSchema never touches the file system or the
    /// network from inside the compiler. Every document is given a base URL under
    /// <see cref="BaseUrl"/> so that NJsonSchema treats relative refs as URL refs.
    /// </summary>
    internal sealed class InMemoryReferenceResolver : JsonReferenceResolver
    {
        public const string BaseUrl = "https://specs.invalid";

        private readonly IReadOnlyDictionary<string, string> _documentsById;

        public InMemoryReferenceResolver(JsonSchema root, IReadOnlyDictionary<string, string> documentsById)
            : base(new JsonSchemaAppender(root, new DefaultTypeNameGenerator()))
        {
            _documentsById = documentsById;
        }

        public static string DocumentUrl(string id) => BaseUrl + (id.StartsWith("/", StringComparison.Ordinal) ? id : "/" + id);

        public override async Task<IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken)
        {
            var id = url.StartsWith(BaseUrl, StringComparison.Ordinal) ? url.Substring(BaseUrl.Length) : url;
            if (!_documentsById.TryGetValue(id, out var text))
            {
                throw new InvalidOperationException("no spec file has the $id '" + id + "'");
            }

            return await JsonSchema.FromJsonAsync(text, url, root => new InMemoryReferenceResolver(root, _documentsById), cancellationToken)
                .ConfigureAwait(false);
        }

        public override Task<IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("file references are not supported: '" + filePath + "'");
    }
}
