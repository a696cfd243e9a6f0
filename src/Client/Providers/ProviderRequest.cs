using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using HuggingFace.Inference.Inputs;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Providers;

/// <summary>A provider request, built once and sent again as is on a retry.</summary>
internal sealed record ProviderRequest(Uri Url, byte[] Body, string ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public HttpContent Content()
    {
        var content = new ByteArrayContent(Body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        return content;
    }
}

/// <summary>
/// Builds each provider's body from the task's generated input record, serialised as hf-inference reads
/// it (<c>{"inputs": …, "parameters": {…}}</c>, binary inputs in base64). One function per request form of
/// specs/providers/README.md; the forms' facts are the peers' (read from their provider modules).
/// </summary>
internal static class ProviderRequests
{
    public static ProviderRequest Build(ProviderRoute route, string task, JsonObject input)
    {
        var entry = route.Entry!;
        var providerId = route.ProviderModelId!;
        var parameters = Parameters(input, entry);
        var url = route.Url;
        var headers = new List<KeyValuePair<string, string>>(route.Provider!.Headers);
        JsonObject body;
        switch (entry.Request)
        {
            case ProviderRequestForm.OpenAiCompletion:
                body = new JsonObject { ["model"] = providerId, ["prompt"] = Take(input, "inputs") };
                Merge(body, parameters);
                break;
            case ProviderRequestForm.OpenAiEmbeddings:
                // Feature extraction's options (normalize, truncate …) are members of the input record itself.
                body = new JsonObject { ["model"] = providerId, ["input"] = Take(input, "inputs") };
                foreach (var (name, value) in input)
                {
                    if (name is not "inputs" and not "parameters" && value != null)
                    {
                        body[name] = value.DeepClone();
                    }
                }

                break;
            case ProviderRequestForm.OpenAiImage:
                body = new JsonObject { ["model"] = providerId, ["prompt"] = PromptOf(input, parameters, task) ?? string.Empty };
                if (HasImageInput(task) && DataUrl(input) is { } image)
                {
                    // together: FLUX.1 Kontext models take the image as image_url, the others as reference images.
                    var lowered = providerId.ToLowerInvariant();
                    if (lowered.Contains("kontext", StringComparison.Ordinal) && lowered.Contains("flux.1", StringComparison.Ordinal))
                    {
                        body["image_url"] = image;
                    }
                    else
                    {
                        body["reference_images"] = new JsonArray(image);
                    }
                }

                if (SizeAsText(entry) && parameters["width"] is { } w && parameters["height"] is { } h)
                {
                    parameters.Remove("width");
                    parameters.Remove("height");
                    body["size"] = $"{w}x{h}";
                }

                Merge(body, parameters);
                break;
            case ProviderRequestForm.OpenAiTranscription:
                return Multipart(route, input, parameters, headers);
            case ProviderRequestForm.OpenAiSpeech:
                body = new JsonObject { ["model"] = providerId, ["input"] = Take(input, "inputs") };
                Merge(body, parameters);
                break;
            case ProviderRequestForm.Fal:
                body = FalBody(route, task, input, parameters);
                break;
            case ProviderRequestForm.Replicate:
                (body, url) = ReplicateBody(route, task, input, parameters);
                headers.Add(new("Prefer", "wait"));
                break;
            case ProviderRequestForm.TogetherVideo:
                body = new JsonObject { ["model"] = providerId };
                if (parameters.Remove("target_size", out var target) && target is JsonObject size)
                {
                    parameters["width"] = size["width"]?.DeepClone();
                    parameters["height"] = size["height"]?.DeepClone();
                }

                if (HasImageInput(task) && DataUrl(input) is { } frame)
                {
                    body["frame_images"] = new JsonArray(new JsonObject { ["input_image"] = frame, ["frame"] = "first" });
                    if (parameters.Remove("prompt", out var prompt))
                    {
                        body["prompt"] = prompt;
                    }
                }
                else
                {
                    body["prompt"] = Take(input, "inputs");
                }

                Merge(body, parameters);
                break;
            case ProviderRequestForm.Wavespeed:
                body = new JsonObject();
                if (HasImageInput(task) && DataUrl(input) is { } picture)
                {
                    body["image"] = picture;
                }
                else
                {
                    body["prompt"] = Take(input, "inputs");
                }

                Merge(body, parameters);
                Loras(body, route, wavespeed: true);
                break;
            case ProviderRequestForm.NovitaVideo:
                body = new JsonObject { ["prompt"] = Take(input, "inputs") };
                Merge(body, parameters);
                break;
            case ProviderRequestForm.ZaiImage:
                body = new JsonObject { ["model"] = providerId, ["prompt"] = Take(input, "inputs") };
                if (parameters["width"] is { } zaiWidth && parameters["height"] is { } zaiHeight)
                {
                    parameters.Remove("width");
                    parameters.Remove("height");
                    body["size"] = $"{zaiWidth}x{zaiHeight}";
                }

                Merge(body, parameters);
                break;
            case ProviderRequestForm.ZaiOcr:
                body = new JsonObject { ["model"] = providerId, ["file"] = DataUrl(input) };
                break;
            default:
                throw new NotSupportedException($"The request form {entry.Request} of {route.ProviderName} ({task}) is not built by this client.");
        }

        if (entry.Body != null && JsonNode.Parse(entry.Body) is JsonObject constants)
        {
            foreach (var (name, value) in constants)
            {
                if (!(name == "size" && value is JsonValue flag && flag.TryGetValue<bool>(out _)))
                {
                    body[name] = value?.DeepClone();
                }
            }
        }

        return new ProviderRequest(url, InferenceJson.Bytes(body, InferenceJson.WriteOptions), "application/json", headers);
    }

    /// <summary>The input's parameters (a copy), renamed as the provider reads them.</summary>
    private static JsonObject Parameters(JsonObject input, ProviderTaskSpec entry)
    {
        var parameters = input["parameters"] is JsonObject given ? (JsonObject)given.DeepClone() : new JsonObject();
        foreach (var rename in entry.Renames)
        {
            var separator = rename.IndexOf('=');
            if (parameters.Remove(rename[..separator], out var value))
            {
                parameters[rename[(separator + 1)..]] = value;
            }
        }

        return parameters;
    }

    private static JsonNode? Take(JsonObject input, string name) => input[name]?.DeepClone();

    /// <summary><c>"size": true</c> in the registry's body means "send width and height as size WxH" (nscale).</summary>
    private static bool SizeAsText(ProviderTaskSpec entry) =>
        entry.Body != null && JsonNode.Parse(entry.Body) is JsonObject constants && constants["size"] is JsonValue flag && flag.TryGetValue<bool>(out var on) && on;

    /// <summary>OpenAI's transcription upload: the audio as the <c>file</c> part, then each parameter and the model as fields.</summary>
    private static ProviderRequest Multipart(ProviderRoute route, JsonObject input, JsonObject parameters, List<KeyValuePair<string, string>> headers)
    {
        var base64 = input["inputs"]?.GetValue<string>() ?? throw new ArgumentException("The audio is empty.", "audio");
        var audio = Convert.FromBase64String(base64);
        var mediaType = MediaTypes.Sniff(audio);
        var extension = mediaType switch
        {
            "audio/mpeg" => "mp3",
            "audio/flac" => "flac",
            "audio/ogg" => "ogg",
            "video/mp4" => "mp4",
            _ => "wav",
        };
        var boundary = "hf-" + Guid.NewGuid().ToString("N");
        using var stream = new System.IO.MemoryStream();
        void Write(string text) => stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
        Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audio.{extension}\"\r\nContent-Type: {mediaType}\r\n\r\n");
        stream.Write(audio);
        Write("\r\n");
        parameters["model"] = route.ProviderModelId;
        foreach (var (name, value) in parameters)
        {
            if (value == null)
            {
                continue;
            }

            var text = value is JsonValue scalar && scalar.TryGetValue<string>(out var plain) ? plain : value.ToJsonString();
            Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{text}\r\n");
        }

        Write($"--{boundary}--\r\n");
        return new ProviderRequest(route.Url, stream.ToArray(), $"multipart/form-data; boundary={boundary}", headers);
    }

    private static void Merge(JsonObject body, JsonObject parameters)
    {
        foreach (var (name, value) in parameters.ToList())
        {
            if (value != null && !body.ContainsKey(name))
            {
                parameters.Remove(name);
                body[name] = value;
            }
        }
    }

    /// <summary>The prompt of a task whose prompt is either the input (text-to-image) or a parameter (image-to-image).</summary>
    private static JsonNode? PromptOf(JsonObject input, JsonObject parameters, string task)
    {
        if (task is "image-to-image" or "image-text-to-image" or "image-to-video" or "image-text-to-video")
        {
            return parameters.Remove("prompt", out var prompt) ? prompt : null;
        }

        return Take(input, "inputs");
    }

    /// <summary>
    /// A binary input as a <c>data:</c> URL, which is how the providers take images and audio in JSON;
    /// the media type is sniffed from the bytes. Null when the input is text.
    /// </summary>
    internal static string? DataUrl(JsonObject input)
    {
        var inputs = input["inputs"];
        var base64 = inputs is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (base64 == null)
        {
            return null;
        }

        // 24 base64 characters are 18 bytes: enough for every signature MediaTypes knows.
        var head = new byte[18];
        var length = Convert.TryFromBase64Chars(base64.AsSpan(0, Math.Min(base64.Length, 24)), head, out var written) ? written : 0;
        return "data:" + MediaTypes.Sniff(head.AsSpan(0, length)) + ";base64," + base64;
    }

    /// <summary>Tasks whose <c>inputs</c> is an image (base64), not a prompt.</summary>
    private static bool HasImageInput(string task) => task is "image-to-image" or "image-text-to-image" or "image-to-video" or "image-text-to-video" or "image-segmentation" or "image-to-text";

    private static JsonObject FalBody(ProviderRoute route, string task, JsonObject input, JsonObject parameters)
    {
        var body = new JsonObject();
        switch (task)
        {
            case "automatic-speech-recognition":
            case "audio-to-audio":
                // fal refuses audio/wav labels ("Unsupported data URL"); it takes WAV as audio/x-wav (as huggingface.js maps it).
                body["audio_url"] = DataUrl(input)?.Replace("data:audio/wav;", "data:audio/x-wav;", StringComparison.Ordinal);
                break;
            case "text-to-speech":
                body["text"] = Take(input, "inputs");
                break;
            case "image-segmentation":
                body["image_url"] = DataUrl(input);
                body["sync_mode"] = true;
                break;
            case "image-to-image":
            case "image-text-to-image":
                body["image_url"] = DataUrl(input);
                body["image_urls"] = new JsonArray(DataUrl(input));
                break;
            case "image-to-video":
            case "image-text-to-video":
                body["image_url"] = DataUrl(input);
                break;
            default:
                body["prompt"] = Take(input, "inputs");
                break;
        }

        if (task == "text-to-image" && parameters["width"] is { } width && parameters["height"] is { } height)
        {
            parameters.Remove("width");
            parameters.Remove("height");
            body["image_size"] = new JsonObject { ["width"] = width.DeepClone(), ["height"] = height.DeepClone() };
        }

        Merge(body, parameters);
        Loras(body, route, wavespeed: false);
        return body;
    }

    /// <summary>
    /// A LoRA adapter model (<c>adapter: "lora"</c>): fal takes the weights' Hub URL in <c>loras</c>, wavespeed the
    /// repository id; fal's generic LoRA app also needs the base model's name.
    /// </summary>
    private static void Loras(JsonObject body, ProviderRoute route, bool wavespeed)
    {
        if (route.Mapping is not { Adapter: "lora", AdapterWeightsPath: { } weights } || route.ModelId == null)
        {
            return;
        }

        var path = wavespeed ? route.ModelId : $"https://huggingface.co/{route.ModelId}/resolve/main/{weights}";
        body["loras"] = new JsonArray(new JsonObject { ["path"] = path, ["scale"] = 1 });
        if (!wavespeed && route.ProviderModelId == "fal-ai/lora")
        {
            body["model_name"] = "stabilityai/stable-diffusion-xl-base-1.0";
        }
    }

    private static (JsonObject Body, Uri Url) ReplicateBody(ProviderRoute route, string task, JsonObject input, JsonObject parameters)
    {
        var inner = new JsonObject();
        switch (task)
        {
            case "automatic-speech-recognition":
                inner["audio"] = DataUrl(input);
                break;
            case "text-to-speech":
                inner["text"] = Take(input, "inputs");
                break;
            case "image-to-image":
                var image = DataUrl(input);
                inner["image"] = image;
                inner["images"] = new JsonArray(image);
                inner["input_image"] = image;
                inner["input_images"] = new JsonArray(image);
                break;
            default:
                inner["prompt"] = Take(input, "inputs");
                break;
        }

        Merge(inner, parameters);
        if (route.Mapping is { Adapter: "lora" } && route.ModelId != null)
        {
            inner["lora_weights"] = $"https://huggingface.co/{route.ModelId}";
        }

        var body = new JsonObject { ["input"] = inner };
        var providerId = route.ProviderModelId!;
        var colon = providerId.IndexOf(':');
        if (colon < 0)
        {
            return (body, route.Url);
        }

        // "owner/name:version" runs that version: POST /v1/predictions with the version in the body.
        body["version"] = providerId[(colon + 1)..];
        var baseUrl = new Uri(route.Url.GetLeftPart(UriPartial.Authority) + route.Url.AbsolutePath[..route.Url.AbsolutePath.IndexOf("/v1/", StringComparison.Ordinal)]);
        return (body, Http.ModelResolver.Combine(baseUrl, "v1/predictions"));
    }
}
