using System;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using HuggingFace.Inference.Inputs;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Providers;

/// <summary>The hf-inference-shaped answer a provider's answer becomes: JSON of the task's output type, or a file's bytes.</summary>
internal readonly record struct ProviderResult(byte[] Body, string? MediaType);

/// <summary>
/// Reads each provider's (final) answer into what the task's generated output type reads, so the
/// answer is the same type whatever the provider: one function per answer form of specs/providers/README.md.
/// Output files the provider points to are downloaded without the token or any of the client's headers.
/// </summary>
internal static class ProviderAnswers
{
    public delegate ValueTask<(byte[] Bytes, string? ContentType)> Download(Uri url, CancellationToken cancellationToken);

    public static async ValueTask<ProviderResult> ReadAsync(ProviderRoute route, string task, byte[] answer, string? mediaType, Download download, CancellationToken cancellationToken)
    {
        var form = route.Entry!.Answer;
        if (form == ProviderAnswerForm.Bytes)
        {
            return new ProviderResult(answer, mediaType);
        }

        var root = Parse(answer, route, task);
        switch (form)
        {
            case ProviderAnswerForm.OpenAiCompletion:
                var text = root["choices"]?[0]?["text"];
                return Json(new JsonObject { ["generated_text"] = text?.DeepClone() ?? throw Missing(route, task, "choices[0].text") });
            case ProviderAnswerForm.OpenAiEmbeddings:
                var rows = new JsonArray();
                foreach (var item in root["data"] as JsonArray ?? throw Missing(route, task, "data"))
                {
                    rows.Add(item?["embedding"]?.DeepClone() ?? throw Missing(route, task, "data[].embedding"));
                }

                return Json(rows);
            case ProviderAnswerForm.OpenAiImage:
                var image = root["data"]?[0] ?? throw Missing(route, task, "data[0]");
                if (image["b64_json"]?.GetValue<string>() is { } b64)
                {
                    return Decoded(b64);
                }

                return await FileAt(image["url"], route, task, "data[0].url", download, cancellationToken).ConfigureAwait(false);
            case ProviderAnswerForm.OpenAiTranscription:
                return Json(Transcription(root["text"], root["segments"]));
            case ProviderAnswerForm.Fal:
                return await FalAsync(root, route, task, download, cancellationToken).ConfigureAwait(false);
            case ProviderAnswerForm.Replicate:
                return await ReplicateAsync(root, route, task, download, cancellationToken).ConfigureAwait(false);
            case ProviderAnswerForm.TogetherVideo:
                return await FileAt(root["outputs"]?["video_url"], route, task, "outputs.video_url", download, cancellationToken).ConfigureAwait(false);
            case ProviderAnswerForm.NovitaVideo:
                return await FileAt(root["videos"]?[0]?["video_url"] ?? root["video"]?["video_url"], route, task, "videos[0].video_url", download, cancellationToken).ConfigureAwait(false);
            case ProviderAnswerForm.Wavespeed:
                var data = root["data"] ?? root;
                return await FileAt(data["outputs"]?[0], route, task, "data.outputs[0]", download, cancellationToken).ConfigureAwait(false);
            case ProviderAnswerForm.ZaiImage:
                return await FileAt(root["image_result"]?[0]?["url"], route, task, "image_result[0].url", download, cancellationToken).ConfigureAwait(false);
            case ProviderAnswerForm.ZaiOcr:
                var markdown = root["md_results"] ?? throw Missing(route, task, "md_results");
                return Json(new JsonObject { ["generated_text"] = markdown.DeepClone() });
            default:
                throw new NotSupportedException($"The answer form {form} of {route.ProviderName} ({task}) is not read by this client.");
        }
    }

