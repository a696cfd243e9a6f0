using System;
using HuggingFace.Inference.Inputs;

namespace HuggingFace.Inference.Chat;

// Hand-written part of the generated record: the ways users build message content.
public sealed partial record ChatCompletionInputMessageChunk
{
    /// <summary>A text chunk.</summary>
    public static ChatCompletionInputMessageChunk FromText(string text) =>
        new() { Type = ChatCompletionInputMessageChunkType.Text, Text = text ?? throw new ArgumentNullException(nameof(text)) };

    /// <summary>An image by URL (http(s), or a <c>data:</c> URL).</summary>
    public static ChatCompletionInputMessageChunk FromImageUrl(Uri url) =>
        new() { Type = ChatCompletionInputMessageChunkType.ImageUrl, ImageUrl = new ChatCompletionInputUrl { Url = (url ?? throw new ArgumentNullException(nameof(url))).ToString() } };

    /// <summary>
    /// An image from an <see cref="InferenceInput"/>: an http(s) URL stays a URL (the model fetches it);
    /// bytes, streams and files are read and sent inline as a <c>data:</c> URL.
    /// </summary>
    public static async System.Threading.Tasks.Task<ChatCompletionInputMessageChunk> FromImageAsync(InferenceInput image, System.Threading.CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Url is { } url)
        {
            return FromImageUrl(url);
        }

        var bytes = await image.ReadAllAsync(transport: null, async: true, cancellationToken).ConfigureAwait(false);
        return FromImageBytes(bytes, image.ContentType);
    }

    /// <summary>An image sent inline as a <c>data:</c> URL; the media type is sniffed from the bytes when not given.</summary>
    /// <exception cref="ArgumentException">The bytes are empty.</exception>
    public static ChatCompletionInputMessageChunk FromImageBytes(ReadOnlySpan<byte> image, string? mediaType = null)
    {
        if (image.IsEmpty)
        {
            throw new ArgumentException("The image is empty.", nameof(image));
        }

        var type = mediaType ?? MediaTypes.Sniff(image);
        return new() { Type = ChatCompletionInputMessageChunkType.ImageUrl, ImageUrl = new ChatCompletionInputUrl { Url = $"data:{type};base64,{Convert.ToBase64String(image)}" } };
    }
}
