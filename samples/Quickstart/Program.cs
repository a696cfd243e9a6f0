// HuggingFace.Inference quickstart (offline). Every type used here is generated at build time
// from the task JSON Schemas in specs/: change a spec, rebuild, and these types follow.
// The HTTP client (InferenceClient) is not built yet; this shows the generated request and
// response types doing the JSON work it will rely on.
using System;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference;
using HuggingFace.Inference.Serialization;

var json = new JsonSerializerOptions(InferenceJson.Options) { WriteIndented = true };

Section("1. A chat request, written exactly as the chat-completion spec says");
var request = new ChatCompletionInput
{
    Model = "meta-llama/Llama-3.1-8B-Instruct",
    Messages =
    [
        new ChatCompletionInputMessage { Role = "system", Content = "Answer in one word." },
        new ChatCompletionInputMessage { Role = "user", Content = "What is the capital of France?" },
    ],
    MaxTokens = 16,
    Seed = 42,
    ToolChoice = "auto",
};
Console.WriteLine(JsonSerializer.Serialize(request, json));

Section("2. A chat answer, read into ChatCompletionOutput (members the spec lacks are kept)");
const string Answer = """
    {"id":"chatcmpl-1","object":"chat.completion","created":1739000000,"model":"meta-llama/Llama-3.1-8B-Instruct",
     "system_fingerprint":"3.2.1-sha-4d28897","choices":[{"index":0,"finish_reason":"stop",
     "message":{"role":"assistant","content":"Paris."}}],"usage":{"prompt_tokens":25,"completion_tokens":3,"total_tokens":28}}
    """;
var answer = JsonSerializer.Deserialize<ChatCompletionOutput>(Answer, InferenceJson.Options)!;
Console.WriteLine($"answer: {answer.Choices[0].Message.Content} (finish: {answer.Choices[0].FinishReason}, tokens: {answer.Usage?.TotalTokens})");
Console.WriteLine($"kept beyond the spec: \"object\" = {answer.AdditionalProperties!["object"]}");

Section("3. A streamed token, read into ChatCompletionStreamOutput");
var chunk = JsonSerializer.Deserialize<ChatCompletionStreamOutput>(
    """{"id":"1","created":1,"model":"m","system_fingerprint":"","choices":[{"index":0,"delta":{"role":"assistant","content":"Par"}}]}""",
    InferenceJson.Options)!;
Console.WriteLine($"delta: {chunk.Choices[0].Delta.Content}");

Section("4. Text classification: a read-only list, with an enum that keeps unknown values");
var labels = JsonSerializer.Deserialize<TextClassificationOutput>("""[{"label":"POSITIVE","score":0.9987},{"label":"NEGATIVE","score":0.0013}]""", InferenceJson.Options)!;
Console.WriteLine(string.Join(", ", labels.Select(l => $"{l.Label}: {l.Score:P2}")));
var parameters = new TextClassificationParameters { FunctionToApply = TextClassificationOutputTransform.Softmax, TopK = 2 };
Console.WriteLine(JsonSerializer.Serialize(parameters, InferenceJson.Options));
var future = JsonSerializer.Deserialize<TextClassificationParameters>("""{"function_to_apply":"a_value_from_a_newer_server"}""", InferenceJson.Options)!;
Console.WriteLine($"unknown value kept: {future.FunctionToApply} (known: {TextClassificationOutputTransform.KnownValues.Contains(future.FunctionToApply!.Value)})");

Section("5. Embeddings: a tensor of whatever rank the server answers, ragged ones included");
foreach (var body in new[] { "[0.1,0.2,0.3]", "[[0.1,0.2],[0.3,0.4]]", "[[[1,2],[3,4],[5,6]],[[7,8]]]" })
{
    var tensor = JsonSerializer.Deserialize<FeatureExtractionOutput>(body, InferenceJson.Options)!;
    Console.WriteLine($"{body,-32} shape [{string.Join(", ", tensor.Shape)}]{(tensor.IsRagged ? " (ragged)" : string.Empty)}, written back: {JsonSerializer.Serialize(tensor, InferenceJson.Options)}");
}

Section("6. Unions: one member, several JSON kinds");
FeatureExtractionInput one = new() { Inputs = "one sentence" };
FeatureExtractionInput many = new() { Inputs = new[] { "first", "second" } };
Console.WriteLine(JsonSerializer.Serialize(one, InferenceJson.Options));
Console.WriteLine(JsonSerializer.Serialize(many, InferenceJson.Options));
Console.WriteLine($"many.Inputs.IsArray = {many.Inputs.IsArray}, count = {many.Inputs.AsArray().Count}");

static void Section(string title) => Console.WriteLine($"{Environment.NewLine}== {title}");