    private static async ValueTask<ProviderResult> FalAsync(JsonNode root, ProviderRoute route, string task, Download download, CancellationToken cancellationToken)
    {
        switch (task)
        {
            case "automatic-speech-recognition":
                return Json(Transcription(root["text"], root["chunks"] ?? root["segments"]));
            case "image-segmentation":
                // fal answers one mask image; hf-inference's output is a list of labelled masks (base64 PNG).
                var mask = root["image"]?["url"] ?? root["masks"]?[0]?["url"];
                var (bytes, _) = await DownloadOrDecode(mask, route, task, "image.url", download, cancellationToken).ConfigureAwait(false);
                return Json(new JsonArray(new JsonObject { ["label"] = "mask", ["score"] = 1.0, ["mask"] = Convert.ToBase64String(bytes) }));
            case "audio-to-audio":
                // hf-inference's output is a list of labelled tracks with the audio in base64; fal answers one file.
                var (track, trackType) = await DownloadOrDecode(root["audio"]?["url"] ?? root["audio_file"]?["url"], route, task, "audio.url", download, cancellationToken).ConfigureAwait(false);
                return Json(new JsonArray(new JsonObject { ["label"] = "audio", ["content-type"] = trackType ?? MediaTypes.Sniff(track), ["blob"] = Convert.ToBase64String(track) }));
            case "text-to-speech":
            case "text-to-audio":
                return await FileAt(root["audio"]?["url"] ?? root["audio_file"]?["url"] ?? root["audio_url"]?["url"], route, task, "audio.url", download, cancellationToken).ConfigureAwait(false);
            case "text-to-video":
            case "image-to-video":
            case "image-text-to-video":
                return await FileAt(root["video"]?["url"], route, task, "video.url", download, cancellationToken).ConfigureAwait(false);
            default:
                return await FileAt(root["images"]?[0]?["url"] ?? root["image"]?["url"], route, task, "images[0].url", download, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<ProviderResult> ReplicateAsync(JsonNode root, ProviderRoute route, string task, Download download, CancellationToken cancellationToken)
    {
        var output = root["output"];
        if (task == "automatic-speech-recognition")
        {
            var transcript = output is JsonObject parts ? parts["transcription"] ?? parts["text"] ?? parts["translation"] : output;
            if (transcript is JsonValue value && value.TryGetValue<string>(out var transcribed) && transcribed.StartsWith("http", StringComparison.Ordinal))
            {
                var (file, _) = await download(new Uri(transcribed), cancellationToken).ConfigureAwait(false);
                return Json(new JsonObject { ["text"] = System.Text.Encoding.UTF8.GetString(file) });
            }

            return Json(new JsonObject { ["text"] = transcript?.DeepClone() ?? throw Missing(route, task, "output") });
        }

        var url = output is JsonArray list ? list.Count > 0 ? list[0] : null : output;
        return await FileAt(url, route, task, "output", download, cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject Transcription(JsonNode? text, JsonNode? segments)
    {
        var result = new JsonObject { ["text"] = text?.DeepClone() ?? string.Empty };
        if (segments is JsonArray list && list.Count > 0)
        {
            var chunks = new JsonArray();
            foreach (var segment in list)
            {
                var timestamp = segment?["timestamp"]?.DeepClone() ?? (segment?["start"] is { } start ? new JsonArray(start.DeepClone(), segment["end"]?.DeepClone()) : null);
                chunks.Add((JsonNode)new JsonObject { ["text"] = segment?["text"]?.DeepClone(), ["timestamp"] = timestamp });
            }

            result["chunks"] = chunks;
        }

        return result;
    }

    private static async ValueTask<ProviderResult> FileAt(JsonNode? url, ProviderRoute route, string task, string member, Download download, CancellationToken cancellationToken)
    {
        var (bytes, contentType) = await DownloadOrDecode(url, route, task, member, download, cancellationToken).ConfigureAwait(false);
        return new ProviderResult(bytes, contentType);
    }

    private static async ValueTask<(byte[] Bytes, string? ContentType)> DownloadOrDecode(JsonNode? url, ProviderRoute route, string task, string member, Download download, CancellationToken cancellationToken)
    {
        var text = url is JsonValue value && value.TryGetValue<string>(out var s) ? s : throw Missing(route, task, member);
        if (text.StartsWith("data:", StringComparison.Ordinal))
        {
            var comma = text.IndexOf(',');
            var decoded = Convert.FromBase64String(text[(comma + 1)..]);
            return (decoded, text[5..text.IndexOf(';')]);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var location) || (location.Scheme != Uri.UriSchemeHttps && location.Scheme != Uri.UriSchemeHttp))
        {
            throw new InferenceProviderException(route.ProviderName, route.ProviderModelId, task, InferenceProviderPhase.Result, HttpStatusCode.OK, $"The answer's {member} is not an http(s) URL.");
        }

        try
        {
            return await download(location, cancellationToken).ConfigureAwait(false);
        }
        catch (HfHubHttpException error)
        {
            throw InferenceProviderException.From(error, route.ProviderName, route.ProviderModelId, task, InferenceProviderPhase.Download);
        }
    }

    private static ProviderResult Decoded(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        return new ProviderResult(bytes, MediaTypes.Sniff(bytes));
    }

    private static ProviderResult Json(JsonNode node) => new(InferenceJson.Bytes(node, InferenceJson.WriteOptions), "application/json");

    private static JsonNode Parse(byte[] answer, ProviderRoute route, string task)
    {
        try
        {
            return JsonNode.Parse(answer) ?? throw Missing(route, task, "the answer");
        }
        catch (JsonException exception)
        {
            throw new InferenceProviderException(route.ProviderName, route.ProviderModelId, task, InferenceProviderPhase.Result, HttpStatusCode.OK, "The provider's answer is not JSON: " + exception.Message, innerException: exception);
        }
    }

    internal static InferenceProviderException Missing(ProviderRoute route, string task, string member) =>
        new(route.ProviderName, route.ProviderModelId, task, InferenceProviderPhase.Result, HttpStatusCode.OK, $"The provider's answer has no {member}.");
}
