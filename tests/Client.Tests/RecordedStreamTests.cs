using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using HuggingFace.Inference.Testing;

namespace HuggingFace.Inference.Tests;

/// <summary>
/// Every recorded event stream replayed through the client: each event must parse into the stream
/// type, the text must be the recorded text, and a recorded error event must surface as the right
/// exception after the events before it.
/// </summary>
public class RecordedStreamTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task RecordedStreamsReplayThroughTheClient()
    {
        var streams = RecordedTraffic.Load().Where(e => e.IsSse && e.ResponseBody != null).ToList();
        Assert.NotEmpty(streams);

        var failures = new List<string>();
        var excluded = new List<string>();
        foreach (var exchange in streams)
        {
            var kind = KindOf(exchange.ResponseBody!);
            if (kind == null)
            {
                excluded.Add($"{exchange}: a provider's own streaming format (neither chat-completion chunks nor TGI token events)");
                continue;
            }

            var problem = await ReplayAsync(exchange, kind);
            if (problem != null)
            {
                failures.Add($"{exchange}: {problem}");
            }
        }

        output.WriteLine($"streams: {streams.Count - excluded.Count - failures.Count}/{streams.Count - excluded.Count} ({excluded.Count} of {streams.Count} excluded)");
        excluded.ForEach(e => output.WriteLine("excluded: " + e));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// What the events are, by their shape: "chat" (choices), "generation" (TGI tokens; two recordings
    /// label these chat-completion), or null for another protocol.
    /// </summary>
    private static string? KindOf(string body)
    {
        foreach (var data in RecordedTraffic.SseData(body).Where(d => d != "[DONE]" && RecordedTraffic.IsJson(d)))
        {
            using var json = JsonDocument.Parse(data);
            var root = json.RootElement;
            if (root.TryGetProperty("error", out _))
            {
                continue;
            }

            return root.TryGetProperty("choices", out _) ? "chat" : root.TryGetProperty("token", out _) ? "generation" : null;
        }

        return "chat";
    }

    private async Task<string?> ReplayAsync(RecordedExchange exchange, string kind)
    {
        // The text and the error as the recording says, read independently of the client.
        var expectedText = new StringBuilder();
        string? expectedError = null;
        var expectedInvalid = false;
        foreach (var data in RecordedTraffic.SseData(exchange.ResponseBody!))
        {
            if (data == "[DONE]" || expectedError != null)
            {
                break;
            }

            if (!RecordedTraffic.IsJson(data))
            {
                // A broken event (one recording ends with a stray quote): the client must stop there with a JsonException.
                expectedInvalid = true;
                break;
            }

            using var json = JsonDocument.Parse(data);
            var root = json.RootElement;
            if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                expectedError = error.ValueKind == JsonValueKind.String ? error.GetString() : error.GetProperty("message").GetString();
            }
            else if (kind == "chat")
            {
                if (root.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0 && choices[0].TryGetProperty("delta", out var delta)
                    && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    expectedText.Append(content.GetString());
                }
            }
            else
            {
                expectedText.Append(root.GetProperty("token").GetProperty("text").GetString());
            }
        }

        fixture.Server.ClearScript();
        fixture.Server.Enqueue(ScriptedResponse.Stream(TimeSpan.Zero, exchange.ResponseBody!));
        using var client = fixture.Client();
        var text = new StringBuilder();
        try
        {
            if (kind == "chat")
            {
                await foreach (var chunk in client.ChatCompletionStreamAsync([new ChatCompletionInputMessage { Role = "user", Content = "replay" }], cancellationToken: TestContext.Current.CancellationToken))
                {
                    text.Append(chunk.Choices.Count > 0 ? chunk.Choices[0].Delta.Content : null);
                }
            }
            else
            {
                await foreach (var item in client.TextGenerationStreamAsync("replay", cancellationToken: TestContext.Current.CancellationToken))
                {
                    text.Append(item.Token.Text);
                }
            }
        }
        catch (TextGenerationException error)
        {
            if (expectedError == null)
            {
                return "unexpected error event: " + error.Message;
            }

            return error.ServerMessage == expectedError && text.ToString() == expectedText.ToString() ? null : $"error '{error.ServerMessage}' after '{text}', recorded '{expectedError}' after '{expectedText}'";
        }
        catch (JsonException error)
        {
            return expectedInvalid && text.ToString() == expectedText.ToString() ? null : "an event did not parse: " + error.Message;
        }

        if (expectedInvalid)
        {
            return "the broken event did not raise a JsonException";
        }

        if (expectedError != null)
        {
            return "the recorded error event was not raised: " + expectedError;
        }

        return text.ToString() == expectedText.ToString() ? null : $"text '{Short(text.ToString())}' instead of '{Short(expectedText.ToString())}'";
    }


    private static string Short(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
