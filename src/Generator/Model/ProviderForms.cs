using System;
using System.Collections.Generic;
using System.Linq;

namespace HuggingFace.Inference.Generator.Model
{
    /// <summary>
    /// The wire form names a provider file may use (specs/providers/README.md), each with the member of the runtime
    /// enum it becomes (src/Client/Providers/ProviderSpec.cs). The one place the generator knows them: a name missing
    /// here is a diagnostic (HFGEN010), never a compile error in the generated registry. A new form is a runtime enum
    /// member, its code, and a line here.
    /// </summary>
    internal static class ProviderForms
    {
        /// <summary>The runtime enum of <see cref="Auth"/> (in the registry's namespace).</summary>
        public const string AuthEnum = "ProviderAuthScheme";

        public const string RequestEnum = "ProviderRequestForm";

        public const string AnswerEnum = "ProviderAnswerForm";

        public const string JobEnum = "ProviderJobForm";

        public const string ResponseFormatEnum = "ChatResponseFormatRewrite";

        /// <summary><c>auth</c>: how direct calls authenticate.</summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> Auth = Forms(
            "bearer", "Bearer",
            "key", "Key");

        /// <summary><c>request</c>: how the body is built.</summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> Request = Forms(
            "hf-inference", "HfInference",
            "openai-chat", "OpenAiChat",
            "openai-completion", "OpenAiCompletion",
            "openai-embeddings", "OpenAiEmbeddings",
            "openai-image", "OpenAiImage",
            "openai-speech", "OpenAiSpeech",
            "openai-transcription", "OpenAiTranscription",
            "fal", "Fal",
            "replicate", "Replicate",
            "together-video", "TogetherVideo",
            "novita-video", "NovitaVideo",
            "wavespeed", "Wavespeed",
            "zai-image", "ZaiImage",
            "zai-ocr", "ZaiOcr");

        /// <summary><c>answer</c>: how the answer is read.</summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> Answer = Forms(
            "hf-inference", "HfInference",
            "openai-chat", "OpenAiChat",
            "openai-completion", "OpenAiCompletion",
            "openai-embeddings", "OpenAiEmbeddings",
            "openai-image", "OpenAiImage",
            "bytes", "Bytes",
            "openai-transcription", "OpenAiTranscription",
            "fal", "Fal",
            "replicate", "Replicate",
            "together-video", "TogetherVideo",
            "novita-video", "NovitaVideo",
            "wavespeed", "Wavespeed",
            "zai-image", "ZaiImage",
            "zai-ocr", "ZaiOcr");

        /// <summary><c>job</c>: the asynchronous pattern; the first is the default.</summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> Job = Forms(
            "none", "None",
            "fal-queue", "FalQueue",
            "replicate", "Replicate",
            "together-video", "TogetherVideo",
            "novita-async", "NovitaAsync",
            "zai-async", "ZaiAsync",
            "wavespeed", "Wavespeed");

        /// <summary><c>responseFormat</c> (chat): how <c>response_format</c> json_schema is rewritten; the first is the default.</summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> ResponseFormat = Forms(
            "keep", "Keep",
            "json-object-value", "JsonObjectValue",
            "json-schema-flat", "JsonSchemaFlat",
            "json-object-schema", "JsonObjectSchema");

        /// <summary><c>peers</c>: which peer client has the (provider, task) pair. Documentation only: not in the runtime record.</summary>
        public static readonly IReadOnlyList<string> Peers = new[] { "both", "python", "js" };

        /// <summary>The C# member of <paramref name="name"/> in <paramref name="forms"/>, or null when the name is unknown (ordinal).</summary>
        public static string? Member(IReadOnlyList<KeyValuePair<string, string>> forms, string name)
        {
            foreach (var form in forms)
            {
                if (string.Equals(form.Key, name, StringComparison.Ordinal))
                {
                    return form.Value;
                }
            }

            return null;
        }

        /// <summary>The names, for messages: <c>"a", "b"</c>.</summary>
        public static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => "\"" + n + "\""));

        public static string Names(IReadOnlyList<KeyValuePair<string, string>> forms) => Names(forms.Select(f => f.Key));

        private static IReadOnlyList<KeyValuePair<string, string>> Forms(params string[] pairs)
        {
            var list = new List<KeyValuePair<string, string>>(pairs.Length / 2);
            for (var i = 0; i + 1 < pairs.Length; i += 2)
            {
                list.Add(new KeyValuePair<string, string>(pairs[i], pairs[i + 1]));
            }

            return list;
        }
    }
}
