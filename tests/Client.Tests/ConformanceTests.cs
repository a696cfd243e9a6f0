using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using HuggingFace.Inference.Serialization;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Every recorded hf-inference exchange of the InferenceClient tasks, replayed: the call is rebuilt
/// from the recorded request (the generated input type reads its body), made through InferenceClient
/// against a local server that answers with the recorded response, and then (a) the request we sent
/// must be the recorded one (model, pipeline route, content type, JSON body semantically or binary
/// body byte for byte) and (b) the answer must parse, or the recorded error must surface as
/// HfHubHttpException with the server's status and message. Exclusions are listed with reasons.
/// </summary>
public class ConformanceTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private static readonly HashSet<string> ClientTasks = new(Http.RecommendedModels.Tasks.Where(t => t is not ("chat-completion" or "text-generation")), StringComparer.Ordinal);

    [Fact]
    public async Task RecordedHfInferenceCallsAreReproducedExactly()
    {
        var exchanges = RecordedTraffic.Load()
            .Where(e => e.Kind == "inference" && e.Provider.StartsWith("hf-inference", StringComparison.Ordinal) && ClientTasks.Contains(e.Task) && !e.IsSse)
            .ToList();
        Assert.NotEmpty(exchanges);

        var results = new List<(RecordedExchange Exchange, string? Problem, string? Exclusion)>();
        foreach (var exchange in exchanges)
        {
            var exclusion = Exclude(exchange);
            results.Add((exchange, exclusion == null ? await CheckAsync(exchange) : null, exclusion));
        }

        foreach (var group in results.GroupBy(r => r.Exchange.Task).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var included = group.Where(r => r.Exclusion == null).ToList();
            output.WriteLine($"conformance: {group.Key} {included.Count(r => r.Problem == null)}/{included.Count}" + (group.Count() > included.Count ? $" ({group.Count() - included.Count} excluded)" : string.Empty));
        }

        foreach (var excluded in results.Where(r => r.Exclusion != null).GroupBy(r => r.Exclusion))
        {
            output.WriteLine($"excluded ({excluded.Count()}): {excluded.Key}");
        }

        var failures = results.Where(r => r.Exclusion == null && r.Problem != null).ToList();
        var total = results.Count(r => r.Exclusion == null);
        output.WriteLine($"conformance: {total - failures.Count}/{total}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(f => $"{f.Exchange}: {f.Problem}")));
    }

    private static string? Exclude(RecordedExchange exchange)
    {
        if (exchange.RequestBody == null && exchange.RequestBytes == null)
        {
            return "the recorder kept no request body, so the call cannot be rebuilt";
        }

        if (exchange.RequestBody != null)
        {
            var body = JsonDocument.Parse(exchange.RequestBody).RootElement;
            if (body.ValueKind == JsonValueKind.Object && Exclusions.For(exchange, body, RecordedPart.Request) is { } reason)
            {
                return reason;
            }

            // Tasks whose spec nests the inputs in an object; older clients put those members at the root.
            var nestsInputs = exchange.Task is "question-answering" or "sentence-similarity" or "table-question-answering" or "document-question-answering" or "visual-question-answering";
            if (nestsInputs && !(body.TryGetProperty("inputs", out var inputs) && inputs.ValueKind == JsonValueKind.Object) && body.EnumerateObject().Any(p => p.Name is "question" or "query" or "source_sentence"))
            {
                return "a legacy body with the inputs' members at the root instead of under \"inputs\"";
            }
        }

        return null;
    }

    private async Task<string?> CheckAsync(RecordedExchange exchange)
    {
        var server = fixture.Server;
        server.ClearScript();
        server.ClearRequests();
        var (model, pipeline) = ModelOf(exchange.Url);
        server.Models[model] = exchange.Task;
        var responseRecorded = exchange.ResponseBody != null || exchange.ResponseBytes != null;
        if (responseRecorded)
        {
            server.Enqueue(new ScriptedResponse
            {
                Status = exchange.Status,
                Body = exchange.ResponseBody,
                BodyBytes = exchange.ResponseBytes,
                ContentType = exchange.ResponseContentType ?? "application/json",
            });
        }

        using var client = fixture.Client(o => o.Provider = "hf-inference"); // the recorded calls went to hf-inference
        Exception? error = null;
        try
        {
            await InvokeAsync(client, exchange, model);
        }
        catch (Exception exception) when (exception is HfHubHttpException or JsonException or InvalidOperationException)
        {
            error = exception;
        }
        catch (ArgumentException refused) when (exchange.Status is >= 400 and < 500)
        {
            // The server refused this call (a test of bad input); the client refuses it before sending.
            return server.Requests.Count == 0 ? null : $"refused ({refused.Message}) but a request was sent anyway";
        }
        catch (NullReferenceException)
        {
            return "the recorded body lacks a member the call needs (it is not the spec's shape)";
        }

        var sent = server.Requests.FirstOrDefault();
        if (sent == null)
        {
            return "no request was sent" + (error != null ? ": " + error.Message : string.Empty);
        }

        var problem = CompareRequest(exchange, sent, model, pipeline);
        if (problem != null)
        {
            return problem;
        }

        var loading = exchange.Status == 503 && exchange.ResponseBody?.Contains("loading", StringComparison.OrdinalIgnoreCase) == true;
        if (loading)
        {
            // The recorded 503 "loading" was answered once; the client must have retried.
            return server.Requests.Count >= 2 && error == null ? null : $"the 503 'loading' answer was not retried ({server.Requests.Count} requests, {error?.Message})";
        }

        if (exchange.Status >= 400)
        {
            if (error is not HfHubHttpException http)
            {
                return $"the recorded {exchange.Status} did not surface as HfHubHttpException ({error?.GetType().Name ?? "no error"})";
            }

            if ((int)http.StatusCode != exchange.Status)
            {
                return $"status {(int)http.StatusCode} instead of the recorded {exchange.Status}";
            }

            var expectedMessage = exchange.ResponseBody == null ? null : TryServerMessage(exchange.ResponseBody);
            return expectedMessage == null || http.ServerMessage == expectedMessage ? null : $"server message '{http.ServerMessage}' instead of '{expectedMessage}'";
        }

        return error == null ? null : $"the recorded answer did not parse: {error.Message}";
    }

    private static string? CompareRequest(RecordedExchange exchange, RecordedRequest sent, string model, string? pipeline)
    {
        var (sentModel, sentPipeline) = ModelOf(sent.RawPath);
        if (sentModel != model)
        {
            return $"model path '{sentModel}' instead of '{model}'";
        }

        // The services accepted /models/{id}, /pipeline/{task}/{id} and /models/{id}/pipeline/{task} (all
        // recorded with 200, fill-mask by model alone and by pipeline alike); we send the last for the tasks
        // that need it, as the Python client does. Two different pipelines would be a different call.
        if (pipeline != null && sentPipeline != null && sentPipeline != pipeline)
        {
            return $"pipeline '{sentPipeline}' instead of the recorded '{pipeline}'";
        }

        if (exchange.RequestBytes != null)
        {
            if (exchange.RequestContentType != null && sent.ContentType != exchange.RequestContentType)
            {
                return $"content type {sent.ContentType} instead of {exchange.RequestContentType}";
            }

            return sent.Body.AsSpan().SequenceEqual(exchange.RequestBytes) ? null : $"binary body of {sent.Body.Length} bytes differs from the recorded {exchange.RequestBytes.Length}";
        }

        if (sent.ContentType != "application/json")
        {
            return $"content type {sent.ContentType} instead of application/json";
        }

        var expected = Normalize(JsonNode.Parse(exchange.RequestBody!)!.AsObject(), exchange.Task);
        var actual = Normalize(JsonNode.Parse(sent.Body)!.AsObject(), exchange.Task);
        var difference = JsonEquivalence.Difference(JsonSerializer.SerializeToElement(expected), JsonSerializer.SerializeToElement(actual));
        return difference == null ? null : "body differs: " + difference;
    }

    /// <summary>
    /// What a call carries: the members of the task's input type. Client-specific extras at the
    /// root (the JS client's "options" and "model") are not part of the task, and an empty
    /// "parameters" object carries nothing, so both sides drop them.
    /// </summary>
    private static JsonObject Normalize(JsonObject body, string task)
    {
        var inputType = SchemaTypes.ForTask(task, "Input")!;
        var declared = inputType.GetProperties()
            .Select(p => p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), false).OfType<System.Text.Json.Serialization.JsonPropertyNameAttribute>().FirstOrDefault()?.Name)
            .Where(n => n != null)
            .ToHashSet(StringComparer.Ordinal);
        declared.Add("table");
        foreach (var name in body.Select(p => p.Key).ToList())
        {
            if (!declared.Contains(name) || (name == "parameters" && body[name] is JsonObject { Count: 0 }))
            {
                body.Remove(name);
            }
        }

        return body;
    }

    /// <summary>The model id and pipeline task of an inference URL or path, in any of the routes the services accepted.</summary>
    private static (string Model, string? Pipeline) ModelOf(string urlOrPath)
    {
        var path = urlOrPath.Contains("://", StringComparison.Ordinal) ? new Uri(urlOrPath).AbsolutePath : urlOrPath;
        var models = path.IndexOf("/models/", StringComparison.Ordinal);
        if (models < 0)
        {
            // /hf-inference/pipeline/{task}/{id}
            var rest = path[(path.IndexOf("/pipeline/", StringComparison.Ordinal) + "/pipeline/".Length)..];
            var slash = rest.IndexOf('/');
            return (Uri.UnescapeDataString(rest[(slash + 1)..]), rest[..slash]);
        }

        var tail = path[(models + "/models/".Length)..];
        var pipeline = tail.IndexOf("/pipeline/", StringComparison.Ordinal);
        return pipeline < 0 ? (Uri.UnescapeDataString(tail), null) : (Uri.UnescapeDataString(tail[..pipeline]), tail[(pipeline + "/pipeline/".Length)..]);
    }

    private static string? TryServerMessage(string body)
    {
        try
        {
            return Http.ErrorParser.FromJson(JsonDocument.Parse(body).RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Rebuilds the call from the recorded body and makes it: the generated input type reads the body.</summary>
    private static async Task InvokeAsync(InferenceClient client, RecordedExchange exchange, string model)
    {
        var ct = TestContext.Current.CancellationToken;
        var raw = exchange.RequestBytes;
        var json = exchange.RequestBody;
        T Read<T>() => JsonSerializer.Deserialize<T>(json!, InferenceJson.Options)!;
        byte[] Image(Base64Data data) => data.ToArray();

        switch (exchange.Task)
        {
            case "text-classification": { var i = Read<TextClassificationInput>(); await client.TextClassificationAsync(i.Inputs, i.Parameters, model, ct); break; }
            case "token-classification": { var i = Read<TokenClassificationInput>(); await client.TokenClassificationAsync(i.Inputs, i.Parameters, model, ct); break; }
            case "fill-mask": { var i = Read<FillMaskInput>(); await client.FillMaskAsync(i.Inputs, i.Parameters, model, ct); break; }
            case "summarization": { var i = Read<SummarizationInput>(); await client.SummarizationAsync(i.Inputs, i.Parameters, model, ct); break; }
            case "translation": { var i = Read<TranslationInput>(); await client.TranslationAsync(i.Inputs, i.Parameters, model, ct); break; }
            case "text-to-image": { var i = Read<TextToImageInput>(); await client.TextToImageAsync(i.Inputs, i.Parameters, model, ct); break; }
            case "text-to-speech": { var i = Read<TextToSpeechInput>(); await client.TextToSpeechAsync(i.Inputs, i.Parameters, model, ct); break; }
            case "question-answering": { var i = Read<QuestionAnsweringInput>(); await client.QuestionAnsweringAsync(i.Inputs.Question, i.Inputs.Context, i.Parameters, model, ct); break; }
            case "sentence-similarity": { var i = Read<SentenceSimilarityInput>(); await client.SentenceSimilarityAsync(i.Inputs.SourceSentence, i.Inputs.Sentences, i.Parameters, model, ct); break; }
            case "feature-extraction": { var i = Read<FeatureExtractionInput>(); await client.FeatureExtractionAsync(i.Inputs, i.Normalize, i.PromptName, i.Truncate, i.TruncationDirection, model, ct); break; }
            case "zero-shot-classification": { var i = Read<ZeroShotClassificationInput>(); await client.ZeroShotClassificationAsync(i.Inputs, i.Parameters!.CandidateLabels, i.Parameters, model, ct); break; }
            case "table-question-answering":
            {
                var i = Read<TableQuestionAnsweringInput>();
                var query = i.Inputs.AdditionalProperties?["query"].GetString() ?? i.Inputs.Question;
                await client.TableQuestionAnsweringAsync(i.Inputs.Table, query, i.Parameters, model, ct);
                break;
            }
            case "tabular-classification": { var i = Read<TabularClassificationInput>(); await client.TabularClassificationAsync(i.Inputs!.Data, i.Parameters, model, ct); break; }
            case "tabular-regression": { var i = Read<TabularRegressionInput>(); await client.TabularRegressionAsync(i.Inputs!.Data, i.Parameters, model, ct); break; }
            case "document-question-answering": { var i = Read<DocumentQuestionAnsweringInput>(); await client.DocumentQuestionAnsweringAsync(Image(i.Inputs.Image), i.Inputs.Question, i.Parameters, model, ct); break; }
            case "visual-question-answering": { var i = Read<VisualQuestionAnsweringInput>(); await client.VisualQuestionAnsweringAsync(Image(i.Inputs.Image), i.Inputs.Question, i.Parameters, model, ct); break; }
            case "zero-shot-image-classification": { var i = Read<ZeroShotImageClassificationInput>(); await client.ZeroShotImageClassificationAsync(Image(i.Inputs), i.Parameters!.CandidateLabels, i.Parameters, model, ct); break; }
            case "image-classification": { var (bytes, p) = Binary<ImageClassificationInput, ImageClassificationParameters>(raw, json, i => (i.Inputs, i.Parameters)); await client.ImageClassificationAsync(bytes, p, model, ct); break; }
            case "image-segmentation": { var (bytes, p) = Binary<ImageSegmentationInput, ImageSegmentationParameters>(raw, json, i => (i.Inputs, i.Parameters)); await client.ImageSegmentationAsync(bytes, p, model, ct); break; }
            case "image-to-image": { var (bytes, p) = Binary<ImageToImageInput, ImageToImageParameters>(raw, json, i => (i.Inputs, i.Parameters)); await client.ImageToImageAsync(bytes, p, model, ct); break; }
            case "image-to-text": { var (bytes, p) = Binary<ImageToTextInput, ImageToTextParameters>(raw, json, i => (i.Inputs, i.Parameters)); await client.ImageToTextAsync(bytes, p, model, ct); break; }
            case "object-detection": { var (bytes, p) = Binary<ObjectDetectionInput, ObjectDetectionParameters>(raw, json, i => (i.Inputs, i.Parameters)); await client.ObjectDetectionAsync(bytes, p, model, ct); break; }
            case "audio-classification": { var (bytes, p) = Binary<AudioClassificationInput, AudioClassificationParameters>(raw, json, i => (i.Inputs, i.Parameters)); await client.AudioClassificationAsync(bytes, p, model, ct); break; }
            case "automatic-speech-recognition": { var (bytes, p) = Binary<AutomaticSpeechRecognitionInput, AutomaticSpeechRecognitionParameters>(raw, json, i => (i.Inputs, i.Parameters)); await client.AutomaticSpeechRecognitionAsync(bytes, p, model, ct); break; }
            case "audio-to-audio": { var (bytes, p) = Binary<AudioToAudioInput, AudioToAudioParameters>(raw, json, i => (i.Inputs, i.Parameters)); await client.AudioToAudioAsync(bytes, p, model, ct); break; }
            default: throw new InvalidOperationException("no invoker for " + exchange.Task);
        }
    }

    private static (byte[] Bytes, TParameters? Parameters) Binary<TInput, TParameters>(byte[]? raw, string? json, Func<TInput, (Base64Data Inputs, TParameters? Parameters)> parts)
        where TParameters : class
    {
        if (raw != null)
        {
            return (raw, null);
        }

        var (inputs, parameters) = parts(JsonSerializer.Deserialize<TInput>(json!, InferenceJson.Options)!);
        return (inputs.ToArray(), parameters);
    }
}
