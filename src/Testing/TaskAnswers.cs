using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HuggingFace.Inference.Testing;

/// <summary>
/// Schema-valid answers for every task, shaped as the serverless hf-inference API shapes them
/// (text-classification's <c>[[…]]</c>, summarization's one-element list, question answering's
/// single object …) and derived from the request, so that tests can tell what was understood.
/// </summary>
internal static class TaskAnswers
{
    /// <summary>A 1×1 PNG: what image tasks answer.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    /// <summary>The start of a FLAC stream: what audio tasks answer.</summary>
    public static readonly byte[] Flac = [.. "fLaC"u8, 0x00, 0x00, 0x00, 0x22, 0x10, 0x00, 0x10, 0x00];

    public static readonly HashSet<string> BinaryInputTasks = new(StringComparer.Ordinal)
    {
        "audio-classification", "audio-to-audio", "automatic-speech-recognition", "image-classification",
        "image-segmentation", "image-to-image", "image-to-text", "object-detection", "zero-shot-image-classification",
        "image-to-video", "image-text-to-image", "image-text-to-video",
    };

    /// <summary>The answer, or an error (status, message) for a request the real service would refuse.</summary>
    public static (int Status, string ContentType, byte[] Body) Answer(string task, RecordedRequest request)
    {
        JsonObject? json = null;
        if (request.ContentType == "application/json")
        {
            try
            {
                json = JsonNode.Parse(request.Body) as JsonObject;
            }
            catch (JsonException exception)
            {
                return Error(400, "Invalid JSON: " + exception.Message);
            }

            if (json == null)
            {
                return Error(400, "The body must be a JSON object.");
            }
        }
        else if (!BinaryInputTasks.Contains(task))
        {
            return Error(400, $"{task} expects a JSON body (Content-Type: application/json), got {request.ContentType ?? "none"}.");
        }
        else if (request.Body.Length == 0)
        {
            return Error(400, "The request body is empty.");
        }

        var inputs = json?["inputs"];
        var parameters = json?["parameters"] as JsonObject;
        // Image-text tasks take an image (inputs), a prompt (parameters.prompt), or both.
        var promptOnly = task is "image-text-to-image" or "image-text-to-video" && parameters?["prompt"] != null;
        if (json != null && inputs == null && !promptOnly && task is not ("tabular-classification" or "tabular-regression"))
        {
            return Error(400, "The body has no \"inputs\".");
        }

        string Text() => inputs?.GetValueKind() == JsonValueKind.String ? inputs.GetValue<string>() : inputs?.ToJsonString() ?? string.Empty;

        switch (task)
        {
            case "text-classification":
                var negative = Text().Contains("not", StringComparison.OrdinalIgnoreCase) || Text().Contains("bad", StringComparison.OrdinalIgnoreCase);
                return Json($$"""[[{"label":"{{(negative ? "NEGATIVE" : "POSITIVE")}}","score":0.9991},{"label":"{{(negative ? "POSITIVE" : "NEGATIVE")}}","score":0.0009}]]""");
            case "token-classification":
                return Json(new JsonArray([.. Entities(Text())]));
            case "fill-mask":
                var masked = Text();
                return Json(new JsonArray([.. new[] { ("capital", 0.42), ("heart", 0.21) }.Select((t, i) => (JsonNode)new JsonObject
                {
                    ["score"] = t.Item2,
                    ["token"] = 3007 + i,
                    ["token_str"] = t.Item1,
                    ["sequence"] = masked.Replace("[MASK]", t.Item1).Replace("<mask>", t.Item1),
                })]));
            case "summarization":
                return Json(new JsonArray(new JsonObject { ["summary_text"] = string.Join(' ', Text().Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(8)) }));
            case "translation":
                return Json(new JsonArray(new JsonObject { ["translation_text"] = "[fr] " + Text() }));
            case "question-answering":
                var context = inputs?["context"]?.GetValue<string>();
                if (context == null || inputs?["question"] == null)
                {
                    return Error(400, "question-answering needs inputs.question and inputs.context.");
                }

                var word = context.TrimEnd('.', '!', '?').Split(' ').Last();
                var start = context.LastIndexOf(word, StringComparison.Ordinal);
                return Json(new JsonObject { ["score"] = 0.9734, ["start"] = start, ["end"] = start + word.Length, ["answer"] = word });
            case "table-question-answering":
                if (inputs?["query"] == null || inputs["table"] is not JsonObject table)
                {
                    return Error(400, "table-question-answering needs inputs.query and inputs.table.");
                }

                var cell = (table.First().Value as JsonArray)?.FirstOrDefault()?.GetValue<string>() ?? string.Empty;
                return Json(new JsonObject { ["answer"] = cell, ["coordinates"] = new JsonArray(new JsonArray(0, 0)), ["cells"] = new JsonArray(cell), ["aggregator"] = "NONE" });
            case "sentence-similarity":
                var source = inputs?["source_sentence"]?.GetValue<string>();
                if (source == null || inputs?["sentences"] is not JsonArray sentences)
                {
                    return Error(400, "sentence-similarity needs inputs.source_sentence and inputs.sentences.");
                }

                return Json(new JsonArray([.. sentences.Select(s => (JsonNode)Similarity(source, s!.GetValue<string>()))]));
            case "zero-shot-classification":
            case "zero-shot-image-classification":
                if (parameters?["candidate_labels"] is not JsonArray labels || labels.Count == 0)
                {
                    return Error(400, "parameters.candidate_labels is required.");
                }

                var count = labels.Count;
                return Json(new JsonArray([.. labels.Select((l, i) => (JsonNode)new JsonObject { ["label"] = l!.GetValue<string>(), ["score"] = Math.Round((count - i) / (count * (count + 1) / 2.0), 4) })]));
            case "feature-extraction":
                return inputs is JsonArray batch
                    ? Json(new JsonArray([.. batch.Select(t => (JsonNode)Vector(t!.GetValue<string>()))]))
                    : Json(Vector(Text()));
            case "tabular-classification":
            case "tabular-regression":
                var data = (json?["inputs"]?["data"] ?? json?["table"]) as JsonObject;
                if (data == null || data.Count == 0)
                {
                    return Error(400, "The table (inputs.data) is missing.");
                }

                var rows = (data.First().Value as JsonArray)?.Count ?? 0;
                return Json(new JsonArray([.. Enumerable.Range(0, rows).Select(i => (JsonNode)(task == "tabular-classification" ? 5 + (i % 3) : 270.5 + (i * 21.25)))]));
            case "text-generation":
                return (200, "application/json", ChatAnswers.Generation(json!));
            case "text-to-image":
                return (200, "image/png", Png);
            case "text-to-speech":
                return (200, "audio/flac", Flac);
            case "image-to-image":
                return (200, "image/png", Png);
            case "text-to-video":
            case "image-to-video":
            case "image-text-to-video":
                return (200, "video/mp4", Mp4(task, request.Body));
            case "image-text-to-image":
                return (200, "image/png", PngOf(request.Body));
            case "text-to-audio":
                return (200, "audio/wav", Wav(request.Body));
            case "image-classification":
                return Json("""[{"label":"tabby, tabby cat","score":0.9402},{"label":"Egyptian cat","score":0.0413}]""");
            case "image-segmentation":
                return Json(new JsonArray(new JsonObject { ["score"] = 0.9981, ["label"] = "cat", ["mask"] = Convert.ToBase64String(Png) }));
            case "image-to-text":
                return Json("""[{"generated_text":"a cat sitting on a sofa"}]""");
            case "object-detection":
                return Json("""[{"score":0.9982,"label":"cat","box":{"xmin":12,"ymin":43,"xmax":310,"ymax":472}}]""");
            case "audio-classification":
                return Json("""[{"label":"neu","score":0.6932},{"label":"hap","score":0.1524}]""");
            case "automatic-speech-recognition":
                return Json("""{"text":"hello from the local server"}""");
            case "audio-to-audio":
                return Json(new JsonArray(new JsonObject { ["label"] = "label_0", ["content-type"] = "audio/flac", ["blob"] = Convert.ToBase64String(Flac) }));
            case "document-question-answering":
                return inputs?["image"] == null || inputs["question"] == null
                    ? Error(400, "document-question-answering needs inputs.image and inputs.question.")
                    : Json("""[{"answer":"us-001","score":0.9812,"start":16,"end":16}]""");
            case "visual-question-answering":
                return inputs?["image"] == null || inputs["question"] == null
                    ? Error(400, "visual-question-answering needs inputs.image and inputs.question.")
                    : Json("""[{"answer":"2","score":0.9134},{"answer":"1","score":0.0512}]""");
            default:
                return Error(400, $"The local server does not serve the task '{task}'.");
        }
    }

