using System;
using System.Globalization;
using System.Text;

namespace HuggingFace.Inference.Benchmarks;

/// <summary>
/// Wire payloads in the shapes TGI and the router send (written here from the schemas, not copied
/// from recordings), built once so the benchmarks measure parsing, not payload construction.
/// </summary>
public static class Payloads
{
    public static string ChatChunk(int i, string? finish = null) =>
        "{\"object\":\"chat.completion.chunk\",\"id\":\"chatcmpl-bench\",\"created\":1739000000,\"model\":\"meta-llama/Llama-3.1-8B-Instruct\","
        + "\"system_fingerprint\":\"3.2.1-sha-4d28897\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\" word" + i.ToString(CultureInfo.InvariantCulture)
        + "\"},\"logprobs\":null,\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}],\"usage\":null}";

    /// <summary>A chat stream of <paramref name="events"/> chunks and the closing <c>[DONE]</c>, as SSE bytes.</summary>
    public static byte[] ChatStream(int events)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < events; i++)
        {
            builder.Append("data: ").Append(ChatChunk(i, i == events - 1 ? "stop" : null)).Append("\n\n");
        }

        builder.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static byte[] ChatCompletion() => Encoding.UTF8.GetBytes(
        "{\"object\":\"chat.completion\",\"id\":\"chatcmpl-bench\",\"created\":1739000000,\"model\":\"meta-llama/Llama-3.1-8B-Instruct\","
        + "\"system_fingerprint\":\"3.2.1-sha-4d28897\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"The capital of France is Paris. "
        + "It is known for the Eiffel Tower, the Louvre and its cafés.\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":23,\"total_tokens\":65}}");

    /// <summary>A feature-extraction answer: <paramref name="rows"/> embeddings of <paramref name="dimensions"/> floats.</summary>
    public static byte[] Embeddings(int rows, int dimensions)
    {
        var random = new Random(7);
        var builder = new StringBuilder(rows * dimensions * 12);
        builder.Append('[');
        for (var r = 0; r < rows; r++)
        {
            builder.Append(r == 0 ? "[" : ",[");
            for (var d = 0; d < dimensions; d++)
            {
                if (d > 0)
                {
                    builder.Append(',');
                }

                builder.Append(((float)(random.NextDouble() * 2 - 1)).ToString("R", CultureInfo.InvariantCulture));
            }

            builder.Append(']');
        }

        builder.Append(']');
        return Encoding.UTF8.GetBytes(builder.ToString());
    }
}
