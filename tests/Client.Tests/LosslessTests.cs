using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using HuggingFace.Inference.Serialization;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Real recorded traffic read into the generated types and written back: nothing may be lost or
/// changed. Exclusions are listed in <see cref="Exclusions"/> with their reasons.
/// </summary>
public class LosslessTests(ITestOutputHelper output)
{
    [Fact]
    public void RecordedResponsesRoundTrip()
    {
        var cases = RecordedTraffic.Load()
            .Where(e => e.Kind == "inference" && e.Status == 200 && !e.IsSse && e.ResponseBody != null && RecordedTraffic.IsJson(e.ResponseBody))
            .Select(e => (Exchange: e, Type: SchemaTypes.ForTask(e.Task, "Output")))
            .Where(c => c.Type != null)
            .Select(c => (c.Exchange, c.Type!, JsonDocument.Parse(c.Exchange.ResponseBody!).RootElement));
        Check("responses lossless", RecordedPart.Response, cases, CheckResponse);
    }

    [Fact]
    public void RecordedStreamEventsRoundTrip()
    {
        var cases = RecordedTraffic.Load()
            .Where(e => e.Kind == "inference" && e.Status == 200 && e.IsSse && e.ResponseBody != null)
            .Select(e => (Exchange: e, Type: SchemaTypes.ForTask(e.Task, "StreamOutput")))
            .Where(c => c.Type != null)
            .SelectMany(c => RecordedTraffic.SseData(c.Exchange.ResponseBody!)
                .Where(data => data != "[DONE]" && RecordedTraffic.IsJson(data))
                .Select(data => (c.Exchange, c.Type!, JsonDocument.Parse(data).RootElement)));
        Check("stream events lossless", RecordedPart.StreamEvent, cases, RoundTrip);
    }

    [Fact]
    public void RecordedRequestsRoundTrip()
    {
        var cases = RecordedTraffic.Load()
            .Where(e => e.Kind == "inference" && e.RequestBody != null && RecordedTraffic.IsJson(e.RequestBody))
            .Select(e => (Exchange: e, Type: SchemaTypes.ForTask(e.Task, "Input")))
            .Where(c => c.Type != null)
            .Select(c => (c.Exchange, c.Type!, JsonDocument.Parse(c.Exchange.RequestBody!).RootElement))
            .Where(c => c.Item3.ValueKind == JsonValueKind.Object);
        Check("requests lossless", RecordedPart.Request, cases, RoundTrip);
    }

    /// <summary>
    /// A response is the task's output, or a list of them (the wire wraps single outputs in a list,
    /// and text-classification wraps its list in another), or one element of a list output:
    /// each element must round-trip. These are the unwrapping rules of the Python client.
    /// </summary>
    private static string? CheckResponse(Type type, JsonElement json)
    {
        if (json.ValueKind == JsonValueKind.Array && !SchemaTypes.IsArrayType(type) && !typeof(NumericTensor).IsAssignableFrom(type))
        {
            return json.EnumerateArray().Select(e => RoundTrip(type, e)).FirstOrDefault(d => d != null);
        }

        if (json.ValueKind == JsonValueKind.Array && SchemaTypes.IsArrayType(type)
            && json.GetArrayLength() > 0 && json.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Array))
        {
            return json.EnumerateArray().Select(e => RoundTrip(type, e)).FirstOrDefault(d => d != null);
        }

        // question-answering and table-question-answering answer one object where the spec has a list of them.
        if (json.ValueKind == JsonValueKind.Object && SchemaTypes.IsArrayType(type))
        {
            return RoundTrip(SchemaTypes.ElementType(type), json);
        }

        return RoundTrip(type, json);
    }

    /// <summary>
    /// Read with the options the client reads with (the generated readers) and with the serializer's
    /// own contract: both must give back exactly what was recorded.
    /// </summary>
    internal static string? RoundTrip(Type type, JsonElement json) =>
        RoundTrip(type, json, InferenceJson.ReadOptions) is { } viaReaders
            ? "generated readers: " + viaReaders
            : RoundTrip(type, json, ReflectionJson.Options);

    private static string? RoundTrip(Type type, JsonElement json, JsonSerializerOptions readOptions)
    {
        try
        {
            var value = JsonSerializer.Deserialize(json, type, readOptions);
            // Written back by the generated writers (the public options) after the generated readers, by reflection after reflection.
            var back = JsonSerializer.SerializeToElement(value, type, readOptions == InferenceJson.ReadOptions ? InferenceJson.Options : readOptions);
            return JsonEquivalence.Difference(json, back);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or NotSupportedException or FormatException)
        {
            return exception.GetType().Name + ": " + exception.Message;
        }
    }

    private void Check(string label, RecordedPart part, IEnumerable<(RecordedExchange Exchange, Type Type, JsonElement Json)> cases, Func<Type, JsonElement, string?> check)
    {
        var results = cases.Select(c => (c.Exchange, Difference: check(c.Type, c.Json), Exclusion: Exclusions.For(c.Exchange, c.Json, part))).ToList();
        Assert.NotEmpty(results);

        foreach (var group in results.GroupBy(r => r.Exchange.Task).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var included = group.Where(r => r.Exclusion == null).ToList();
            var excluded = group.Count() - included.Count;
            output.WriteLine($"{label}: {group.Key} {included.Count(r => r.Difference == null)}/{included.Count}" + (excluded > 0 ? $" ({excluded} excluded)" : string.Empty));
        }

        foreach (var excluded in results.Where(r => r.Exclusion != null).GroupBy(r => r.Exclusion))
        {
            output.WriteLine($"excluded ({excluded.Count()}): {excluded.Key}");
        }

        var failures = results.Where(r => r.Exclusion == null && r.Difference != null).ToList();
        var total = results.Count(r => r.Exclusion == null);
        output.WriteLine($"{label}: {total - failures.Count}/{total}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40).Select(f => $"{f.Exchange}: {f.Difference}")));
    }

}