    /// <summary>
    /// The start of an MP4 (ISO BMFF) file made for a request: an <c>ftyp</c> box (isom), a <c>free</c>
    /// box naming the task, and an <c>mdat</c> box holding the SHA-256 of the request body.
    /// </summary>
    public static byte[] Mp4(string task, byte[] requestBody) => SampleMedia.Mp4(task, SHA256.HashData(requestBody));

    /// <summary>A PCM WAV file made for a request: 32 kHz, 16-bit mono, its samples the SHA-256 of the request body.</summary>
    public static byte[] Wav(byte[] requestBody) => SampleMedia.Wav(SHA256.HashData(requestBody), sampleRate: 32000);

    /// <summary>A 1×1 RGB PNG made for a request: its pixel the first three bytes of the body's SHA-256, the whole hash in a tEXt chunk.</summary>
    public static byte[] PngOf(byte[] requestBody)
    {
        var hash = SHA256.HashData(requestBody);
        return SampleMedia.Png(hash.AsSpan(0, 3), "sha256:" + Convert.ToHexStringLower(hash));
    }

    public static (int, string, byte[]) Error(int status, string message) =>
        (status, "application/json", JsonSerializer.SerializeToUtf8Bytes(new { error = message }));

    private static (int, string, byte[]) Json(string json) => (200, "application/json", Encoding.UTF8.GetBytes(json));

    private static (int, string, byte[]) Json(JsonNode node) => (200, "application/json", Encoding.UTF8.GetBytes(node.ToJsonString()));

    /// <summary>A deterministic 8-dimensional unit vector for a text.</summary>
    private static JsonArray Vector(string text)
    {
        var values = new double[8];
        for (var i = 0; i < text.Length; i++)
        {
            values[i % 8] += text[i] % 13;
        }

        var norm = Math.Sqrt(values.Sum(v => v * v));
        return new JsonArray([.. values.Select(v => (JsonNode)Math.Round(norm == 0 ? 0 : v / norm, 6))]);
    }

    private static double Similarity(string a, string b)
    {
        var left = a.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var right = b.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return left.Count + right.Count == 0 ? 1 : Math.Round(2.0 * left.Intersect(right).Count() / (left.Count + right.Count), 4);
    }

    private static IEnumerable<JsonNode> Entities(string text)
    {
        var position = 0;
        foreach (var word in text.Split(' '))
        {
            var clean = word.TrimEnd('.', ',', '!', '?');
            if (clean.Length > 1 && char.IsUpper(clean[0]) && position > 0)
            {
                yield return new JsonObject { ["entity_group"] = "PER", ["score"] = 0.9987, ["word"] = clean, ["start"] = position, ["end"] = position + clean.Length };
            }

            position += word.Length + 1;
        }
    }
}
